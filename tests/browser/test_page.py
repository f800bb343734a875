"""The real page in Debian's Chromium, driven by Playwright (never a browser download)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from magistral_debugger.prompting.examples import load_examples
from tests.browser.screen import ARTIFACTS, TAG, answer_text, reasoning_text, start_debug, status_text
from tests.conftest import serve_app
from tests.loopback import Reply, Sleep, dead_url, ollama_chat_lines, paced

pytestmark = pytest.mark.browser


def test_reasoning_then_answer_stream_into_their_own_panes(page, srv, app_url):
    srv.route(
        "POST",
        "/api/chat",
        Reply(
            body=paced(
                ollama_chat_lines(
                    thinking=["Step 4 factors ", "both sides. ", "Step 5 cancels x − y, ", "which is zero."],
                    content=[
                        "The flaw is **step 5**: ",
                        "it divides by $x - y = 0$, ",
                        "so nothing follows: \\(a \\cdot 0 = b \\cdot 0\\) does not give \\[a = b\\] ",
                        "and $$2y = y$$ only says $y = 0$.",
                    ],
                ),
                0.15,
            )
        ),
    )
    start_debug(page, app_url, "Assume x = y. Then x² = xy … so 2 = 1.")
    page.wait_for_function("document.querySelector('#reasoning-content').innerText.includes('Step 4')")
    assert answer_text(page).strip() == ""  # reasoning arrives first, alone
    page.locator("#status").get_by_text("Finished").wait_for()
    reasoning, answer = reasoning_text(page), answer_text(page)
    assert reasoning == "Step 4 factors both sides. Step 5 cancels x − y, which is zero."
    assert "The flaw is step 5" in answer and "so nothing follows" in answer
    assert "flaw is" not in reasoning and "Step 4 factors" not in answer
    assert page.locator("#answer .katex").count() == 5  # $…$, \\(…\\), \\[…\\], $$…$$ all rendered as math
    assert "\\(" not in answer and "$" not in answer
    assert not TAG.search(page.locator("body").inner_text())
    assert page.get_by_text(re.compile(r"Thought for \d+ s")).count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "finished_run.png"), full_page=True)


def test_stop_mid_stream_hangs_up_on_the_model_server_and_keeps_the_text(page, srv, app_url):
    srv.route(
        "POST", "/api/chat", Reply(body=paced(ollama_chat_lines(thinking=[f"thought {i}. " for i in range(600)]), 0.05))
    )
    start_debug(page, app_url, "Assume x = y …")
    page.wait_for_function("document.querySelector('#reasoning-content').innerText.includes('thought 3.')")
    page.locator("#stop").click()
    assert srv.wait_for_hangup(timeout=5) is not None
    page.locator("#status").get_by_text("Stopped").wait_for()
    kept = reasoning_text(page)
    assert kept.startswith("thought 0. thought 1. thought 2. thought 3.")
    page.wait_for_timeout(500)
    assert reasoning_text(page) == kept  # nothing more arrives, nothing is wiped


def test_stop_while_the_model_is_still_loading_hangs_up_too(page, srv, app_url):
    srv.route("POST", "/api/chat", Reply(body=[Sleep(30), *ollama_chat_lines(content=["late"])]))
    start_debug(page, app_url, "Assume x = y …")
    srv.wait_for_request("/api/chat", timeout=20)
    page.locator("#stop").click()
    assert srv.wait_for_hangup(timeout=5) is not None
    page.locator("#status").get_by_text("Stopped").wait_for()


def test_backend_down_says_what_happened_and_how_to_fix_it(page):
    dead = dead_url()
    with serve_app(ollama_url=dead) as url:
        start_debug(page, url, "Assume x = y …")
        page.locator("#status").get_by_text("ollama serve").wait_for()
        assert dead in status_text(page)
        assert "Traceback" not in page.locator("body").inner_text()


def test_picking_an_example_fills_the_text_box(page, app_url):
    example = load_examples()[0]
    page.goto(app_url)
    page.locator("#examples input").click()
    page.get_by_role("option", name=re.compile(re.escape(example.title))).click()
    page.wait_for_function("document.querySelector('#proof textarea').value.length > 0")
    assert page.locator("#proof textarea").input_value().strip() == example.argument


def test_html_and_script_in_model_output_run_nothing(page, srv, app_url):
    hostile = (
        "<script>window.__pwned = 'script'</script>\n\n"
        "<img src=x onerror=\"window.__pwned = 'img'\">\n\n"
        "[click me](javascript:window.__pwned='link') and <a href=\"javascript:window.__pwned='a'\">this</a>\n\n"
        + "A"
        * 20000
    )
    srv.route(
        "POST",
        "/api/chat",
        Reply(body=ollama_chat_lines(thinking=["<script>window.__pwned='reasoning'</script>"], content=[hostile])),
    )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    start_debug(page, app_url, "<script>alert(1)</script> Assume x = y")
    page.locator("#status").get_by_text("Finished").wait_for()
    for link in page.locator("#answer a").all():
        try:
            link.click(timeout=2000)
        except Exception:
            pass
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert page.locator("#answer script").count() == 0
    assert page.locator("#answer img[onerror]").count() == 0
    assert page.evaluate("1 + 1") == 2  # the page still answers


def test_the_page_makes_no_request_off_this_machine(page, srv, app_url):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname or request.url.split(":")[0]))
    start_debug(page, app_url, "Assume x = y …")
    page.locator("#status").get_by_text("Finished").wait_for()
    page.locator("#backend-panel").click()
    page.wait_for_timeout(500)
    assert hosts - {"127.0.0.1", "localhost", "data", "blob"} == set()


def test_shift_enter_submits_and_enter_adds_a_line(page, srv, app_url):
    """A proof has many lines, so Enter is a new line and Shift+Enter runs the debugger
    (Gradio's convention for multi-line boxes; the placeholder says so)."""
    page.goto(app_url)
    box = page.locator("#proof textarea")
    box.fill("Assume x = y.")
    box.press("Enter")
    box.type("Then 2 = 1.")
    box.press("Shift+Enter")
    page.locator("#status").get_by_text("Finished").wait_for()
    sent = srv.wait_for_request("/api/chat").json
    assert "1. Assume x = y.\n2. Then 2 = 1." in sent["messages"][-1]["content"]  # two lines: two steps


def test_reasoning_header_counts_while_thinking_then_says_how_long_it_thought(page, srv, app_url):
    srv.route(
        "POST",
        "/api/chat",
        Reply(body=paced(ollama_chat_lines(thinking=[f"t{i} " for i in range(30)], content=["Done."]), 0.1)),
    )
    start_debug(page, app_url, "Assume x = y …")
    page.get_by_text(re.compile(r"Thinking… \d+ s")).wait_for()
    page.locator("#status").get_by_text("Finished").wait_for()
    page.get_by_text(re.compile(r"Thought for \d+ s")).wait_for()


def test_backend_panel_lists_the_servers_models_and_says_when_the_model_is_missing(page, srv, app_url):
    page.goto(app_url)
    page.locator("#backend-panel").click()
    page.locator("#health").get_by_text("Ready").wait_for()
    srv.ollama_models = ("llama3:latest",)
    page.locator("#refresh").click()
    page.locator("#health").get_by_text("ollama pull magistral").wait_for()
    page.locator("#model input").click()
    assert page.get_by_role("option", name="llama3:latest").count() == 1


def test_backend_panel_says_when_the_server_is_not_reachable(page):
    dead = dead_url()
    with serve_app(ollama_url=dead) as url:
        page.goto(url)
        page.locator("#backend-panel").click()
        page.locator("#health").get_by_text("Cannot reach").wait_for()


def test_presenter_mode_from_a_bookmark_enlarges_the_answer_and_hides_the_settings(page, srv, app_url):
    """The examples picker stays: it is one line, and a teacher picks examples in front of the room."""
    srv.route(
        "POST",
        "/api/chat",
        Reply(
            body=ollama_chat_lines(
                thinking=["Step 5 divides by zero."], content=["The flaw is **step 5**: $x - y = 0$."]
            )
        ),
    )
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(app_url)
    normal_size = page.locator("#answer [data-testid=markdown]").evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    page.locator("#proof textarea").fill("Assume x = y …")
    page.locator("#debug").click()
    page.locator("#status").get_by_text("Finished").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "normal_1280x720.png"))

    page.goto(app_url.rstrip("/") + "/?presenter")
    page.wait_for_function("document.body.classList.contains('presenter')")
    assert page.locator("#presenter input").is_checked()
    assert not page.locator("#backend-panel").is_visible()
    assert page.locator("#examples").is_visible()
    page.locator("#proof textarea").fill("Assume x = y …")
    page.locator("#debug").click()
    page.locator("#status").get_by_text("Finished").wait_for()
    presenter_size = page.locator("#answer [data-testid=markdown]").evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert presenter_size >= 1.5 * normal_size  # legible from the back of a room at 1280×720
    page.screenshot(path=str(ARTIFACTS / "presenter_1280x720.png"))

    page.locator("#presenter input").uncheck()
    page.wait_for_function("!document.body.classList.contains('presenter')")
    assert page.locator("#backend-panel").is_visible()


