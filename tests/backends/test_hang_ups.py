"""A run that ends early hangs up on the model server, on both backends: Stop between
tokens or while the server is still silent, and giving up on a server that never sends a
first token or stalls after one. Closing the connection is the only way to stop Ollama
generating, and what makes vLLM abort the request and free the GPU."""

from __future__ import annotations

import pytest

from magistral_debugger.settings import Settings
from tests.loopback import ModelServer, Reply, chat_path, chat_stream
from tests.runs import (
    run_to_end,
    settings_for,
    silent_then,
    stalled_after_first,
    stop_mid_stream_by_aclose,
    stop_mid_stream_by_cancel,
    stop_while_silent_by_cancel,
    stop_while_silent_by_closing_snapshots,
)

pytestmark = pytest.mark.parametrize("backend", ["ollama", "openai"])

REASONING = ["Step 5 divides ", "by x − y, ", "which is 0."]
ANSWER = ["**Step 5** divides by zero: ", "x − y = 0."]
MODEL = {"ollama": "magistral", "openai": "mistralai/Magistral-Small-2509"}


def run_settings(srv: ModelServer, backend: str, **overrides) -> Settings:
    return settings_for(srv, backend, model=MODEL[backend], **overrides)


def stalled_after_first_piece(srv: ModelServer, backend: str) -> None:
    srv.route("POST", chat_path(backend), Reply(body=stalled_after_first(chat_stream(backend, REASONING, ANSWER))))


def silent_before_the_first_token(srv: ModelServer, backend: str) -> None:
    srv.route("POST", chat_path(backend), Reply(body=silent_then(chat_stream(backend, REASONING, ANSWER))))


# --- Stop --------------------------------------------------------------------------------


def test_consumer_that_stops_iterating_mid_stream_hangs_up_on_the_server(srv, backend):
    stalled_after_first_piece(srv, backend)
    state, hung_up = stop_mid_stream_by_aclose(run_settings(srv, backend), srv)
    assert hung_up is not None
    assert state.finish_reason == "cancelled"


def test_cancelling_the_task_mid_stream_hangs_up_on_the_server(srv, backend):
    stalled_after_first_piece(srv, backend)
    state, hung_up = stop_mid_stream_by_cancel(run_settings(srv, backend), srv)
    assert hung_up is not None
    assert state.finish_reason == "cancelled"


def test_cancelling_while_the_server_is_silent_before_the_first_token_hangs_up(srv, backend):
    """Ollama may spend minutes loading a model before the first line, vLLM on a long
    prefill; Stop must still close the connection, or the server keeps working for nobody."""
    silent_before_the_first_token(srv, backend)
    state, hung_up = stop_while_silent_by_cancel(run_settings(srv, backend), srv, chat_path(backend))
    assert hung_up is not None
    assert state.finish_reason == "cancelled"


def test_closing_live_snapshots_while_the_server_is_silent_hangs_up(srv, backend):
    silent_before_the_first_token(srv, backend)
    state, hung_up = stop_while_silent_by_closing_snapshots(run_settings(srv, backend), srv, chat_path(backend))
    assert hung_up is not None
    assert state.finish_reason == "cancelled"


# --- giving up on the server -------------------------------------------------------------


def test_silence_past_the_first_token_timeout_is_an_error_and_hangs_up(srv, backend):
    silent_before_the_first_token(srv, backend)
    _, state = run_to_end(run_settings(srv, backend, first_token_timeout=0.3))
    assert state.finish_reason == "error"
    assert "No reply" in state.outcome() and "MAGISTRAL_FIRST_TOKEN_TIMEOUT" in state.outcome()
    assert srv.wait_for_hangup(timeout=5) is not None


def test_stream_that_stalls_after_the_first_token_is_an_error_that_keeps_what_arrived_and_hangs_up(srv, backend):
    """Once tokens flow, a long silence means the server is stuck: say so, keep the text,
    and free the server instead of waiting for the first-token timeout of minutes."""
    stalled_after_first_piece(srv, backend)
    _, state = run_to_end(run_settings(srv, backend, read_timeout=0.3))
    assert state.finish_reason == "error"
    assert "stalled" in state.outcome() and "MAGISTRAL_READ_TIMEOUT" in state.outcome()
    assert state.reasoning == REASONING[0]
    assert srv.wait_for_hangup(timeout=5) is not None
