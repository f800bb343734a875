"""A rehearsal against a real vLLM serving the puppet model: three examples graded from the
puppet's verdict line, a recording of each run, and those recordings replayed with no server,
by the CLI and in the page (Chromium), which says it is a replay of the rehearsal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import make_puppet_model
from magistral_debugger.backends import read_recording
from magistral_debugger.prompting.examples import load_examples
from make_puppet_model import PUPPET_ANSWER, PUPPET_MODEL_NAME
from tests import runs
from tests.conftest import serve_app
from tests.loopback import dead_url

pytestmark = pytest.mark.real_server

EXAMPLES = {example.slug: example for example in load_examples()}
SLUGS = ("01_two_equals_one_cancel", "02_minus_one_equals_one_sqrt", "04_sqrt2_irrational")
# The puppet says the same thing whatever it is shown: "Flawed step: 5 (…)" once it has a
# verdict line, nothing of the kind before. 01's flaw is step 5, 02's step 3, 04 is a control.
VERDICT_STEP = getattr(make_puppet_model, "PUPPET_VERDICT_STEP", None)
assert VERDICT_STEP in (None, 5), "the expectations below are for a puppet that names step 5"
EXPECTED = (
    dict.fromkeys(SLUGS, "no_verdict")
    if VERDICT_STEP is None
    else {SLUGS[0]: "correct", SLUGS[1]: "wrong_step", SLUGS[2]: "false_accusation"}
)


def run_cli(args: list[str], cwd: Path, **env: str):
    return runs.run_cli(args, runs.child_env(NO_PROXY="127.0.0.1,localhost", **env), cwd, timeout=600)


@pytest.fixture(scope="module")
def rehearsal(vllm_server, tmp_path_factory) -> Path:
    """`magistral-debugger rehearse` of three examples, as a program, against the real vLLM."""
    cwd = tmp_path_factory.mktemp("rehearsal")
    result = run_cli(
        ["rehearse", "--only", *SLUGS, "--out", "out", "--max-tokens", "256"],
        cwd,
        MAGISTRAL_BACKEND="openai",
        MAGISTRAL_OPENAI_BASE_URL=vllm_server.base_url,
        MAGISTRAL_MODEL=vllm_server.model,
    )
    assert result.returncode == 0, result.stderr
    return cwd / "out"


def test_a_rehearsal_against_vllm_grades_the_puppets_verdict_and_records_every_run(rehearsal, vllm_server):
    data = json.loads((rehearsal / "scorecard.json").read_text(encoding="utf-8"))
    [configuration] = data["configurations"]
    assert (configuration["model"], configuration["server"]) == (PUPPET_MODEL_NAME, vllm_server.base_url)
    assert configuration["prompt_format"] == "2509"  # from the model's name
    runs_by_slug = {example["slug"]: example["runs"]["A"] for example in data["examples"]}
    assert {slug: [run["outcome"] for run in found] for slug, found in runs_by_slug.items()} == {
        slug: [outcome] for slug, outcome in EXPECTED.items()
    }
    for slug, [run] in runs_by_slug.items():
        assert run["finish_reason"] == "stop" and run["reasoning_tokens"] > 0 and run["answer_tokens"] > 0
        recording = read_recording(rehearsal / run["recording"])
        assert recording.argument == EXAMPLES[slug].argument and recording.end.outcome == "finished"
        assert recording.model == PUPPET_MODEL_NAME and recording.backend_url == vllm_server.base_url


def test_the_recordings_replay_with_no_server(rehearsal, tmp_path):
    for slug in SLUGS:
        result = run_cli(
            ["--replay", str(rehearsal / "recordings" / f"{slug}.jsonl"), "--speed", "instant", "--json"], tmp_path
        )
        assert result.returncode == 0, result.stderr
        events = [json.loads(line) for line in result.stdout.splitlines()]
        assert "".join(e["text"] for e in events if e["type"] == "answer").strip() == PUPPET_ANSWER.strip()
        verdicts = [e["step"] for e in events if e["type"] == "verdict"]
        assert verdicts == ([] if VERDICT_STEP is None else [VERDICT_STEP]), slug


def test_the_page_replays_the_rehearsal_when_the_server_cannot_be_reached(rehearsal, page):  # noqa: F811
    cancel = EXAMPLES[SLUGS[0]]
    mark = "✅ rehearsal: right" if EXPECTED[SLUGS[0]] == "correct" else "❌ rehearsal: wrong"
    with serve_app(
        backend="openai", openai_base_url=dead_url() + "/v1", model=PUPPET_MODEL_NAME, rehearsal_dir=str(rehearsal)
    ) as url:
        page.goto(url)
        page.locator("#examples input").click()
        page.locator("#examples [role=option]", has_text=f"{cancel.title} {mark}").first.click()
        page.locator("#debug").click()
        page.locator("#answer", has_text=PUPPET_ANSWER.strip()).wait_for()
        assert "Replay of the rehearsal from" in page.locator("#status").inner_text()
