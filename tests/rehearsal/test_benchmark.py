"""``rehearse --dataset``: a ProcessBench-format file against a loopback server scripted per item.
Every cell of the paper's scores is what the script implies; a kill at item k then ``--resume``
gives the scorecard of an uninterrupted run; the steps reach the model as the dataset has them."""

from __future__ import annotations

import asyncio
import json
import math
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from magistral_debugger.engine.run import DebugRun
from magistral_debugger.prompting.examples import load_examples
from magistral_debugger.rehearsal.benchmark.paper import wilson
from magistral_debugger.rehearsal.benchmark.processbench import read_datasets
from magistral_debugger.rehearsal.benchmark.sample import stratified_sample
from magistral_debugger.rehearsal.scorecard import Counts
from magistral_debugger.settings import Settings
from tests.loopback import PerRequest, Reply, Sleep, openai_error, user_text
from tests.rehearsals import (
    ITEMS,
    MULTILINE,
    answer,
    id_asked,
    item,
    rehearse,
    script_items,
    server_flags,
    write_json,
)
from tests.runs import child_env


@pytest.fixture(autouse=True)
def no_env_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


OUTCOMES = {
    "gsm8k-0": "correct",
    "gsm8k-1": "wrong_step",
    "gsm8k-2": "missed",
    "gsm8k-3": "false_accusation",
    "gsm8k-4": "correct",
    "math-0": "no_verdict",
    "math-1": "out_of_tokens",
    "math-2": "correct",
    "math-3": "correct",
}


async def drain(run: DebugRun) -> None:
    async for _ in run.events():
        pass


def scorecard(out: Path) -> dict:
    return json.loads((out / "scorecard.json").read_text(encoding="utf-8"))


def outcomes(data: dict) -> dict[str, list[str]]:
    return {e["slug"]: [run["outcome"] for run in e["runs"]["A"]] for e in data["examples"]}


def test_each_split_is_scored_as_the_paper_scores_it(srv, tmp_path):
    responder = script_items(srv)
    out = tmp_path / "out"
    code = rehearse(
        "--dataset", str(write_json(tmp_path / "pb.json", ITEMS)), "--out", str(out), *server_flags(srv, "openai")
    )
    assert code == 0  # the 500 and the 429 were asked again and answered
    data = scorecard(out)
    assert {slug: runs for slug, runs in outcomes(data).items()} == {slug: [o] for slug, o in OUTCOMES.items()}
    assert responder.asked == {slug: 1 for slug in OUTCOMES} | {"math-2": 2, "math-3": 2}
    bench = data["configurations"][0]["benchmark"]
    gsm8k, math_ = bench["splits"]["gsm8k"], bench["splits"]["math"]
    # gsm8k: erroneous 1 of 3 found, correct 1 of 2 cleared; math: 1 of 3 found, 1 of 1 cleared.
    assert (gsm8k["erroneous"], gsm8k["erroneous_matched"], gsm8k["correct"], gsm8k["correct_matched"]) == (3, 1, 2, 1)
    assert (math_["erroneous"], math_["erroneous_matched"], math_["correct"], math_["correct_matched"]) == (3, 1, 1, 1)
    assert gsm8k["f1"] == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))
    assert math_["f1"] == pytest.approx(2 * (1 / 3) * 1 / (1 / 3 + 1))
    assert bench["average_f1"] == pytest.approx((0.4 + 0.5) / 2)
    assert bench["pooled"]["f1"] == pytest.approx(2 * (2 / 6) * (2 / 3) / (2 / 6 + 2 / 3))
    assert gsm8k["error_accuracy_95"] == pytest.approx(wilson(1, 3))
    low, high = bench["average_f1_95"]
    assert 0 <= low <= bench["average_f1"] <= high <= 1
    markdown = (out / "scorecard.md").read_text(encoding="utf-8")
    assert "| gsm8k: erroneous found | 1/3 = 33.3% (" in markdown
    assert "| average F1 over the splits (the paper's) | 45.0 (" in markdown
    assert "| o1-mini | 87.9 | published: the whole set, the paper's prompt |" in markdown
    assert "## Beside the published scores (Zheng et al., “ProcessBench" in markdown
    assert data["throughput"]["runs"] == 9 and data["throughput"]["runs_per_hour"] > 0


def test_a_429_waits_what_its_retry_after_asks_and_a_500_the_retry_wait(srv, tmp_path):
    script_items(srv)
    dataset = write_json(tmp_path / "pb.json", [item("math-2", 3, steps=5), item("math-3", -1)])
    assert rehearse("--dataset", str(dataset), "--out", "out", *server_flags(srv, "openai")) == 0
    asked = [(id_asked(r), r.time) for r in srv.requests if r.path == "/v1/chat/completions"]
    times = {slug: [t for s, t in asked if s == slug] for slug in ("math-2", "math-3")}
    assert times["math-3"][1] - times["math-3"][0] >= 1.0  # Retry-After: 1; --retry-wait is 0.01 here
    assert len(times["math-2"]) == 2


