"""``magistral-debugger rehearse`` against a loopback server scripted per example: every cell
and total of the scorecard is what the script implies, in JSON, Markdown and HTML; ``--repeat``
gives each rate its spread; ``--compare`` puts two configurations side by side; each run's
recording replays."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest

from magistral_debugger.backends import read_recording
from magistral_debugger.engine.run import DebugRun
from magistral_debugger.prompting.examples import Example
from magistral_debugger.rehearsal.rehearse import configuration_settings, pick_examples
from magistral_debugger.settings import Settings
from tests.loopback import PerRequest, Reply, Sleep, ollama_chat_lines, user_text
from tests.rehearsals import (
    BY_SLUG,
    GALLERY,
    argument,
    rehearse,
    reply,
    script_server,
    server_flags,
    slug_asked,
    write_gallery,
)
from tests.runs import child_env, run_cli

# What each example's script implies: outcome, verdict, kind, reasoning and answer tokens.
EXPECTED = {
    "a_right": ("correct", 2, "division by zero", 2, 3),
    "b_wrong": ("wrong_step", 1, "algebra or arithmetic slip", 2, 3),
    "c_missed": ("missed", "none", "", 2, 3),
    "d_accused": ("false_accusation", 2, "unproven assumption", 2, 3),
    "e_cleared": ("correct", "none", "", 2, 3),
    "f_silent": ("no_verdict", None, "", 2, 2),
    "g_long": ("out_of_tokens", None, "", 3, 0),
    "h_broken": ("error", None, "", 0, 0),
}
# Six flawed proofs, one found; two controls, one accused and one cleared; F1 = 2·(1/6)(1/2) / (1/6 + 1/2).
TOTALS = {"flaw_found": 1 / 6, "false_accusation": 1 / 2, "controls_cleared": 1 / 2, "f1": 1 / 4}


@pytest.fixture(autouse=True)
def no_env_file(tmp_path, monkeypatch):
    """The rehearsal reads .env from the working directory like the app: give it an empty one."""
    monkeypatch.chdir(tmp_path)


def scorecard(out: Path) -> dict:
    return json.loads((out / "scorecard.json").read_text(encoding="utf-8"))


def runs_of(data: dict, configuration: str = "A") -> dict[str, list[dict]]:
    return {example["slug"]: example["runs"][configuration] for example in data["examples"]}


def markdown_rows(out: Path, table: str) -> dict[str, list[str]]:
    """A Markdown table of the scorecard, by its first cell."""
    text = (out / "scorecard.md").read_text(encoding="utf-8")
    section = text.split(f"## {table}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip("|").split(" | ") for line in section.splitlines() if line.startswith("| ")]
    return {cells[0].strip(): [c.strip() for c in cells[1:]] for cells in rows[1:]}


class Cells(HTMLParser):
    """The HTML page's table cells, row by row, with their classes; and any outside reference."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, str]]] = []
        self.outside: list[str] = []
        self._cell: list[str] | None = None
        self._class = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell, self._class = [], attrs.get("class") or ""
        for name in ("src", "href"):
            if name in attrs:
                self.outside.append(f"{tag} {name}={attrs[name]}")
        if tag in ("link", "script", "img", "iframe"):
            self.outside.append(tag)

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(("".join(self._cell), self._class))
            self._cell = None


# --- every cell and total -------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["ollama", "openai"])
def test_each_runs_outcome_verdict_tokens_and_timings_are_what_the_server_said(srv, tmp_path, backend):
    script_server(srv, backend)
    out = tmp_path / "out"
    assert (
        rehearse("--examples", str(write_gallery(tmp_path / "gallery")), "--out", str(out), *server_flags(srv, backend))
        == 1
    )
    runs = runs_of(scorecard(out))
    assert set(runs) == set(EXPECTED)
    for slug, (outcome, verdict, kind, reasoning_tokens, answer_tokens) in EXPECTED.items():
        [run] = runs[slug]
        assert (run["outcome"], run["verdict"], run["verdict_kind"]) == (outcome, verdict, kind), slug
        assert (run["reasoning_tokens"], run["answer_tokens"]) == (reasoning_tokens, answer_tokens), slug
        said_something = outcome != "error"
        assert (run["time_to_first_token_s"] is not None) == said_something, slug
        assert (run["thinking_s"] is not None) == said_something, slug
        assert (run["answer_s"] is not None) == (said_something and outcome != "out_of_tokens"), slug
        assert bool(run["message"]) == (outcome in ("out_of_tokens", "error")), slug
    assert "500" in runs["h_broken"][0]["message"]
    assert "tokens" in runs["g_long"][0]["message"]


