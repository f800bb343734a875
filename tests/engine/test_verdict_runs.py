"""The verdict through a whole run, on both backends: the loopback server streams an answer
ending in one of the verdict forms a model writes, and the run's events, its state and the
CLI (plain and --json) agree on the step, the kind and the answer without the verdict line."""

from __future__ import annotations

import json

import pytest

from magistral_debugger.engine.run import Focused, Judged
from magistral_debugger.engine.verdict import NoVerdict, Verdict
from tests.loopback import Reply, chat_path, chat_stream
from tests.runs import child_env, run_cli, run_to_end, settings_for

PROOF = "Let x = y.\nThen x² = xy.\nSo x² − y² = xy − y².\nDivide both sides by x − y: x + y = y.\nSo 2 = 1."
STEP_4 = "Divide both sides by x − y: x + y = y."
REASONING = [
    "Step 1 is a definition. ",
    "Step 3 subtracts y² on both sides, fine. ",
    "Step ",
    "4 divides by x − y = 0.",
]
# (name, answer chunks, the verdict the run must read, what the answer pane keeps)
FORMS = [
    (
        "plain",
        ["Step 4 divides by zero.\n\n", "Flawed step: 4 (division by zero)"],
        Verdict(4, "division by zero", "", STEP_4),
        "Step 4 divides by zero.",
    ),
    (
        "cut mid-line between chunks",
        ["Step 4 divides by zero.\nFla", "wed st", "ep: 4 (divi", "sion by zero)\n"],
        Verdict(4, "division by zero", "", STEP_4),
        "Step 4 divides by zero.",
    ),
    (
        "markdown and hash",
        ["Dividing by zero.\n", "**Flawed step:** #4 (Division by zero)."],
        Verdict(4, "division by zero", "", STEP_4),
        "Dividing by zero.",
    ),
    (
        "portuguese answer, english line",
        ["O passo 4 divide por zero, pois x − y = 0.\n", "Flawed step: 4 (division by zero)"],
        Verdict(4, "division by zero", "", STEP_4),
        "O passo 4 divide por zero, pois x − y = 0.",
    ),
    (
        "kind outside the list",
        ["Step 4 is wrong.\n", "Flawed step: 4 (sleight of hand)"],
        Verdict(4, "other", "sleight of hand", STEP_4),
        "Step 4 is wrong.",
    ),
    ("none", ["Every step holds.\n", "Flawed step: none"], Verdict(None), "Every step holds."),
    (
        "out of range",
        ["Step 9 is wrong.\n", "Flawed step: 9 (division by zero)"],
        NoVerdict("out_of_range"),
        "Step 9 is wrong.",
    ),
    ("missing", ["Step 4 divides by zero."], NoVerdict("missing"), "Step 4 divides by zero."),
    (
        "two contradicting lines",
        ["Flawed step: 4 (division by zero)\n", "Hmm.\n", "Flawed step: 2 (other)"],
        NoVerdict("contradicting"),
        "Hmm.",
    ),
]


@pytest.mark.parametrize("backend", ["ollama", "openai"])
@pytest.mark.parametrize(("name", "answer", "verdict", "shown"), FORMS, ids=[form[0] for form in FORMS])
def test_every_verdict_form_is_read_the_same_on_both_backends(srv, backend, name, answer, verdict, shown):
    srv.route("POST", chat_path(backend), Reply(body=chat_stream(backend, REASONING, answer)))
    events, state = run_to_end(
        settings_for(srv, backend, model=srv.openai_model if backend == "openai" else "magistral"), PROOF
    )
    judged = [e.verdict for e in events if isinstance(e, Judged)]
    assert judged == [verdict] and state.verdict == verdict
    assert state.answer.strip() == shown
    assert "Flawed step" not in state.answer and "Flawed step" not in state.reasoning