def test_a_server_failure_that_persists_is_counted_as_an_error_after_the_retries(srv, tmp_path):
    broken = openai_error("EngineCore encountered an issue.", "InternalServerError", 500)
    responder = script_items(srv, {"gsm8k-0": broken})
    dataset = write_json(tmp_path / "pb.json", [item("gsm8k-0", 1), item("gsm8k-4", -1)])
    assert rehearse("--dataset", str(dataset), "--out", "out", "--retries", "3", *server_flags(srv, "openai")) == 1
    assert responder.asked["gsm8k-0"] == 4
    data = scorecard(tmp_path / "out")
    assert outcomes(data) == {"gsm8k-0": ["error"], "gsm8k-4": ["correct"]}
    assert data["configurations"][0]["benchmark"]["splits"]["gsm8k"]["error_accuracy"] == 0


def test_the_model_gets_the_datasets_steps_numbered_under_the_problem_and_a_multiline_step_keeps_its_number(
    srv, tmp_path
):
    script_items(srv)
    dataset = write_json(tmp_path / "pb.json", [item("math-2", 3, steps=5)])
    assert rehearse("--dataset", str(dataset), "--out", "out", *server_flags(srv, "openai")) == 0
    text = user_text(srv.requests[-1])
    numbered = text.split("The solution, in numbered steps:\n\n", 1)[1].split("\n\nEnd your answer", 1)[0]
    assert text.index("Problem math-2: show that the sum is right.") < text.index("1. Step text 0 of math-2.")
    assert numbered.splitlines() == [
        "1. Step text 0 of math-2.",
        "2. Expand both sides:",
        "   $$ (a+b)^2 = a^2 + 2ab + b^2 $$",
        "   and compare.",
        "3. Step text 2 of math-2.",
        "4. Step text 3 of math-2.",
        "5. Step text 4 of math-2.",
    ]
    # Named "4", label 3 (0-based): right; the recording replays with the dataset's five steps.
    [example] = scorecard(tmp_path / "out")["examples"]
    [run] = example["runs"]["A"]
    assert run["outcome"] == "correct" and len(example["steps"]) == 5
    replay = Settings(backend="replay", replay_file=str(tmp_path / "out" / run["recording"]), replay_speed="instant")
    replayed = DebugRun(replay, "")
    asyncio.run(drain(replayed))
    assert replayed.state.steps == tuple(example["steps"])
    assert (replayed.state.verdict.step, replayed.state.verdict.text) == (4, "Step text 3 of math-2.")


def test_a_run_killed_at_item_k_and_resumed_gives_the_scorecard_of_an_uninterrupted_run(srv, tmp_path):
    dataset = write_json(tmp_path / "pb.json", ITEMS)
    script_items(srv)
    whole = tmp_path / "whole"
    assert rehearse("--dataset", str(dataset), "--out", str(whole), *server_flags(srv, "openai")) == 0

    # The fifth item's answer never comes: the process is killed (SIGKILL, no clean-up) while it waits.
    script_items(srv, {"gsm8k-4": Reply(body=[Sleep(60)])})
    command = [sys.executable, "-m", "magistral_debugger", "rehearse", "--dataset", str(dataset), "--out", "cut"]
    flags = ["--retry-wait", "0.01", *server_flags(srv, "openai")]  # the plan keeps them for --resume
    proc = subprocess.Popen([*command, *flags], env=child_env(), cwd=tmp_path, stderr=subprocess.PIPE)
    try:

        def chats() -> int:
            return sum(r.path == "/v1/chat/completions" for r in srv.requests)

        asked_before, deadline = chats(), time.monotonic() + 30
        while chats() < asked_before + 5 and time.monotonic() < deadline:  # the fifth item is asked
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    journaled = [json.loads(line) for line in (tmp_path / "cut" / "runs.jsonl").read_text().splitlines()]
    assert [line["slug"] for line in journaled if line["type"] == "run"] == [i["id"] for i in ITEMS[:4]]

    responder = script_items(srv)
    assert rehearse("--resume", str(tmp_path / "cut")) == 0
    assert set(responder.asked) == {i["id"] for i in ITEMS[4:]}  # what was done is not asked again
    cut, uninterrupted = scorecard(tmp_path / "cut"), scorecard(whole)
    assert cut["complete"] is True
    assert outcomes(cut) == outcomes(uninterrupted)
    assert cut["configurations"][0]["benchmark"] == uninterrupted["configurations"][0]["benchmark"]
    assert cut["configurations"][0]["totals"]["counts"] == uninterrupted["configurations"][0]["totals"]["counts"]


