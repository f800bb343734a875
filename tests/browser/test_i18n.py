"""The page in five languages, in Debian's Chromium: it follows the browser's language
from the first frame, the language menu switches it by hand, and a run's status, its
errors and the server's health badge are in the chosen language."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from magistral_debugger.backends.ollama import HOW_TO_START
from magistral_debugger.i18n import LANGUAGES, Message, t
from tests.conftest import serve_app
from tests.loopback import ModelServer, Reply, dead_url, ollama_chat_lines

pytestmark = pytest.mark.browser

# A browser's locale → the language the page should pick.
LOCALES = [("en-US", "en"), ("pt-BR", "pt"), ("es-ES", "es"), ("zh-CN", "zh-CN"), ("vi-VN", "vi")]


@pytest.fixture(scope="module")
def server() -> Iterator[ModelServer]:
    with ModelServer() as model_server:
        yield model_server


@pytest.fixture(scope="module")
def url(server: ModelServer) -> Iterator[str]:
    with serve_app(ollama_url=server.url) as app_url:
        yield app_url


@pytest.fixture
def open_page(browser):  # noqa: F811
    contexts = []

    def open_in(locale: str, address: str):
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(address)
        return page

    yield open_in
    for context in contexts:
        context.close()


def wait_for_debug_button(page, lang: str) -> None:
    page.locator("#debug", has_text=re.compile(rf"^\s*{re.escape(t('debug_button', lang))}\s*$")).wait_for()


def proof_label(page) -> str:
    return page.locator("#proof [data-testid=block-info]").inner_text().strip()


@pytest.mark.parametrize(("locale", "lang"), LOCALES)
def test_the_page_follows_the_browsers_language(open_page, url, locale, lang):
    page = open_page(locale, url)
    wait_for_debug_button(page, lang)
    page.wait_for_function(
        "expected => document.querySelector('#proof textarea').placeholder === expected",
        arg=t("proof_placeholder", lang),
    )
    assert proof_label(page) == t("proof_label", lang)
    assert page.locator("#stop").inner_text().strip() == t("stop_button", lang)
    assert t("presenter_mode", lang) in page.locator("#presenter").inner_text()
    assert page.locator("#language input").input_value() == LANGUAGES[lang]
    page.wait_for_function(  # once the page's load events have settled (a busy machine shows their timers)
        "expected => document.querySelector('#status').innerText.trim() === expected",
        arg=t("status_idle", lang).replace("**", ""),
    )


def test_the_language_menu_switches_the_words_by_hand(open_page, url):
    page = open_page("en-US", url)
    wait_for_debug_button(page, "en")
    page.locator("#language input").click()
    page.get_by_role("option", name=LANGUAGES["vi"]).click()
    wait_for_debug_button(page, "vi")
    page.locator("#proof", has_text=t("proof_label", "vi")).wait_for()
    assert page.locator("#clear").inner_text().strip() == t("clear_button", "vi")
    assert t("presenter_mode", "vi") in page.locator("#presenter").inner_text()
    page.locator("#language input").click()
    page.get_by_role("option", name=LANGUAGES["zh-CN"]).click()
    wait_for_debug_button(page, "zh-CN")
    assert proof_label(page) == t("proof_label", "zh-CN")


def test_a_finished_run_says_how_it_ended_in_the_chosen_language(open_page, server, url):
    server.route(
        "POST", "/api/chat", Reply(body=ollama_chat_lines(thinking=["Step 5 divides by zero."], content=["Step 5."]))
    )
    page = open_page("es-ES", url)
    wait_for_debug_button(page, "es")
    page.locator("#proof textarea").fill("Supongamos x = y …")
    page.locator("#debug").click()
    page.locator("#status").get_by_text(t("outcome_finished", "es")).wait_for()
    assert "Finished" not in page.locator("#status").inner_text()
    assert page.get_by_text(re.compile(r"Pensó durante \d+ s")).count() == 1
    # switching by hand re-words the finished run's status and header too
    page.locator("#language input").click()
    page.get_by_role("option", name=LANGUAGES["pt"]).click()
    page.locator("#status").get_by_text(t("outcome_finished", "pt")).wait_for()
    page.get_by_text(re.compile(r"Pensou por \d+ s")).wait_for()
    assert page.locator("#answer").inner_text().strip() == "Step 5."  # the model's words stay as they are


FIRST_DEBUG_TEXT_JS = """
window.firstDebugText = null;
new MutationObserver((_, observer) => {
  const button = document.querySelector('#debug');
  if (button && button.innerText.trim()) {
    window.firstDebugText = button.innerText.trim();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


@pytest.mark.parametrize(("locale", "lang"), [("pt-BR", "pt"), ("es-ES", "es"), ("zh-CN", "zh-CN")])
def test_the_first_frame_is_already_in_the_browsers_language(browser, url, locale, lang):  # noqa: F811
    """gr.I18n words the static page before any server round trip; the server's relabel
    comes later, so the first text the Debug button ever shows tells which did it."""
    context = browser.new_context(locale=locale)
    try:
        context.add_init_script(FIRST_DEBUG_TEXT_JS)
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("() => window.firstDebugText !== null", timeout=15_000)
        assert page.evaluate("window.firstDebugText") == t("debug_button", lang)
    finally:
        context.close()


def test_an_engine_error_and_the_health_badge_speak_the_pages_language(open_page):
    down = dead_url()
    refused = Message("connection_refused", url=down, start=HOW_TO_START)
    said = {lang: refused.text(lang).replace("`", "") for lang in ("en", "pt")}  # Markdown shows code without backticks
    assert said["pt"] != said["en"]
    with serve_app(ollama_url=down) as address:
        page = open_page("pt-BR", address)
        wait_for_debug_button(page, "pt")
        page.locator("#backend-panel").get_by_text(t("backend_panel", "pt")).click()
        page.locator("#health", has_text=said["pt"]).wait_for()
        page.locator("#proof textarea").fill("Suponha x = y. Então 2 = 1.")
        page.locator("#debug").click()
        page.locator("#status", has_text=said["pt"]).wait_for()
        assert said["en"] not in page.locator("#status").inner_text()
