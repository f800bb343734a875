"""A busy server (429, or 5xx) before the first token: asked once more after its Retry-After
when that fits ``busy_retry_s``, the person told it is being asked again; a second refusal, or
a longer wait than the setting allows, is told at once with when to retry. Never more than two
requests, never an unbounded wait."""

from __future__ import annotations

import pytest

from magistral_debugger.events import Notice
from tests.loopback import ModelServer, Reply, json_reply, mistral_models, mistral_sse_events
from tests.runs import run_to_end, settings_for

KEY = "mistral-loopback-key-0123456789"
CHAT = "/v1/chat/completions"
OK = Reply(body=mistral_sse_events(["The answer.", "\nFlawed step: none"]))


def busy(status: int, retry_after: str | None = None) -> Reply:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return json_reply(
        {"object": "error", "message": "Service tier capacity exceeded", "code": str(status)}, status, headers
    )


@pytest.fixture
def api(srv: ModelServer) -> ModelServer:
    srv.route("GET", "/v1/models", mistral_models({"id": "mistral-large-4-0"}))
    return srv


def run(server: ModelServer, retry: float):
    return run_to_end(settings_for(server, "mistral", mistral_api_key=KEY, busy_retry_s=retry))


def chats(server: ModelServer) -> int:
    return sum(r.path == CHAT for r in server.requests)


@pytest.mark.parametrize("status, retry_after", [(429, "1"), (503, None), (500, None), (502, "1")])
def test_a_busy_server_is_asked_once_more_and_the_run_goes_on(api, status, retry_after):
    api.route("POST", CHAT, [busy(status, retry_after), OK])
    events, state = run(api, retry=5)
    assert state.ok and state.answer == "The answer."
    assert chats(api) == 2
    notices = [e.message for e in events if isinstance(e, Notice) and "busy" in e.message]
    assert len(notices) == 1 and f"HTTP {status}" in notices[0] and "asking once more" in notices[0]


def test_a_second_refusal_ends_the_run_saying_when_to_try_again(api):
    api.route("POST", CHAT, [busy(429, "1"), busy(429, "1")])
    _, state = run(api, retry=5)
    assert state.finish_reason == "error" and state.error.key == "rate_limited" and state.retry_after_s == 1
    assert chats(api) == 2


def test_a_longer_wait_than_allowed_is_told_at_once(api):
    api.route("POST", CHAT, [busy(429, "120"), OK])
    _, state = run(api, retry=5)
    assert state.error.key == "rate_limited" and state.error.values["seconds"] == 120
    assert chats(api) == 1


def test_without_the_setting_a_busy_server_is_asked_once(api):
    api.route("POST", CHAT, [busy(503), OK])
    _, state = run(api, retry=0)
    assert state.finish_reason == "error" and chats(api) == 1


def test_a_refusal_that_is_not_busy_is_never_asked_again(api):
    api.route("POST", CHAT, [json_reply({"message": "bad"}, 400), OK])
    _, state = run(api, retry=5)
    assert state.finish_reason == "error" and chats(api) == 1
