"""Public mode through the page's handlers (``DebuggerPage``), run after run in order so that
each token budget's edge falls on a known run; Gradio's own ``gr.Request`` carries the visitor.
Also: the health check never asks an address a visitor typed, and exports hold no key."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import gradio as gr
import pytest

from magistral_debugger.i18n import t
from magistral_debugger.settings import Settings
from magistral_debugger.ui.handlers import DebuggerPage, LiveRun
from magistral_debugger.ui.public.gate import wait_words
from tests.loopback import Hold, ModelServer, Reply, mistral_sse_events
from tests.ui.public.mistral_api import (
    ANSWER,
    CHAT,
    KEY,
    RUN_TOKENS,
    STREAM,
    as_mistral,
    chat_requests,
    public_settings,
)

MAX_TOKENS = 100


@pytest.fixture
def mistral():
    with ModelServer() as server:
        yield as_mistral(server)


def page_for(server: ModelServer, **overrides) -> DebuggerPage:
    return DebuggerPage(
        Settings(
            _env_file=None, **public_settings(server, max_tokens=MAX_TOKENS, public_runs_per_hour=100, **overrides)
        )
    )


def request(session: str, address: str) -> gr.Request:
    return gr.Request(session_hash=session, headers={"x-forwarded-for": address}, client={"host": "10.0.0.1"})


async def last(page: DebuggerPage, who: gr.Request, live: LiveRun | None = None, text: str = "x = y so 2 = 1") -> tuple:
    updates = [update async for update in page.debug(text, live=live or LiveRun(), request=who)]
    return updates[-1]


def test_tokens_per_day_admits_runs_while_one_more_max_tokens_fits_and_then_says_a_day(mistral):
    # each run may spend 100 and spends 6: admitted while spent + 100 ≤ 250
    page = page_for(mistral, public_tokens_per_day=250)
    me = request("s1", "203.0.113.1")
    allowed = (250 - MAX_TOKENS) // RUN_TOKENS + 1

    async def go() -> list:
        return [await last(page, me) for _ in range(allowed + 1)]

    outcomes = asyncio.run(go())
    assert [o[1] for o in outcomes[:allowed]] == [ANSWER] * allowed
    assert outcomes[-1][2] == f"⏳ {t('public_tokens_per_day', limit=250, wait=wait_words(86400))}"
    assert len(chat_requests(mistral)) == allowed
    assert page.gate.budget.spent("session:s1") == allowed * RUN_TOKENS
    # the same address in a new session is the same visitor; another address is not
    other_session = asyncio.run(last(page, request("s2", "203.0.113.1")))
    other_address = asyncio.run(last(page, request("s3", "203.0.113.2")))
    assert other_session[2].startswith("⏳") and other_address[1] == ANSWER


def test_the_global_cap_stops_everyone_once_the_day_is_spent(mistral):
    page = page_for(mistral, public_global_tokens_per_day=130, public_tokens_per_day=10_000)
    visitors = [request(f"s{n}", f"203.0.113.{n}") for n in range(10)]

    async def go() -> list:
        return [await last(page, who) for who in visitors]

    outcomes = asyncio.run(go())
    allowed = (130 - MAX_TOKENS) // RUN_TOKENS + 1
    assert [o[1] for o in outcomes].count(ANSWER) == allowed == len(chat_requests(mistral))
    wait = wait_words(86400, "en")
    assert outcomes[-1][2] == f"⏳ {t('public_global_tokens_per_day', limit=130, wait=wait)}"


def test_one_run_at_a_time_a_second_is_told_to_wait_for_the_first(mistral):
    release = threading.Event()
    mistral.route("POST", CHAT, Reply(body=[Hold(release, timeout=30), *mistral_sse_events(STREAM)]))
    page = page_for(mistral)
    me = request("s1", "203.0.113.1")

    async def go() -> tuple:
        first = asyncio.create_task(last(page, me))
        await asyncio.to_thread(mistral.wait_for_request, CHAT, 10)
        second = await last(page, request("s2", "203.0.113.1"))  # another tab, same address
        release.set()
        return await first, second

    first, second = asyncio.run(go())
    assert first[1] == ANSWER
    assert second[2] == f"⏳ {t('public_runs_at_once', limit=1)}"
    assert len(chat_requests(mistral)) == 1


def test_a_run_the_app_turned_away_as_busy_is_not_counted(mistral):
    """One runs (held by the server), one waits, a third hears "busy": that third visitor's one
    run of the hour is still theirs once the app has room."""
    release = threading.Event()
    mistral.route(
        "POST",
        CHAT,
        [Reply(body=[Hold(release, timeout=30), *mistral_sse_events(STREAM)])]
        + [Reply(body=mistral_sse_events(STREAM))],
    )
    page = DebuggerPage(
        Settings(
            _env_file=None,
            **public_settings(mistral, max_tokens=MAX_TOKENS, public_runs_per_hour=1),
            concurrency_limit=1,
            queue_max_size=1,
        )
    )

    async def go() -> tuple:
        running = asyncio.create_task(last(page, request("a", "203.0.113.1")))
        await asyncio.to_thread(mistral.wait_for_request, CHAT, 10)
        waiting = asyncio.create_task(last(page, request("b", "203.0.113.2")))
        while not page.admission.waiting:
            await asyncio.sleep(0.01)
        busy = await last(page, request("c", "203.0.113.3"))
        release.set()
        await running, await waiting
        return busy, await last(page, request("c", "203.0.113.3"))

    busy, later = asyncio.run(go())
    assert busy[2] == f"⏳ {t('status_busy')}"
    assert later[1] == ANSWER


def test_the_health_check_asks_only_the_owners_server_whatever_url_the_page_sends(mistral):
    with ModelServer() as elsewhere:
        page = page_for(mistral)
        asyncio.run(page.refresh_models("openai", elsewhere.url + "/v1", "other-model", "en"))
        assert elsewhere.requests == []
    assert mistral.requests and {r.path for r in mistral.requests} == {"/v1/models"}


def test_exports_of_a_public_run_hold_no_key(mistral):
    page = page_for(mistral)
    live = LiveRun()
    assert asyncio.run(last(page, request("s1", "203.0.113.1"), live))[1] == ANSWER
    markdown, json_file, *_ = page.after_run(live)
    for button in (markdown, json_file):
        value = button.value
        text = Path(value["path"] if isinstance(value, dict) else value).read_text(encoding="utf-8")
        assert ANSWER.split(":")[0] in text and KEY not in text