def test_resume_refuses_a_folder_whose_dataset_now_chooses_other_items(srv, tmp_path, capsys):
    script_items(srv)
    dataset = write_json(tmp_path / "pb.json", ITEMS[:2])
    assert rehearse("--dataset", str(dataset), "--out", "out", *server_flags(srv, "openai")) == 0
    write_json(dataset, ITEMS[2:4])
    assert rehearse("--resume", "out") == 2
    assert "choose other examples than the rehearsal did" in capsys.readouterr().err
    assert rehearse("--resume", "nowhere") == 2
    assert "no plan.json there" in capsys.readouterr().err


def test_ctrl_c_stops_a_dataset_run_hangs_up_and_says_how_to_resume(srv, tmp_path):
    script_items(srv, {"gsm8k-1": Reply(body=[Sleep(30)])})
    dataset = write_json(tmp_path / "pb.json", ITEMS[:3])
    env = child_env(MAGISTRAL_BACKEND="openai", MAGISTRAL_OPENAI_BASE_URL=f"{srv.url}/v1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "magistral_debugger", "rehearse", "--dataset", str(dataset), "--out", "out"],
        env=env,
        cwd=tmp_path,
        stderr=subprocess.PIPE,
    )
    try:
        srv.wait_for_request("/v1/chat/completions", timeout=30)
        srv.wait_for_request("/v1/chat/completions", timeout=30)
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
        err = proc.stderr.read().decode()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert code == 130 and "Traceback" not in err and "--resume out" in err
    assert srv.wait_for_hangup(timeout=5) is not None
    assert outcomes(scorecard(tmp_path / "out")) == {"gsm8k-0": ["correct"], "gsm8k-1": [], "gsm8k-2": []}


# --- the files, the sample, the numbers -----------------------------------------------------------


def test_a_json_list_and_json_lines_of_the_same_items_read_the_same(tmp_path):
    listed = write_json(tmp_path / "gsm8k.json", ITEMS)
    lines = tmp_path / "gsm8k.jsonl"
    lines.write_text("".join(json.dumps(i) + "\n" for i in ITEMS), encoding="utf-8")
    assert read_datasets([listed]) == read_datasets([lines])
    example = read_datasets([listed])[7]
    assert (example.slug, example.split, example.flawed_step, example.kind) == ("math-2", "math", 4, "flawed")
    assert example.given is not None and example.given.steps[1] == MULTILINE


@pytest.mark.parametrize(
    "change, says",
    [
        ({"label": 4}, "label = 4, but the item has steps 0 to 3"),
        ({"label": "1"}, "label = '1'"),
        ({"steps": []}, "steps must be a list of non-empty strings"),
        ({"steps": ["fine", ""]}, "steps must be a list of non-empty strings"),
        ({"problem": " "}, "problem must be a non-empty string"),
    ],
)
def test_an_item_that_would_be_scored_wrongly_is_refused_naming_where_it_is(tmp_path, change, says):
    path = write_json(tmp_path / "pb.json", [ITEMS[0], ITEMS[1] | change])
    with pytest.raises(ValueError, match=f"pb.json, item 2: {re.escape(says)}"):
        read_datasets([path])


