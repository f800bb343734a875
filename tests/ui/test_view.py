"""What the page says about a run, from run state alone (no Gradio, no server)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from magistral_debugger.backends import Health
from magistral_debugger.engine.state import RunState
from magistral_debugger.events import Answer, Reasoning, Usage
from magistral_debugger.i18n import Message
from magistral_debugger.prompting.messages import Turn
from magistral_debugger.settings import Settings
from magistral_debugger.ui.handlers import invalid_settings_message, session_settings
from magistral_debugger.ui.view import (
    covered_render,
    health_markdown,
    notes_markdown,
    reasoning_header,
    status_markdown,
    thread_markdown,
)


class Clock:
    """A clock the test moves by hand, so durations are exact."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_reasoning_header_counts_while_thinking_then_says_how_long_and_how_many_tokens():
    clock = Clock()
    state = RunState(model="magistral", clock=clock)
    assert reasoning_header(state) == "Reasoning"
    clock.now += 1
    state.apply(Reasoning("Let me see"))
    clock.now += 12
    assert reasoning_header(state) == "Thinking… 12 sec"
    clock.now += 11
    state.apply(Answer("The flaw is step 5."))
    clock.now += 5
    state.usage = Usage(412, 3012, 2916)
    state.finish("stop")
    assert reasoning_header(state) == "Thought for 23 sec · 2,916 tokens"
    assert reasoning_header(state, "pt") == "Pensou por 23 s · 2.916 tokens"
    assert reasoning_header(state, "zh-CN") == "思考了 23秒 · 2,916 个 token"


def test_technical_notices_stay_out_of_the_status_and_go_to_the_notes_line():
    state = RunState(model="magistral", max_tokens=39_905, clock=Clock())
    state.notices.append(Message("openai_max_tokens_lowered", requested=40_960, fitted=39_905, limit=40_960))
    state.apply(Reasoning("thinking"))
    state.finish("length")
    assert "lowered" not in status_markdown(state) and "40,960" not in status_markdown(state)
    assert "(max tokens 39,905)" in status_markdown(state)  # the one limit that was really sent
    assert notes_markdown(state) == (
        "ℹ️ Max tokens lowered from 40,960 to 39,905 to fit the server's context of 40,960 tokens (--max-model-len)."
    )
    assert notes_markdown(state, "pt").startswith("ℹ️ ") and "39.905" in notes_markdown(state, "pt")
    assert notes_markdown(RunState(clock=Clock())) == "" and notes_markdown(None) == ""


def test_the_thread_is_the_conversation_in_order_ending_with_the_question_being_answered():
    history = [
        Turn(question="x = y.\nSo 2 = 1.", answer="Step 2 divides by zero.", reasoning="x − y is 0"),
        Turn(question="Why not cancel?", answer="Because 0/0 is undefined.", reasoning="0/0"),
    ]
    thread = thread_markdown(history, "en", asking="And if x ≠ y?")
    order = [
        thread.index(text)
        for text in (
            "**The proof:**",
            "> x = y.",
            "> So 2 = 1.",
            "Step 2 divides by zero.",
            "**You asked:** Why not cancel?",
            "Because 0/0 is undefined.",
            "**You asked:** And if x ≠ y?",
        )
    ]
    assert order == sorted(order)
    assert thread.count("<details>") == 2  # each earlier turn's reasoning, folded
    assert thread_markdown([], "en", asking="And if x ≠ y?") == ""  # a first turn: the proof box says it


@pytest.mark.parametrize(
    ("reason", "answer", "expected"),
    [
        ("stop", "The flaw is step 5.", "✅ Finished."),
        ("length", "", "Ran out of tokens while thinking (max tokens 512): raise max tokens"),
        ("length", "The flaw", "cut off at the token limit"),
        ("cancelled", "", "⏹️ Stopped."),
        ("stop", "", "stopped thinking without giving an answer"),
    ],
)
def test_status_says_how_the_run_ended(reason, answer, expected):
    state = RunState(model="magistral", max_tokens=512, clock=Clock())
    state.apply(Reasoning("thinking"))
    if answer:
        state.apply(Answer(answer))
    state.finish(reason)
    assert expected in status_markdown(state)


def test_status_shows_an_error_as_the_engine_worded_it():
    state = RunState(clock=Clock())
    state.finish(
        "error",
        "Cannot reach the model server at http://127.0.0.1:9 (connection refused). Start it with `ollama serve`.",
    )
    assert status_markdown(state).startswith("❌ Cannot reach the model server at http://127.0.0.1:9")


def test_status_while_waiting_for_the_first_token_counts_the_wait():
    clock = Clock()
    state = RunState(model="magistral", clock=clock)
    clock.now += 7
    assert status_markdown(state) == "⏳ Waiting for magistral… 7 sec"


def test_health_badge_names_each_state():
    assert health_markdown(Health("ready", "Ready: magistral")).startswith("🟢")
    assert health_markdown(Health("model_missing", "pull it")).startswith("🟠")
    assert health_markdown(Health("unreachable", "down")).startswith("🔴")


def test_session_settings_put_the_url_on_the_chosen_backend_and_keep_the_rest():
    base = Settings(_env_file=None, port=7001)
    chosen = session_settings(base, "openai", " http://gpu:8000/v1/ ", "m", 0.2, 0.9, 100, "2509")
    assert (chosen.backend, chosen.openai_base_url, chosen.ollama_url) == (
        "openai",
        "http://gpu:8000/v1",
        base.ollama_url,
    )
    assert (chosen.model, chosen.temperature, chosen.top_p, chosen.max_tokens, chosen.model_version) == (
        "m",
        0.2,
        0.9,
        100,
        "2509",
    )
    assert chosen.port == 7001


def test_session_settings_refuse_values_the_environment_would_refuse():
    with pytest.raises(ValidationError) as caught:
        session_settings(Settings(_env_file=None), "ollama", "", "", 0.7, 0.0, 10, "auto")
    assert invalid_settings_message(caught.value) == (
        "❌ Invalid setting (top_p: Input should be greater than 0). Fix it in the Backend panel."
    )


def test_guess_first_shows_time_and_tokens_then_that_the_answer_is_ready_but_none_of_its_words():
    clock = Clock()
    state = RunState(model="magistral", clock=clock)
    state.apply(Reasoning("Step 4 divides by x - y"))
    clock.now += 3
    working = covered_render(state)
    assert "3 sec" in working[2] and "divides" not in " ".join(working)
    state.apply(Answer("The flaw is step 4."))
    state.finish("stop")
    reasoning, answer, status, header, _ = covered_render(state, lang="pt")
    assert "pronta" in status and "tokens" in status
    assert not any(word in " ".join((reasoning, answer, status, header)) for word in ("divides", "flaw"))


def test_guess_first_can_show_the_reasoning_alone_and_keep_the_answer_and_its_verdict_covered():
    state = RunState(model="magistral", clock=Clock())
    state.apply(Reasoning("Step 4 divides by x - y"))
    state.apply(Answer("The flaw is step 4.\nFlawed step: 4 (division by zero)"))
    state.finish("stop")
    reasoning, answer, status, _, _ = covered_render(state, show_reasoning=True)
    assert reasoning == "Step 4 divides by x - y"
    assert answer == covered_render(state)[1]
    assert not any(word in " ".join((answer, status)) for word in ("flaw", "Flawed", "division"))
