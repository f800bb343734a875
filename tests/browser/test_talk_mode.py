"""Talk mode in Chromium: the examples carry the rehearsal's marks; with the model server down a
rehearsed example replays under its label, with the server up it runs live."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from magistral_debugger.prompting.examples import load_examples
from tests.browser.screen import ARTIFACTS
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


QUADRATIC = {
    "id": "math-7",
    "generator": "written for this test",
    "problem": r"Find every real $x$ with $x^2 - 5x + 6 = 0$.",
    "steps": [
        r"We look for two numbers whose product is $6$ and whose sum is $-5$.",
        "Trying the pairs of factors of 6:\n$$1 \\cdot 6 = 6, \\quad 2 \\cdot 3 = 6$$\nand $2 + 3 = 5$.",
        r"So $x^2 - 5x + 6 = (x + 2)(x + 3)$.",
        r"Hence $x = -2$ or $x = -3$.",
    ],
    "final_answer_correct": False,
    "label": 2,
}


def test_a_benchmark_item_replays_in_the_picker_numbered_as_its_dataset_numbers_it(page, srv, tmp_path, monkeypatch):  # noqa: F811
    """The dataset's second step spans three lines and is one step on the page; the rehearsal's
    verdict (step 3, the dataset's label 2) lights up that step when the server is down."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pb.json").write_text(json.dumps([QUADRATIC]), encoding="utf-8")
    verdict = ["Step 3 factors with the wrong signs.\n\n", "Flawed step: 3 (algebra or arithmetic slip)"]
    srv.route(
        "POST", "/api/chat", Reply(body=ollama_chat_lines(["The sum is −5, so both roots are positive."], verdict))
    )
    args = ("--dataset", "pb.json", "--out", "bench", *server_flags(srv))
    with ThreadPoolExecutor(1) as thread:
        assert thread.submit(rehearse, *args).result(timeout=60) == 0
    page.set_viewport_size({"width": 1440, "height": 900})
    with serve_app(ollama_url=dead_url(), model="magistral", rehearsal_dir=str(tmp_path / "bench")) as url:
        debug_example(page, url, "math-7: Find every real")
        page.locator("#answer", has_text="wrong signs").wait_for()
        steps = page.locator("#proof-view li[data-step]")
        assert steps.count() == 4
        assert page.locator("#proof-view [data-flawed='true']").get_attribute("data-step") == "3"
        assert "and $2 + 3 = 5$" in steps.nth(1).inner_text() or "2+3=5" in steps.nth(1).inner_text().replace(" ", "")
        page.screenshot(path=str(ARTIFACTS / "benchmark_item_replay_1440x900.png"), full_page=True)
