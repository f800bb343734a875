"""The app's page and its debug API pointed at the real vLLM: the verdict line the
puppet ends its answer with arrives through vLLM's stream and the app's own server,
and comes out as the verdict object and as the marked step in Chromium."""

from __future__ import annotations

import pytest
from gradio_client import Client

from make_puppet_model import PUPPET_ANSWER, PUPPET_REASONING, PUPPET_VERDICT_KIND, PUPPET_VERDICT_STEP
from test_app_real_servers import ARGUMENT, VERDICT
from tests.browser.screen import ARTIFACTS
from tests.browser.test_verdict import open_page
from tests.conftest import serve_app

pytestmark = pytest.mark.real_server


@pytest.fixture
def app_on_vllm(vllm_server):
    with serve_app(
        backend="openai", openai_base_url=vllm_server.base_url, model=vllm_server.model, max_tokens=1024
    ) as url:
        yield url


def test_the_debug_api_ends_with_the_verdict_read_from_vllm(app_on_vllm):
    job = Client(app_on_vllm, verbose=False).submit(ARGUMENT, api_name="/debug")
    reasoning, answer, *_, verdict = job.result(timeout=120)
    assert verdict == VERDICT
    assert answer == PUPPET_ANSWER and reasoning == PUPPET_REASONING


@pytest.mark.browser
def test_the_page_marks_the_step_vllm_named_in_presenter_mode(browser, app_on_vllm):  # noqa: F811
    context, page = open_page(browser, app_on_vllm, 1280, 720, "?presenter")
    page.locator("#proof textarea").fill(ARGUMENT)
    page.locator("#debug").click()
    flawed = page.locator("#proof-view [data-flawed='true']")
    flawed.wait_for(timeout=120_000)
    assert flawed.count() == 1
    assert flawed.get_attribute("data-step") == str(PUPPET_VERDICT_STEP)
    assert PUPPET_VERDICT_KIND in flawed.inner_text()
    badge = page.locator("#proof-view .verdict-badge")
    assert f"Step {PUPPET_VERDICT_STEP}" in badge.inner_text() and PUPPET_VERDICT_KIND in badge.inner_text()
    assert page.locator("#answer").inner_text().strip() == PUPPET_ANSWER  # the verdict line is not in the answer
    box = badge.bounding_box()  # the verdict is on screen at 1280x720 without scrolling
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 720, box
    flawed.scroll_into_view_if_needed()  # the last of five steps is below the fold here
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "real_vllm_verdict_1280x720.png"))
    context.close()
