"""Talk mode in Chromium: the examples carry the rehearsal's marks; with the model server down a
rehearsed example replays under its label, with the server up it runs live."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from magistral_debugger.prompting.examples import load_examples
from tests.conftest import serve_app
from tests.loopback import Reply, dead_url, ollama_chat_lines
from tests.rehearsals import rehearse, server_flags

pytestmark = pytest.mark.browser

EXAMPLES = {example.slug: example for example in load_examples()}
CANCEL, SQRT2, NOT_RUN = (
    EXAMPLES[slug] for slug in ("01_two_equals_one_cancel", "04_sqrt2_irrational", "02_minus_one_equals_one_sqrt")
)
REHEARSED_ANSWER = "Step 5 cancels x − y, which is zero."
LIVE_ANSWER = "Live today: step 5 divides by x − y = 0."


@pytest.fixture
def rehearsal(srv, tmp_path, monkeypatch):
    """The evening before: the model names step 5 whatever it is shown, which is right for the
    cancellation proof (01) and a false accusation of the √2 control (04)."""
    monkeypatch.chdir(tmp_path)
    srv.route(
        "POST",
        "/api/chat",
        Reply(
            body=ollama_chat_lines(
                ["x − y is 0."], [REHEARSED_ANSWER + "\n\n", "Flawed step: 5 (invalid cancellation)"]
            )
        ),
    )
    out = tmp_path / "rehearsal"
    args = ("--only", CANCEL.slug, SQRT2.slug, "--out", str(out), *server_flags(srv))
    with ThreadPoolExecutor(1) as thread:  # Playwright's event loop runs in this one
        assert thread.submit(rehearse, *args).result(timeout=60) == 0
    return out


def pick(page, title: str) -> None:  # noqa: F811
    """Chooses the example from the picker, whose entries read "Topic · Language · Title …"."""
    page.locator("#examples input").click()
    page.locator("#examples [role=option]", has_text=title).first.click()


def debug_example(page, url: str, title: str) -> None:  # noqa: F811
    page.goto(url)
    pick(page, title)
    page.wait_for_function("() => document.querySelector('#proof textarea').value.length > 0")
    page.locator("#debug").click()


def test_with_the_server_down_a_rehearsed_example_replays_under_its_label(page, rehearsal):  # noqa: F811
    with serve_app(ollama_url=dead_url(), model="magistral", rehearsal_dir=str(rehearsal)) as url:
        page.goto(url)
        page.locator("#examples input").click()
        for label in (
            f"{CANCEL.title} ✅ rehearsal: right",
            f"{SQRT2.title} ✓ ❌ rehearsal: wrong",
            f"{NOT_RUN.title} ➖ not rehearsed",
        ):
            page.locator("#examples [role=option]", has_text=label).wait_for()
        page.keyboard.press("Escape")
        debug_example(page, url, CANCEL.title)
        page.locator("#answer", has_text=REHEARSED_ANSWER).wait_for()
        assert "Replay of the rehearsal from" in page.locator("#status").inner_text()
        assert page.locator("#proof-view [data-flawed='true']").get_attribute("data-step") == "5"


def test_with_the_server_up_a_rehearsed_example_runs_live(page, srv, rehearsal):  # noqa: F811
    srv.route("POST", "/api/chat", Reply(body=ollama_chat_lines(["Live."], [LIVE_ANSWER])))
    with serve_app(ollama_url=srv.url, model="magistral", rehearsal_dir=str(rehearsal)) as url:
        debug_example(page, url, CANCEL.title)
        page.locator("#answer", has_text=LIVE_ANSWER).wait_for()
        assert "Replay" not in page.locator("#status").inner_text()