def test_a_bad_dataset_exits_2_saying_why(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(ITEMS[0]) + "\n{not json\n", encoding="utf-8")
    assert rehearse("--dataset", str(bad), "--out", "out", "--url", "http://127.0.0.1:9") == 2
    assert "bad.jsonl:2: not a JSON object" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def synthetic(n_per_split: int = 400) -> list[dict]:
    """Two splits with ProcessBench's mix: about half correct, the first error spread over the steps."""
    items = []
    for split in ("gsm8k", "math"):
        for n in range(n_per_split):
            label = -1 if n % 2 else (n // 2) % 7
            items.append(item(f"{split}-{n}", label, steps=8))
    return items


def test_a_limited_sample_keeps_each_splits_share_of_correct_items_and_its_label_spread(tmp_path):
    examples = read_datasets([write_json(tmp_path / "pb.json", synthetic())])
    sample = stratified_sample(examples, 80, seed=7)
    assert len(sample) == 80
    whole = Counter((e.split, e.flawed_step) for e in examples)
    taken = Counter((e.split, e.flawed_step) for e in sample)
    for group, count in whole.items():  # each group within one item of its share
        assert abs(taken[group] - 80 * count / len(examples)) < 1, group
    assert sample == stratified_sample(examples, 80, seed=7)  # the same seed, the same items
    assert sample != stratified_sample(examples, 80, seed=8)
    positions = [examples.index(e) for e in sample]
    assert positions == sorted(positions)  # in the file's order


def test_limit_runs_the_sample_and_the_plan_names_its_items(srv, tmp_path):
    items = synthetic(10)
    replies = {i["id"]: answer("Flawed step: none") for i in items}
    srv.route("POST", "/v1/chat/completions", PerRequest(id_asked, replies))
    dataset = write_json(tmp_path / "pb.json", items)
    flags = ["--dataset", "pb.json", "--limit", "6", "--seed", "3", "--parallel", "3"]
    with_password = f"http://teacher:s3cret@{srv.url.removeprefix('http://')}/v1"
    assert rehearse(*flags, "--out", "out", "--backend", "openai", "--url", with_password) == 0
    plan = json.loads((tmp_path / "out" / "plan.json").read_text())
    assert "s3cret" not in json.dumps(plan)  # a resume is given the URL again
    assert plan["argv"][plan["argv"].index("--dataset") + 1] == str(dataset.resolve())  # resumable from anywhere
    chosen = [e.slug for e in stratified_sample(read_datasets([dataset]), 6, 3)]
    assert plan["examples"] == chosen == [e["slug"] for e in scorecard(tmp_path / "out")["examples"]]


def test_wilson_and_f1_are_the_textbook_values():
    low, high = wilson(8, 10)  # Wilson (1927): 0.4902 to 0.9433 for 8 of 10 at 95 %
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)
    assert wilson(0, 0) is None and wilson(0, 5)[0] == 0

    def f1(flawed, found, controls, cleared):
        return Counts(flawed=flawed, found=found, controls=controls, cleared=cleared).rates()["f1"]

    assert f1(2, 1, 1, 1) == pytest.approx(2 / 3) and f1(2, 0, 2, 0) == 0 and f1(0, 0, 1, 1) is None
    assert math.isclose(f1(1000, 879, 1000, 879), 0.879)


def test_an_item_kept_as_an_example_file_loads_with_the_datasets_steps(tmp_path):
    folder = tmp_path / "kept"
    folder.mkdir()
    (folder / "math-2.toml").write_text(
        'title = "math-2"\nlanguage = "en"\nkind = "flawed"\ntopic = "competition"\nflawed_step = 4\n'
        'flaw = "kept"\nsplit = "math"\nproblem = "Show it."\n'
        f"steps = {json.dumps(item('math-2', 3, steps=5)['steps'])}\n",
        encoding="utf-8",
    )
    [example] = load_examples(folder)
    assert example.proof.steps[1] == MULTILINE and example.proof.problem == "Show it."
    assert example.argument.startswith("Show it.\n\n1. Step text 0")


def test_keep_writes_the_items_the_model_got_right_as_example_files_that_rehearse_the_same(srv, tmp_path):
    script_items(srv)
    dataset = write_json(tmp_path / "pb.json", ITEMS)
    assert rehearse("--dataset", str(dataset), "--out", "first", *server_flags(srv, "openai")) == 0
    assert rehearse("--keep", "first", "--out", "kept") == 0
    kept = {e.slug: e for e in load_examples(tmp_path / "kept")}
    assert set(kept) == {"gsm8k-0", "gsm8k-4", "math-2", "math-3"}  # every run right
    assert kept["math-2"].proof.steps == tuple(ITEMS[7]["steps"]) and kept["math-2"].flawed_step == 4
    assert kept["math-2"].proof.problem == ITEMS[7]["problem"] and kept["math-2"].split == "math"
    assert "as its annotators marked it" in kept["math-2"].flaw and "step 4" in kept["math-2"].flaw
    asked_first = [user_text(r) for r in srv.requests if r.path == "/v1/chat/completions" and "math-2" in user_text(r)]

    srv.requests.clear()
    script_items(srv)
    assert rehearse("--examples", "kept", "--out", "again", *server_flags(srv, "openai")) == 0
    assert outcomes(scorecard(tmp_path / "again"))["math-2"] == ["correct"]
    asked_again = [user_text(r) for r in srv.requests if r.path == "/v1/chat/completions" and "math-2" in user_text(r)]
    assert asked_again[-1] == asked_first[-1]  # the model reads the kept file exactly as it read the dataset's item


def test_keep_takes_the_items_only_names_and_refuses_what_is_not_there(srv, tmp_path, capsys):
    script_items(srv)
    dataset = write_json(tmp_path / "pb.json", ITEMS[:3])
    assert rehearse("--dataset", str(dataset), "--out", "first", *server_flags(srv, "openai")) == 0
    assert rehearse("--keep", "first", "--only", "gsm8k-1", "--out", "kept") == 0
    assert [p.name for p in (tmp_path / "kept").iterdir()] == ["gsm8k-1.toml"]
    assert rehearse("--keep", "first", "--only", "gsm8k-9") == 2
    assert "no item gsm8k-9" in capsys.readouterr().err
