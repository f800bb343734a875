"""The Backend panel's reasoning effort in the real page (Debian's Chromium): the menu lists only
the levels the model's ``/api/show`` gives, a level chosen there is what Ollama receives, and
effort "none" runs with no reasoning pane while the status says which effort ran."""

from __future__ import annotations

import pytest

from tests.browser.screen import ARTIFACTS, answer_text, status_text
from tests.loopback import Reply, json_reply, ollama_chat_lines

pytestmark = pytest.mark.browser

SHOW = {
    "template": "{{ .Prompt }}",
    "capabilities": ["completion", "thinking"],
    "thinking": {"values": [False, "low", "high"], "default": "low"},
}


def test_the_effort_menu_offers_the_models_levels_and_none_runs_without_a_reasoning_pane(page, srv, app_url):
    srv.route("POST", "/api/show", json_reply(SHOW))
    srv.route("POST", "/api/chat", Reply(body=ollama_chat_lines(content=["Step 5 divides by zero."])))
    page.goto(app_url)
    page.locator("#backend-panel").click()
    page.locator("#health").get_by_text("Ready").wait_for()
    page.locator("#effort input").click()
    options = page.get_by_role("option")
    options.first.wait_for()
    # the selected one carries a check mark
    assert [text.replace("✓", "").strip() for text in options.all_inner_texts()] == [
        "auto (high)",
        "none",
        "low",
        "high",
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "effort_menu.png"), full_page=True)
    page.get_by_role("option", name="none", exact=True).click()
    page.locator("#proof textarea").fill("Assume x = y. Then x² = xy … so 2 = 1.")  # no reload: the session's choice
    page.locator("#debug").click()
    page.locator("#status").get_by_text("reasoning effort none").wait_for()
    assert srv.wait_for_request("/api/chat").json["think"] is False
    assert "Step 5 divides by zero" in answer_text(page)
    assert not page.locator("#reasoning-accordion").is_visible()
    assert "reasoning effort none" in status_text(page)
    page.screenshot(path=str(ARTIFACTS / "effort_none_run.png"), full_page=True)
