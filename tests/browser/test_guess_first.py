"""Guess-first mode and the presenter's keys in the real page: the room guesses while the
answer, the verdict marks and the reasoning stay covered — in the page's text and its HTML,
so a student's dev tools cannot spoil it — until Reveal (the button or R); "Show reasoning"
(the button or T) uncovers the reasoning alone, which goes on streaming; a new run is covered
again; S stops, A answers now, ? lists the keys and Escape closes that list; the thinking
budget of the Backend panel holds for the session's runs."""

from __future__ import annotations

import pytest

from tests.browser.screen import ARTIFACTS, reasoning_text
from tests.conftest import serve_app
from tests.loopback import Reply, Sleep, chat_stream, paced
from tests.runs import SILENCE
from tests.ui.test_guess_first import ANSWER, PROOF, REASONING, pausing_reply

pytestmark = pytest.mark.browser

# Words of the answer and of the reasoning found nowhere else on the page (nor in its words for any language).
ANSWER_SPOILERS = ["cancels a factor"]
SPOILERS = [*ANSWER_SPOILERS, "multiplies", "subtracts", "vanishes"]
READY = "The answer is ready"


def open_page(browser, url: str, query: str = ""):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(url + query)
    return context, page


def spoilers_in(page, spoilers: list[str] = SPOILERS) -> list[str]:
    """What of ``spoilers`` (by default the reasoning's and the answer's) or the verdict marks
    the browser holds: its text and its HTML."""
    text = page.evaluate("document.body.innerText").lower()
    markup = page.content().lower()
    found = [word for word in spoilers if word in text or word in markup]
    # the stylesheet names these marks too: look for elements that carry them
    found += [
        mark
        for mark in ("[data-state]", ".verdict-badge", "[data-flawed]", "[data-focus]")
        if page.locator(mark).count()
    ]
    return found


def start(page, proof: str = PROOF) -> None:
    page.locator("#proof textarea").fill(proof)
    page.locator("#debug").click()


@pytest.fixture
def verdict_url(srv):
    srv.route("POST", "/api/chat", Reply(body=paced(chat_stream("ollama", REASONING, ANSWER), 0.2)))
    with serve_app(ollama_url=srv.url, model="magistral") as url:
        yield url


@pytest.fixture
def pausing_url(srv):
    """The model thinks a little, pauses (for the test to show the reasoning), then goes on."""
    srv.route("POST", "/api/chat", pausing_reply())
    with serve_app(ollama_url=srv.url, model="magistral") as url:
        yield url


@pytest.fixture
def silent_url(srv):
    """The model reasons, then goes quiet until hung up on; a continuation gets the answer."""
    srv.route(
        "POST",
        "/api/chat",
        [
            Reply(body=[*chat_stream("ollama", REASONING[:2], complete=False), Sleep(SILENCE)]),
            Reply(body=chat_stream("ollama", (), ANSWER)),
        ],
    )
    with serve_app(ollama_url=srv.url, model="magistral") as url:
        yield url


def test_guess_first_hides_all_until_t_shows_the_streaming_reasoning_and_r_the_answer(browser, pausing_url):  # noqa: F811
    context, page = open_page(browser, pausing_url, "?presenter&reveal")
    page.locator("#reveal").wait_for(state="attached")  # the session knows the mode once its button is there
    # nothing to reveal before a run
    assert not page.locator("#reveal").is_visible() and not page.locator("#reveal-reasoning").is_visible()
    assert page.locator("#guess-first input").is_checked()
    start(page)
    page.locator("#status", has_text="tokens").wait_for()  # the progress line counts while covered
    assert page.locator("#reveal-reasoning").is_visible() and page.locator("#reveal").is_visible()
    assert spoilers_in(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "guess_first_1280x720.png"))
    for key in "tr":  # typing in a text box is typing, not a key for the presenter
        page.locator("#proof textarea").press(key)
    page.wait_for_timeout(500)
    assert spoilers_in(page) == []
    for _ in "tr":  # the proof as it was, for the screenshots
        page.locator("#proof textarea").press("Backspace")
    page.locator("#title").click()
    page.keyboard.press("t")
    page.locator("#reasoning-content", has_text="multiplies").wait_for()
    page.locator("#reasoning-content", has_text="vanishes").wait_for()  # the rest streams in after the reveal
    page.locator("#status", has_text=READY).wait_for()
    page.locator("#proof-view li[data-step='5']").wait_for()
    assert spoilers_in(page, ANSWER_SPOILERS) == []
    assert not page.locator("#reveal-reasoning").is_visible() and page.locator("#reveal").is_visible()
    page.screenshot(path=str(ARTIFACTS / "guess_first_reasoning_shown_1280x720.png"))
    page.keyboard.press("r")
    page.locator("#answer", has_text="cancels a factor").wait_for()
    flawed = page.locator("#proof-view [data-flawed='true']")
    flawed.wait_for()
    assert flawed.get_attribute("data-step") == "4"
    assert "Step 4" in page.locator("#proof-view .verdict-badge").inner_text()
    assert "multiplies" in reasoning_text(page)
    assert READY not in page.locator("#status").inner_text()
    assert not page.locator("#reveal").is_visible()
    page.screenshot(path=str(ARTIFACTS / "guess_first_revealed_1280x720.png"))
    context.close()