def test_the_totals_are_the_rates_the_outcomes_imply(srv, tmp_path):
    script_server(srv, "ollama")
    out = tmp_path / "out"
    rehearse("--examples", str(write_gallery(tmp_path / "gallery")), "--out", str(out), *server_flags(srv))
    data = scorecard(out)
    [configuration] = data["configurations"]
    totals = configuration["totals"]
    assert totals["runs"] == 8 and data["complete"] is True and data["repeat"] == 1
    assert totals["counts"] == {"flawed": 6, "found": 1, "controls": 2, "accused": 1, "cleared": 1}
    assert totals["outcomes"] == {
        "correct": 2,
        "wrong_step": 1,
        "missed": 1,
        "false_accusation": 1,
        "no_verdict": 1,
        "out_of_tokens": 1,
        "error": 1,
    }
    for rate, value in TOTALS.items():
        assert totals[rate]["mean"] == pytest.approx(value), rate
        assert totals[rate]["sd"] is None and totals[rate]["per_repeat"] == [pytest.approx(value)]
    assert configuration["model"] == "magistral" and configuration["server"] == srv.url
    assert (configuration["backend"], configuration["prompt_format"], configuration["temperature"]) == (
        "ollama",
        "2506",
        0.7,
    )


def test_the_markdown_and_html_scorecards_show_the_same_cells(srv, tmp_path):
    script_server(srv, "ollama")
    out = tmp_path / "out"
    rehearse("--examples", str(write_gallery(tmp_path / "gallery")), "--out", str(out), *server_flags(srv))
    totals = markdown_rows(out, "Totals")
    assert totals["flaw found (flawed proofs)"] == ["1/6 = 17%"]
    assert totals["false accusations (controls)"] == ["1/2 = 50%"]
    assert totals["controls cleared"] == ["1/2 = 50%"]
    assert totals["F1 (flaw found × controls cleared)"] == ["0.25"]
    assert totals["ran out of tokens"] == ["1"] and totals["error"] == ["1"]
    examples = markdown_rows(out, "Examples")
    # example | title | language | expected | verdict | outcome | first token | thinking | answer | tokens…
    assert examples["a_right"][2:5] == ["step 2", "2 (division by zero)", "correct"]
    assert examples["c_missed"][2:5] == ["step 4", "none", "missed (said no flaw)"]
    assert examples["d_accused"][2:5] == ["none (control)", "2 (unproven assumption)", "false accusation"]
    assert examples["e_cleared"][2:5] == ["none (control)", "none", "correct"]
    assert examples["h_broken"][2:5] == ["step 3", "—", "error"]
    assert examples["g_long"][8:] == ["3", "0"]
    markdown = (out / "scorecard.md").read_text(encoding="utf-8")
    assert "h_broken (run 1): " in markdown and "500" in markdown.split("## Notes", 1)[1]

    page = Cells()
    page.feed((out / "scorecard.html").read_text(encoding="utf-8"))
    assert page.outside == [], "the page must open with no network: no outside scripts, styles or images"
    by_first = {row[0][0]: row for row in page.rows if row}
    assert [text for text, _ in by_first["a_right"][1:]] == examples["a_right"]
    assert [text for text, _ in by_first["flaw found (flawed proofs)"][1:]] == ["1/6 = 17%"]
    tones = {slug: by_first[slug][5][1] for slug in EXPECTED}
    assert tones == {
        "a_right": "good",
        "b_wrong": "bad",
        "c_missed": "bad",
        "d_accused": "bad",
        "e_cleared": "good",
        "f_silent": "warn",
        "g_long": "warn",
        "h_broken": "warn",
    }


