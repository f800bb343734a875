"""``rehearse --dataset``: three ProcessBench-format items against a real vLLM serving the puppet
model, three at once. The puppet names step 5 whatever it reads, so each item's outcome is known:
its label says whether step 5 is the earliest error, another step is, or none is."""

from __future__ import annotations

import json

import pytest

import make_puppet_model
from magistral_debugger.backends import read_recording
from tests import runs

pytestmark = pytest.mark.real_server

VERDICT_STEP = getattr(make_puppet_model, "PUPPET_VERDICT_STEP", None)
assert VERDICT_STEP in (None, 5), "the expectations below are for a puppet that names step 5"
SPANNING = "Square both sides:\n$$ x^2 = 4 $$\nso x = 2."


def item(id: str, label: int) -> dict:
    steps = [f"Step {n + 1} of {id}: $a_{n} = {n}$." for n in range(6)]
    steps[1] = SPANNING
    return {
        "id": id,
        "generator": "written for this test",
        "problem": f"{id}: find every real $x$ with $x^2 = 4$.",
        "steps": steps,
        "final_answer_correct": label == -1,
        "label": label,
    }


ITEMS = [item("math-0", 4), item("math-1", 1), item("math-2", -1)]
EXPECTED = (
    dict.fromkeys(("math-0", "math-1", "math-2"), "no_verdict")
    if VERDICT_STEP is None
    else {"math-0": "correct", "math-1": "wrong_step", "math-2": "false_accusation"}
)


def test_three_processbench_items_against_vllm_are_scored_as_the_paper_scores(vllm_server, tmp_path):
    dataset = tmp_path / "pb.json"
    dataset.write_text(json.dumps(ITEMS), encoding="utf-8")
    result = runs.run_cli(
        ["rehearse", "--dataset", str(dataset), "--out", "out", "--parallel", "3", "--max-tokens", "256"],
        runs.child_env(
            NO_PROXY="127.0.0.1,localhost",
            MAGISTRAL_BACKEND="openai",
            MAGISTRAL_OPENAI_BASE_URL=vllm_server.base_url,
            MAGISTRAL_MODEL=vllm_server.model,
        ),
        tmp_path,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "out" / "scorecard.json").read_text(encoding="utf-8"))
    outcomes = {e["slug"]: [run["outcome"] for run in e["runs"]["A"]] for e in data["examples"]}
    assert outcomes == {slug: [outcome] for slug, outcome in EXPECTED.items()}
    bench = data["configurations"][0]["benchmark"]
    found = 1 if VERDICT_STEP else 0
    assert bench["splits"]["math"]["erroneous"] == 2 and bench["splits"]["math"]["erroneous_matched"] == found
    assert bench["splits"]["math"]["correct"] == 1 and bench["splits"]["math"]["correct_matched"] == 0
    assert bench["average_over"] == ["math"] and bench["average_f1"] == 0.0  # accused its one correct item
    assert data["throughput"]["runs"] == 3 and data["throughput"]["generated_tokens"] > 0
    for example in data["examples"]:
        [run] = example["runs"]["A"]
        recording = read_recording(tmp_path / "out" / run["recording"])
        assert recording.request.proof is not None and recording.request.proof.steps[1] == SPANNING
        sent = recording.request.messages[-1]["content"]
        sent = sent if isinstance(sent, str) else "".join(chunk.get("text", "") for chunk in sent)
        assert "2. Square both sides:\n   $$ x^2 = 4 $$\n   so x = 2.\n3. Step 3" in sent
