"""The Backend panel's reasoning effort, in the page's handlers against a loopback model: the
menu offers only the levels the model takes (``/api/show``'s ``thinking.values`` on Ollama, the
family on Mistral's API), the chosen level is what the request carries, "none" runs without a
reasoning pane and says so, and the status and the downloads say which effort was used."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from magistral_debugger.ui.handlers import DebuggerPage, LiveRun
from tests.loopback import Reply, json_reply, mistral_models, ollama_chat_lines
from tests.runs import FLAWED, settings_for

LEVELS = {"values": [False, "low", "medium", "high"], "default": "medium"}


def show(thinking: dict | None) -> Reply:
    body: dict = {"template": "{{ .Prompt }}", "capabilities": ["completion", "thinking"]}
    return json_reply(body | ({"thinking": thinking} if thinking is not None else {}))


def choices_of(menu) -> list[str]:
    return [value for _, value in menu.choices]


def test_the_menu_offers_only_the_levels_ollamas_api_show_lists(srv):
    srv.route("POST", "/api/show", show(LEVELS))
    *_, menu = asyncio.run(DebuggerPage(settings_for(srv)).refresh_models("ollama", "", "magistral", "en", "low"))
    assert choices_of(menu) == ["auto", "none", "low", "medium", "high"]
    assert menu.choices[0][0] == "auto (high)" and menu.value == "low" and menu.interactive


def test_a_model_without_levels_offers_auto_alone_and_a_level_it_lacks_falls_back_to_auto(srv):
    srv.route("POST", "/api/show", show(None))
    *_, menu = asyncio.run(DebuggerPage(settings_for(srv)).refresh_models("ollama", "", "magistral", "en", "high"))
    assert choices_of(menu) == ["auto"] and menu.value == "auto" and not menu.interactive


def test_on_mistrals_api_the_menu_follows_the_family(srv):
    srv.route("GET", "/v1/models", mistral_models({"id": "mistral-small-latest"}, {"id": "mistral-large-4-0"}))
    page = DebuggerPage(settings_for(srv, "mistral", mistral_api_key="k" * 20))
    *_, small = asyncio.run(page.refresh_models("mistral", "", "mistral-small-latest", "pt", "medium"))
    *_, large = asyncio.run(page.refresh_models("mistral", "", "mistral-large-4-0", "pt", "medium"))
    assert choices_of(small) == ["auto", "none", "high"] and small.value == "auto"
    assert choices_of(large) == ["auto", "low", "medium", "high"] and large.value == "medium"
    assert small.choices[0][0] == "automático (high)"


def run_page(page: DebuggerPage, live: LiveRun) -> list[tuple]:
    async def go() -> list[tuple]:
        return [update async for update in page.debug(FLAWED, live=live)]

    return asyncio.run(asyncio.wait_for(go(), 30))


def test_the_chosen_level_is_sent_and_the_status_says_it(srv):
    srv.route("POST", "/api/show", show(LEVELS))
    page, live = DebuggerPage(settings_for(srv)), LiveRun()
    page.set_effort("low", live)
    *_, (_, _, status, accordion, *_) = run_page(page, live)
    assert srv.wait_for_request("/api/chat").json["think"] == "low"
    assert "reasoning effort low" in status
    assert accordion.get("visible") is True


def test_effort_none_runs_without_a_reasoning_pane_and_says_so(srv):
    srv.route("POST", "/api/show", show(LEVELS))
    srv.route("POST", "/api/chat", Reply(body=ollama_chat_lines(content=["Step 5 divides by zero."])))
    page, live = DebuggerPage(settings_for(srv)), LiveRun()
    page.set_effort("none", live)
    *_, (reasoning, answer, status, accordion, _, notes, _) = run_page(page, live)
    assert srv.wait_for_request("/api/chat").json["think"] is False
    assert accordion.get("visible") is False and reasoning == ""
    assert "reasoning effort none" in status and "answers without thinking" in notes
    assert answer.startswith("Step 5 divides by zero")


def test_the_downloads_say_which_effort_was_used(srv):
    srv.route("POST", "/api/show", show(LEVELS))
    page, live = DebuggerPage(settings_for(srv)), LiveRun()
    page.set_effort("medium", live)
    run_page(page, live)
    markdown, json_file, *_ = (Path(button.value["path"]) for button in page.after_run(live)[:2])
    assert json.loads(json_file.read_text(encoding="utf-8"))["reasoning_effort"] == "medium"
    assert "| Reasoning effort | medium |" in markdown.read_text(encoding="utf-8")