def test_every_run_is_recorded_and_its_recording_replays_the_same_verdict(srv, tmp_path):
    script_server(srv, "ollama")
    out = tmp_path / "out"
    rehearse("--examples", str(write_gallery(tmp_path / "gallery")), "--out", str(out), *server_flags(srv))
    runs = runs_of(scorecard(out))
    for slug, (outcome, verdict, *_) in EXPECTED.items():
        [run] = runs[slug]
        assert run["recording"] == f"recordings/{slug}.jsonl"
        recording = read_recording(out / run["recording"])
        assert recording.argument == argument(BY_SLUG[slug])
        assert recording.end.outcome == ("error" if outcome == "error" else "finished")
        replay = DebugRun(
            Settings(_env_file=None, backend="replay", replay_file=str(out / run["recording"]), replay_speed="instant"),
            "",
        )

        async def drain(replay=replay):
            async for _ in replay.events():
                pass

        asyncio.run(drain())
        if isinstance(verdict, int):
            assert replay.state.verdict.step == verdict, slug
        assert replay.state.finish_reason == run["finish_reason"], slug


# --- --repeat, --parallel, --only -------------------------------------------------------------


def test_repeat_runs_each_example_k_times_and_gives_each_rate_its_spread(srv, tmp_path):
    """Second time round, b_wrong names its step and d_accused clears its control: rates per
    repetition are flaw found 1/6 then 2/6, false accusation 1/2 then 0/2."""
    b, d = BY_SLUG["b_wrong"], BY_SLUG["d_accused"]
    scripted = script_server(
        srv,
        "ollama",
        {
            "b_wrong": [reply("ollama", b), reply("ollama", b, say="Flawed step: 3 (division by zero)")],
            "d_accused": [reply("ollama", d), reply("ollama", d, say="Flawed step: none")],
        },
    )
    out = tmp_path / "out"
    rehearse(
        "--examples", str(write_gallery(tmp_path / "gallery")), "--out", str(out), "--repeat", "2", *server_flags(srv)
    )
    # h_broken's 500 is asked again twice (the default --retries) in each repetition.
    assert scripted.asked == {example.slug: 2 for example in GALLERY} | {"h_broken": 6}
    data = scorecard(out)
    totals = data["configurations"][0]["totals"]
    assert totals["runs"] == 16
    assert totals["flaw_found"]["per_repeat"] == [pytest.approx(1 / 6), pytest.approx(2 / 6)]
    assert totals["flaw_found"]["mean"] == pytest.approx(0.25)
    assert totals["flaw_found"]["sd"] == pytest.approx((2 * (1 / 12) ** 2) ** 0.5)
    assert (totals["flaw_found"]["min"], totals["flaw_found"]["max"]) == (pytest.approx(1 / 6), pytest.approx(2 / 6))
    assert totals["false_accusation"]["per_repeat"] == [0.5, 0.0]
    assert totals["false_accusation"]["sd"] == pytest.approx(0.125**0.5)  # sample sd of 0.5 and 0
    assert totals["f1"]["per_repeat"] == [pytest.approx(0.25), pytest.approx(0.5)]
    runs = runs_of(data)
    assert [run["outcome"] for run in runs["b_wrong"]] == ["wrong_step", "correct"]
    assert [run["recording"] for run in runs["b_wrong"]] == ["recordings/b_wrong-1.jsonl", "recordings/b_wrong-2.jsonl"]
    rows = markdown_rows(out, "Totals")
    assert rows["flaw found (flawed proofs)"] == ["25% ± 12 (17%–33%), 3/12 runs"]
    assert rows["F1 (flaw found × controls cleared)"] == ["0.38 ± 0.18 (0.25–0.50)"]
    assert markdown_rows(out, "Examples")["b_wrong"][3:5] == [
        "1 (algebra or arithmetic slip), 3 (division by zero)",
        "correct ×1, wrong step ×1",
    ]


def test_parallel_n_keeps_n_examples_in_flight_at_once(srv, tmp_path):
    """The server answers only once two requests are waiting: one at a time would never finish."""
    together = threading.Barrier(2, timeout=10)

    def when_both_asked(received):
        together.wait()
        return reply("ollama", BY_SLUG["a_right" if "Right" in user_text(received) else "e_cleared"])

    srv.route("POST", "/api/chat", when_both_asked)
    gallery = write_gallery(tmp_path / "gallery", [BY_SLUG["a_right"], BY_SLUG["e_cleared"]])
    out = tmp_path / "out"
    assert rehearse("--examples", str(gallery), "--out", str(out), "--parallel", "2", *server_flags(srv)) == 0
    assert [run["outcome"] for runs in runs_of(scorecard(out)).values() for run in runs] == ["correct", "correct"]