def test_show_reasoning_uncovers_the_reasoning_alone_and_the_next_run_is_covered_again(browser, verdict_url):  # noqa: F811
    context, page = open_page(browser, verdict_url, "?reveal")
    page.locator("#reveal").wait_for(state="attached")
    start(page)
    page.locator("#status", has_text=READY).wait_for()
    page.get_by_role("button", name="Show reasoning (T)").click()
    page.locator("#reasoning-content", has_text="multiplies").wait_for()
    assert spoilers_in(page, ANSWER_SPOILERS) == []
    page.locator("#debug").click()
    page.locator("#reasoning-content", has_text="Hidden until").wait_for()  # the new run's first update
    page.locator("#status", has_text=READY).wait_for()
    assert spoilers_in(page) == []
    assert page.locator("#reveal-reasoning").is_visible()
    page.get_by_role("button", name="Reveal (R)").click()
    page.locator("#answer", has_text="cancels a factor").wait_for()
    assert "multiplies" in reasoning_text(page)  # Reveal uncovers the reasoning too (folded: the answer's turn)
    assert not page.locator("#reveal-reasoning").is_visible()
    context.close()


def test_without_guess_first_the_answer_shows_as_it_streams(browser, verdict_url):  # noqa: F811
    context, page = open_page(browser, verdict_url)
    assert not page.locator("#reveal").is_visible()
    start(page)
    page.locator("#answer", has_text="cancels a factor").wait_for()
    page.locator("#proof-view [data-flawed='true']").wait_for()
    context.close()


def test_the_a_key_answers_now_with_a_continuation_of_the_reasoning_so_far(browser, silent_url, srv):  # noqa: F811
    context, page = open_page(browser, silent_url)
    start(page)
    page.wait_for_function("(document.querySelector('#reasoning-content') || {}).innerText?.includes('multiplies')")
    first = srv.wait_for_request("/api/chat").json
    page.keyboard.press("a")
    assert srv.wait_for_hangup(10) is not None
    second = srv.wait_for_request("/api/chat", timeout=10).json
    assert second["messages"][: len(first["messages"])] == first["messages"]
    assert len(second["messages"]) > len(first["messages"])  # the reasoning so far comes back to be continued
    page.locator("#answer", has_text="cancels a factor").wait_for()
    assert "multiplies" in reasoning_text(page)  # what came before stays
    context.close()


def test_the_s_key_stops_the_run_and_hangs_up(browser, silent_url, srv):  # noqa: F811
    context, page = open_page(browser, silent_url)
    start(page)
    page.wait_for_function("(document.querySelector('#reasoning-content') || {}).innerText?.includes('multiplies')")
    page.keyboard.press("s")
    page.locator("#status", has_text="Stopped").wait_for()
    assert srv.wait_for_hangup(10) is not None
    context.close()


def test_the_question_mark_lists_the_keys_in_a_dialog_that_escape_and_its_button_close(browser, verdict_url):  # noqa: F811
    context, page = open_page(browser, verdict_url)
    page.locator("#title").click()
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    assert not dialog.is_visible()
    page.keyboard.press("?")
    dialog.wait_for()
    for key in ("Shift+Enter", "S", "A", "T", "R", "F", "?"):
        assert dialog.locator("kbd", has_text=key).count() >= 1
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    page.keyboard.press("?")
    dialog.get_by_role("button", name="Close").click()
    dialog.wait_for(state="hidden")
    context.close()


def test_the_thinking_budget_of_the_backend_panel_makes_the_run_answer_by_itself(browser, silent_url, srv):  # noqa: F811
    context, page = open_page(browser, silent_url)
    page.locator("#backend-panel").get_by_text("Backend").first.click()
    budget = page.locator("#thinking-budget input")
    budget.fill("1")
    budget.blur()
    page.wait_for_timeout(300)
    start(page)
    srv.wait_for_request("/api/chat", timeout=10)
    srv.wait_for_request("/api/chat", timeout=15)  # the continuation, with nobody pressing anything
    page.locator("#answer", has_text="cancels a factor").wait_for()
    context.close()