def test_a_follow_up_question_keeps_the_first_turn_in_the_thread_and_sends_its_answer(page, srv, app_url):
    srv.route(
        "POST",
        "/api/chat",
        [
            Reply(body=ollama_chat_lines(thinking=["x − y is zero."], content=["Step 5 divides by zero."])),
            Reply(
                body=ollama_chat_lines(
                    thinking=["Because 0/0 is undefined."], content=["Dividing by zero is undefined."]
                )
            ),
        ],
    )
    start_debug(page, app_url, "Assume x = y … so 2 = 1.")
    page.locator("#status").get_by_text("Finished").wait_for()
    page.locator("#question textarea").fill("Why can't we cancel x − y?")
    page.locator("#ask").click()
    page.locator("#answer").get_by_text("Dividing by zero is undefined.").wait_for()
    page.locator("#status").get_by_text("Finished").wait_for()
    thread = page.locator("#thread").inner_text()
    assert "Assume x = y … so 2 = 1." in thread and "Step 5 divides by zero." in thread
    assert "Dividing by zero" not in thread  # the newest turn is in the live panes
    srv.wait_for_request("/api/chat")
    second = srv.wait_for_request("/api/chat").json["messages"]
    assert [m["role"] for m in second] == ["system", "user", "assistant", "user"]
    assert second[2]["content"] == "Step 5 divides by zero."
    assert "Why can't we cancel x − y?" in second[3]["content"]
    page.locator("#clear").click()
    page.wait_for_function("document.querySelector('#thread').innerText.trim() === ''")