def test_only_picks_examples_by_file_name_or_its_start():
    gallery = [BY_SLUG[slug] for slug in ("a_right", "b_wrong", "e_cleared")]
    examples = [Example(e.slug, e.marker, "en", "flawed", "algebra", argument(e), "", 1) for e in gallery]
    assert [e.slug for e in pick_examples(examples, ["e_cleared", "a"])] == ["e_cleared", "a_right"]
    assert [e.slug for e in pick_examples(examples, None)] == ["a_right", "b_wrong", "e_cleared"]
    with pytest.raises(ValueError, match="--only z"):
        pick_examples(examples, ["z"])


def test_the_default_examples_are_the_apps_gallery(srv, tmp_path):
    """No --examples: the app's own files (here two of them, by --only)."""
    srv.route(
        "POST",
        "/api/chat",
        Reply(
            body=ollama_chat_lines(["x − y is 0."], ["Step 5 divides by zero.\n", "Flawed step: 5 (division by zero)"])
        ),
    )
    out = tmp_path / "out"
    rehearse("--only", "01_two", "04", "--out", str(out), *server_flags(srv))
    runs = runs_of(scorecard(out))
    assert runs["01_two_equals_one_cancel"][0]["outcome"] == "correct"
    assert runs["04_sqrt2_irrational"][0]["outcome"] == "false_accusation"


# --- --compare ---------------------------------------------------------------------------------


@pytest.mark.model_server(ollama_models=("alpha:latest", "beta:latest"))
def test_compare_puts_two_models_side_by_side_on_the_same_examples(srv, tmp_path):
    a, d = BY_SLUG["a_right"], BY_SLUG["d_accused"]
    by_model = {
        ("alpha", "a_right"): reply("ollama", a),
        ("alpha", "d_accused"): reply("ollama", d, say="Flawed step: none"),
        ("beta", "a_right"): reply("ollama", a, say="Flawed step: 4 (division by zero)"),
        ("beta", "d_accused"): reply("ollama", d),
    }
    srv.route("POST", "/api/chat", PerRequest(lambda r: (r.json["model"], slug_asked(r)), by_model))
    out = tmp_path / "out"
    gallery = write_gallery(tmp_path / "gallery", [a, d])
    rehearse(
        "--examples", str(gallery), "--out", str(out), "--compare", "model=alpha", "model=beta", *server_flags(srv)
    )
    data = scorecard(out)
    assert [(c["name"], c["label"], c["model"]) for c in data["configurations"]] == [
        ("A", "model=alpha", "alpha"),
        ("B", "model=beta", "beta"),
    ]
    alpha, beta = (c["totals"] for c in data["configurations"])
    assert (alpha["flaw_found"]["mean"], alpha["false_accusation"]["mean"], alpha["f1"]["mean"]) == (1.0, 0.0, 1.0)
    assert (beta["flaw_found"]["mean"], beta["false_accusation"]["mean"], beta["f1"]["mean"]) == (0.0, 1.0, 0.0)
    assert runs_of(data, "B")["a_right"][0]["recording"] == "recordings/B/a_right.jsonl"
    assert read_recording(out / "recordings/B/a_right.jsonl").model == "beta"
    examples = markdown_rows(out, "Examples")
    # example | title | language | expected | A verdict | A outcome | A thinking | B verdict | B outcome | B thinking
    assert [examples["a_right"][i] for i in (3, 4, 6, 7)] == [
        "2 (division by zero)",
        "correct",
        "4 (division by zero)",
        "wrong step",
    ]
    assert [examples["d_accused"][i] for i in (3, 4, 6, 7)] == [
        "none",
        "correct",
        "2 (unproven assumption)",
        "false accusation",
    ]
    assert markdown_rows(out, "Configurations")["model"] == ["alpha", "beta"]


