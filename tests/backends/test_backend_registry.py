"""A new kind of server is one class and one registry line: no other part of the app asks
which kind of server it talks to. Shown with a third backend made up here and registered
for the test, which the settings, the run and the page's handlers all take as they are."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from magistral_debugger.backends import Backend, ChatRequest, ModelInfo, make_backend
from magistral_debugger.engine.run import DebugRun, Ended, Judged
from magistral_debugger.events import ContentText, Finished, ReasoningText, StreamEvent, Usage
from magistral_debugger.i18n import Message
from magistral_debugger.settings import BACKENDS, BackendEntry, Settings

PROOF = "Let x = y.\nThen x − y = 0.\nDivide by x − y: 1 = 0."


class EchoBackend(Backend):
    """Answers every proof the same way, and remembers what it was asked."""

    kind = "echo"

    made: list[EchoBackend] = []

    def __init__(self) -> None:
        self.url = "echo://here"
        self.requests: list[ChatRequest] = []

    @classmethod
    def from_settings(cls, settings: Settings) -> EchoBackend:
        cls.made.append(cls())
        return cls.made[-1]

    async def list_models(self) -> list[str]:
        return ["echo-1"]

    async def default_model(self) -> str:
        return "echo-1"

    async def model_info(self, model: str = "") -> ModelInfo:
        return ModelInfo(name=model or "echo-1", context_tokens=4096, thinking=True)

    def missing_model_hint(self, model: str) -> Message:
        return Message("ollama_pull_hint", model=model)

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        self.requests.append(request)
        yield ReasoningText("Step 3 divides by x − y, which is 0.")
        yield ContentText("Step 3 divides by zero.\nFlawed step: 3 (division by zero)")
        yield Usage(prompt_tokens=10, completion_tokens=12)
        yield Finished("stop")


@pytest.fixture
def echo_registered(monkeypatch):
    monkeypatch.setitem(BACKENDS, "echo", BackendEntry(f"{__name__}:EchoBackend"))
    monkeypatch.setattr(EchoBackend, "made", [])
    return EchoBackend.made


def test_a_third_backend_registered_by_name_runs_a_whole_debug(echo_registered):
    settings = Settings(_env_file=None, backend="echo", max_tokens=10_000)
    assert isinstance(make_backend(settings), EchoBackend)

    async def collect() -> list:
        return [event async for event in DebugRun(settings, PROOF).events()]

    events = asyncio.run(collect())
    state = events[-1].state
    assert isinstance(events[-1], Ended) and state.ok
    assert state.reasoning == "Step 3 divides by x − y, which is 0."
    assert state.answer == "Step 3 divides by zero."
    assert [e.verdict.step for e in events if isinstance(e, Judged)] == [3]
    request = echo_registered[-1].requests[0]
    # The run fit max tokens to the context the backend declared, and asked for its thinking.
    assert request.model == "echo-1" and request.think and request.max_tokens < 4096


def test_an_unregistered_backend_name_is_refused_by_the_settings():
    with pytest.raises(ValueError, match="echo"):
        Settings(_env_file=None, backend="echo")


def test_the_page_offers_a_registered_backend_and_runs_it(echo_registered):
    from magistral_debugger.ui.handlers import DebuggerPage, backend_choices

    assert ("echo", "echo") in [(value, value) for _, value in backend_choices()]
    page = DebuggerPage(Settings(_env_file=None, backend="echo"))

    async def last_update() -> tuple:
        updates = [update async for update in page.debug(PROOF)]
        return updates[-1]

    reasoning, answer, status, *_, verdict = asyncio.run(last_update())
    assert answer == "Step 3 divides by zero." and verdict["step"] == 3
