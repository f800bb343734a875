"""The verdict where the room looks: the proof as numbered steps beside the answer, the step
the reasoning is on outlined while it streams, then the flawed step marked (colour, icon and
words) with a badge; and the same verdict as the debug API's last output."""

from __future__ import annotations

import pytest
from gradio_client import Client

from tests.browser.screen import ARTIFACTS
from tests.conftest import serve_app
from tests.loopback import Reply, chat_stream, paced

pytestmark = pytest.mark.browser

PROOF = "Let x = y.\nThen x² = xy.\nSo x² − y² = xy − y².\nDivide both sides by x − y: x + y = y.\nSo 2 = 1."
STEP_4 = "Divide both sides by x − y: x + y = y."
REASONING = [
    "Step 1 sets x = y. ",
    "Step 2 multiplies by x. ",
    "Step 3 subtracts y². ",
    "Step 4 divides by x − y, ",
    "which is 0. ",
    "Checking step 4 again. ",
]
ANSWER = ["Step 4 divides by $x - y = 0$.\n\n", "Flawed step: 4 (division by zero)"]


@pytest.fixture
def verdict_url(srv):
    srv.route("POST", "/api/chat", Reply(body=paced(chat_stream("ollama", REASONING, ANSWER), 0.4)))
    with serve_app(ollama_url=srv.url, model="magistral") as url:
        yield url


def open_page(browser, url: str, width: int, height: int, query: str = ""):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(url + query)
    return context, page


def test_the_proof_is_previewed_as_numbered_steps_before_the_run(browser, verdict_url):  # noqa: F811
    context, page = open_page(browser, verdict_url, 1440, 900)
    page.locator("#proof textarea").fill(PROOF)
    page.locator("#proof-view li[data-step='5']").wait_for()
    assert page.locator("#proof-view li").count() == 5
    assert page.locator("#proof-view li[data-step='4'] .step-text").inner_text() == STEP_4
    assert page.locator("#proof-view [data-flawed]").count() == 0  # no verdict before a run
    context.close()


def test_the_focus_follows_the_reasoning_then_the_flawed_step_is_marked_in_presenter_mode(browser, verdict_url):  # noqa: F811
    context, page = open_page(browser, verdict_url, 1280, 720, "?presenter")
    page.locator("#proof textarea").fill(PROOF)
    page.locator("#debug").click()
    outlined = set()
    for _ in range(60):  # sample while it streams: the outline moves along the steps the reasoning names
        # read in one go: the outline may move (or go, once the verdict is in) between two calls
        outlined.update(
            page.evaluate("[...document.querySelectorAll('#proof-view li[data-focus]')].map(li => li.dataset.step)")
        )
        if page.locator("#proof-view [data-flawed='true']").count():
            break
        page.wait_for_timeout(150)
    flawed = page.locator("#proof-view [data-flawed='true']")
    flawed.wait_for()
    assert len(outlined) >= 2 and outlined <= {"1", "2", "3", "4"}, outlined
    assert flawed.get_attribute("data-step") == "4"
    assert "division by zero" in flawed.inner_text()  # words beside the colour
    assert page.locator("#proof-view li[data-state='checked']").count() == 3
    assert page.locator("#proof-view li[data-state='after']").count() == 1
    badge = page.locator("#proof-view .verdict-badge")
    assert "Step 4" in badge.inner_text() and "division by zero" in badge.inner_text()
    assert "Flawed step" not in page.locator("#answer").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "verdict_presenter_1280x720.png"))
    last = page.locator("#proof-view li[data-step='5']")
    for element in (flawed, badge, last):  # the whole marked proof is on screen at 1280x720 without scrolling
        box = element.bounding_box()
        assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 720, box
    context.close()


def test_the_debug_api_ends_with_the_verdict_object(verdict_url):
    result = Client(verdict_url, verbose=False).submit(PROOF, api_name="/debug").result(timeout=60)
    reasoning, answer, *_, verdict = result
    assert verdict == {"type": "verdict", "step": 4, "kind": "division by zero", "text": STEP_4}
    assert answer == "Step 4 divides by $x - y = 0$." and "Step 4 divides by x − y" in reasoning