def test_a_compared_configuration_is_key_value_pairs_or_an_env_file(tmp_path):
    base = Settings(_env_file=None, backend="ollama", model="magistral")
    both = configuration_settings(base, "backend=openai,url=http://gpu:8000/v1,temperature=0.2")
    assert (both.backend, both.openai_base_url, both.temperature, both.model) == (
        "openai",
        "http://gpu:8000/v1",
        0.2,
        "magistral",
    )
    env = tmp_path / "gpu.env"
    env.write_text("# the GPU box\nMAGISTRAL_MODEL=magistral:24b-q8\nMAGISTRAL_TOP_P=0.9\n", encoding="utf-8")
    from_file = configuration_settings(base, str(env))
    assert (from_file.model, from_file.top_p, from_file.temperature) == ("magistral:24b-q8", 0.9, 0.7)
    for wrong in ("colour=blue", "not-a-file-nor-pairs", "temperature=hot"):
        with pytest.raises(ValueError):
            configuration_settings(base, wrong)


# --- as a program -----------------------------------------------------------------------------


def test_the_command_writes_the_folder_prints_the_totals_and_says_an_error_happened(srv, tmp_path):
    script_server(srv, "ollama")
    gallery = write_gallery(tmp_path / "gallery")
    env = child_env(MAGISTRAL_BACKEND="ollama", MAGISTRAL_OLLAMA_URL=srv.url)
    result = run_cli(["rehearse", "--examples", str(gallery), "--out", "out"], env, tmp_path)
    assert result.returncode == 1, result.stderr  # h_broken ended in an error
    assert "Traceback" not in result.stderr
    assert "flaw found 1/6 = 17% · false accusations 1/2 = 50% · controls cleared 1/2 = 50% · F1 0.25" in result.stdout
    assert "a_right #1: correct (verdict: 2)" in result.stderr
    assert {p.name for p in (tmp_path / "out").iterdir()} == {
        "recordings",
        "scorecard.json",
        "scorecard.md",
        "scorecard.html",
        "plan.json",
        "runs.jsonl",
    }
    assert len(list((tmp_path / "out" / "recordings").glob("*.jsonl"))) == 8
    again = run_cli(["rehearse", "--examples", str(gallery), "--out", "out"], env, tmp_path)
    assert again.returncode == 2 and "already holds files" in again.stderr


@pytest.mark.parametrize(
    "args, says",
    [
        (["--compare", "colour=blue", "model=x"], "'colour' is not a setting"),
        (["--compare", "backend=replay", "backend=ollama"], "a rehearsal needs a model server"),
        (["--only", "no_such_example"], "--only no_such_example"),
        (["--repeat", "0"], "--repeat must be at least 1"),
        (["--examples", "nowhere"], "nowhere holds no example files"),
    ],
)
def test_bad_arguments_exit_2_saying_why(tmp_path, capsys, args, says):
    try:
        code = rehearse(*args, "--out", str(tmp_path / "out"))
    except SystemExit as exit:  # argparse's own checks
        code = exit.code
    assert code == 2 and says in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_ctrl_c_stops_the_rehearsal_hangs_up_and_keeps_the_runs_done_so_far(srv, tmp_path):
    slow = BY_SLUG["b_wrong"]
    script_server(srv, "ollama", {"b_wrong": Reply(body=[Sleep(30), *reply("ollama", slow).body])})
    gallery = write_gallery(tmp_path / "gallery", [BY_SLUG["a_right"], slow])
    env = child_env(MAGISTRAL_BACKEND="ollama", MAGISTRAL_OLLAMA_URL=srv.url)
    proc = subprocess.Popen(
        [sys.executable, "-m", "magistral_debugger", "rehearse", "--examples", str(gallery), "--out", "out"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    try:
        srv.wait_for_request("/api/chat", timeout=30)
        srv.wait_for_request("/api/chat", timeout=30)  # b_wrong's: the server is silent now
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
        err = proc.stderr.read().decode()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert code == 130 and "Traceback" not in err
    assert srv.wait_for_hangup(timeout=5) is not None
    data = scorecard(tmp_path / "out")
    assert data["complete"] is False
    assert {slug: [r["outcome"] for r in runs] for slug, runs in runs_of(data).items()} == {
        "a_right": ["correct"],
        "b_wrong": [],
    }
    assert "interrupted: 1 of 2 runs done" in (tmp_path / "out" / "scorecard.md").read_text(encoding="utf-8")
    assert read_recording(tmp_path / "out" / "recordings" / "b_wrong.jsonl").end.outcome == "cancelled"
