"""What the page says about a run, from run state alone (no Gradio, no server)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from magistral_debugger.backends import Health
from magistral_debugger.events import Answer, Reasoning
from magistral_debugger.settings import Settings
from magistral_debugger.state import RunState
from magistral_debugger.ui.handlers import invalid_settings_message, session_settings
from magistral_debugger.view import health_markdown, reasoning_header, status_markdown


class Clock:
    """A clock the test moves by hand, so durations are exact."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_reasoning_header_counts_while_thinking_and_says_how_long_after():
    clock = Clock()
    state = RunState(model="magistral", clock=clock)
    assert reasoning_header(state) == "Reasoning"
    clock.now += 1
    state.apply(Reasoning("Let me see"))
    clock.now += 12
    assert reasoning_header(state) == "Thinking… 12 s"
    clock.now += 11
    state.apply(Answer("The flaw is step 5."))
    clock.now += 5
    state.finish("stop")
    assert reasoning_header(state) == "Thought for 23 s"


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
    state.finish("error", "Cannot reach the model server at http://127.0.0.1:9 (connection refused). Start it with `ollama serve`.")
    assert status_markdown(state).startswith("❌ Cannot reach the model server at http://127.0.0.1:9")


def test_status_while_waiting_for_the_first_token_counts_the_wait():
    clock = Clock()
    state = RunState(model="magistral", clock=clock)
    clock.now += 7
    assert status_markdown(state) == "⏳ Waiting for magistral… 7 s"


def test_health_badge_names_each_state():
    assert health_markdown(Health("ready", "Ready: magistral")).startswith("🟢")
    assert health_markdown(Health("model_missing", "pull it")).startswith("🟠")
    assert health_markdown(Health("unreachable", "down")).startswith("🔴")


def test_session_settings_put_the_url_on_the_chosen_backend_and_keep_the_rest():
    base = Settings(_env_file=None, port=7001)
    chosen = session_settings(base, "openai", " http://gpu:8000/v1/ ", "m", 0.2, 0.9, 100, "2509")
    assert (chosen.backend, chosen.openai_base_url, chosen.ollama_url) == ("openai", "http://gpu:8000/v1", base.ollama_url)
    assert (chosen.model, chosen.temperature, chosen.top_p, chosen.max_tokens, chosen.model_version) == ("m", 0.2, 0.9, 100, "2509")
    assert chosen.port == 7001


def test_session_settings_refuse_values_the_environment_would_refuse():
    with pytest.raises(ValidationError) as caught:
        session_settings(Settings(_env_file=None), "ollama", "", "", 0.7, 0.0, 10, "auto")
    assert invalid_settings_message(caught.value) == (
        "❌ Invalid setting (top_p: Input should be greater than 0). Fix it in the Backend panel."
    )