def test_a_finished_run_can_be_downloaded_as_markdown(page, srv, app_url):
    srv.route(
        "POST",
        "/api/chat",
        Reply(body=ollama_chat_lines(thinking=["x − y is zero."], content=["Step 5 divides by zero."])),
    )
    start_debug(page, app_url, "Assume x = y … so 2 = 1.")
    page.locator("#status").get_by_text("Finished").wait_for()
    with page.expect_download() as download:
        page.locator("#download-md").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Assume x = y … so 2 = 1." in text and "Step 5 divides by zero." in text
    assert "<details>" in text and "x − y is zero." in text


def test_a_photo_goes_to_a_vision_model_with_the_question(page, srv, app_url, tmp_path):
    from PIL import Image

    photo = tmp_path / "proof.png"
    Image.new("RGB", (640, 480), "white").save(photo)
    srv.route(
        "POST",
        "/api/show",
        Reply(
            body=[b'{"capabilities":["completion","thinking","vision"],"details":{},"model_info":{}}'],
            content_type="application/json",
        ),
    )
    page.goto(app_url)
    page.locator("#photo").wait_for()  # shown because /api/show lists vision
    page.locator("#photo input[type=file]").set_input_files(str(photo))
    page.locator("#proof textarea").fill("Where is the flaw in this proof?")
    page.wait_for_timeout(500)
    page.locator("#debug").click()
    page.locator("#status").get_by_text("Finished").wait_for()
    sent = srv.wait_for_request("/api/chat").json["messages"][-1]
    assert sent["images"] and "Where is the flaw in this proof?" in sent["content"]


def test_a_recorded_run_replays_in_the_page_labelled_as_a_replay(page, srv, tmp_path):
    srv.route(
        "POST",
        "/api/chat",
        Reply(body=ollama_chat_lines(thinking=["x − y is zero."], content=["Step 5 divides by zero."])),
    )
    with serve_app(ollama_url=srv.url, record_dir=str(tmp_path)) as url:
        start_debug(page, url, "Assume x = y … so 2 = 1.")
        page.locator("#status").get_by_text("Finished").wait_for()
    (recording,) = tmp_path.glob("*.jsonl")
    with serve_app(backend="replay", replay_file=str(recording), replay_speed="instant") as url:
        start_debug(page, url, "")
        page.locator("#status").get_by_text("Finished").wait_for()
        assert "Replay of a run recorded on" in status_text(page)
        assert reasoning_text(page) == "x − y is zero."
        assert answer_text(page).strip() == "Step 5 divides by zero."