def test_the_focus_follows_the_steps_the_reasoning_names_and_only_steps_that_exist(srv):
    reasoning = ["Look at step 2. ", "Then step 3. ", "Step 7 does not exist. ", "Back to line ", "4 now."]
    srv.route("POST", "/api/chat", Reply(body=chat_stream("ollama", reasoning, ["Flawed step: 4 (division by zero)"])))
    events, state = run_to_end(settings_for(srv, "ollama", model="magistral"), PROOF)
    assert [e.step for e in events if isinstance(e, Focused)] == [2, 3, 4]
    assert state.focus == 4


def test_a_stream_cut_inside_the_verdict_line_keeps_its_words_and_gives_no_verdict(srv):
    srv.route(
        "POST",
        "/api/chat",
        Reply(body=chat_stream("ollama", REASONING, ["Step 4.\n", "Flawed step: 4 (divi"], complete=False)),
    )
    events, state = run_to_end(settings_for(srv, "ollama", model="magistral"), PROOF)
    assert state.finish_reason == "error" and state.verdict is None
    assert not any(isinstance(e, Judged) for e in events)
    assert state.answer.endswith("Flawed step: 4 (divi")  # nothing that arrived is lost


def test_a_follow_up_keeps_the_numbering_of_the_proof(srv):
    from magistral_debugger.engine.run import DebugRun
    from magistral_debugger.prompting.messages import Turn

    srv.route("POST", "/api/chat", Reply(body=chat_stream("ollama", ["Step 5 then."], ["Flawed step: 5 (other)"])))
    run = DebugRun(
        settings_for(srv, "ollama", model="magistral"),
        "Why not step 4?",
        history=[Turn(question=PROOF, answer="Step 4 divides by zero.")],
    )
    import asyncio

    async def drain() -> None:
        async for _ in run.events():
            pass

    asyncio.run(drain())
    assert run.state.steps[3] == STEP_4 and run.state.verdict == Verdict(5, "other", "", "So 2 = 1.")


@pytest.mark.parametrize("backend", ["ollama", "openai"])
def test_cli_json_emits_focus_and_verdict_events_in_the_documented_shape(srv, backend, tmp_path):
    srv.route("POST", chat_path(backend), Reply(body=chat_stream(backend, REASONING, FORMS[1][1])))
    env = child_env(MAGISTRAL_BACKEND=backend, MAGISTRAL_OLLAMA_URL=srv.url, MAGISTRAL_OPENAI_BASE_URL=srv.url + "/v1")
    result = run_cli(["--json", PROOF], env, tmp_path)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"type": "verdict", "step": 4, "kind": "division by zero", "text": STEP_4} in records
    assert [r["step"] for r in records if r["type"] == "focus"] == [1, 3, 4]
    assert "Flawed step" not in "".join(r.get("text", "") for r in records if r["type"] == "answer")


def test_cli_json_has_no_verdict_event_when_the_model_gave_none(srv, tmp_path):
    srv.route("POST", "/api/chat", Reply(body=chat_stream("ollama", REASONING, ["Step 4 divides by zero."])))
    result = run_cli(["--json", PROOF], child_env(MAGISTRAL_OLLAMA_URL=srv.url), tmp_path)
    assert result.returncode == 0, result.stderr
    assert not [line for line in result.stdout.splitlines() if json.loads(line)["type"] == "verdict"]


@pytest.mark.parametrize(
    ("answer", "last_line"),
    [
        (FORMS[0][1], "verdict: step 4 (division by zero)"),
        (FORMS[5][1], "verdict: none (no flaw found)"),
        (FORMS[7][1], "note: the model gave no step verdict"),
    ],
)
def test_plain_cli_ends_stderr_with_the_verdict_and_keeps_stdout_to_the_answer(srv, tmp_path, answer, last_line):
    srv.route("POST", "/api/chat", Reply(body=chat_stream("ollama", REASONING, answer)))
    result = run_cli([PROOF], child_env(MAGISTRAL_OLLAMA_URL=srv.url), tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.rstrip("\n").splitlines()[-1] == last_line
    assert "Flawed step" not in result.stdout
