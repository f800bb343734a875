"""The page as a room sees it, in Debian's Chromium: a long LaTeX reasoning streams, then the
answer takes the stage — on a laptop, on a projector in presenter mode and on a phone — and
axe-core finds nothing serious in any of those states. Also what a person meets around a run:
the server's state in the header, the examples picker, the conversation thread and its
downloads, the keyboard, and numbers written as the page's language writes them.

The model server is a loopback one streaming about 2,900 tokens of reasoning, the length of
a real Magistral trace on the 2 = 1 proof (faster than 48 tokens/s, so the suite stays short;
nothing here depends on the pace).
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Iterator
from pathlib import Path

import pytest

from magistral_debugger.i18n import number, t
from magistral_debugger.prompting.examples import TOPICS, load_examples
from magistral_debugger.settings import Settings
from tests.accessibility import assert_no_serious_violations
from tests.browser.screen import ARTIFACTS
from tests.conftest import serve_app
from tests.loopback import ModelServer, Reply, Sleep, dead_url, openai_sse_events, paced
from tests.runs import backend_url

pytestmark = pytest.mark.browser

PROOF = load_examples()[0].argument  # 2 = 1 by cancelling x − y, seven steps
REASONING_TOKENS = 2916
# As long as a real answer to it (about 250 words), so that it fills a projector's screen.
ANSWER = [
    "The flaw is in **step 5**. Since $x = y$, the factor $x - y$ is $0$, so cancelling it divides both sides by zero:\n\n",
    "$$(x + y)(x - y) = y(x - y) \\;\\not\\Rightarrow\\; x + y = y.$$\n\n",
    "Cancelling a common factor $c$ from $a \\cdot c = b \\cdot c$ is only allowed when $c \\neq 0$: it means dividing "
    "both sides by $c$. Here $c = x - y = 0$, and from $a \\cdot 0 = b \\cdot 0$ nothing at all follows about $a$ and "
    "$b$, because every pair of numbers satisfies it. The equation in step 4 is true, but only because both of its sides "
    "are $0$.\n\n",
    "**What each step does.**\n\n1. $x = y$ and $y \\neq 0$: an assumption, fine.\n2. Multiplying by $x$: fine.\n"
    "3. Subtracting $y^2$: fine.\n4. Factoring: true, both sides are $0$.\n5. Cancelling $x - y$: **division by zero**.\n"
    "6. Substituting $x = y$ into a false equation keeps it false.\n7. Dividing by $y$ is allowed since $y \\neq 0$, "
    "but it starts from the false $2y = y$.\n\n",
    "So the argument shows nothing about $2$ and $1$: it shows that dividing by zero can make any two numbers look "
    "equal. A quick check catches it: at step 5, put $x = y = 1$ and the step asks you to divide $0$ by $0$.\n\n",
    "**Flawed step: 5 (division by zero)**",
]
FIRST_ANSWER_WORDS = "The flaw is in step 5."


def latex_reasoning() -> list[str]:
    """2,916 words of reasoning as Magistral writes it: prose, inline math and display math
    across paragraphs, eight words to a chunk."""
    paragraph = (
        "Let me check step {n} again. We have $x, y \\in \\mathbb{{R}}$ with $x = y$, so $x - y = 0$. "
        "Factoring gives \\[ x^2 - y^2 = (x + y)(x - y) \\] and both sides are $0$ here. "
        "So cancelling $(x - y)$ in step 5 means dividing by zero, which is not allowed.\n\n"
    )
    words = re.findall(r"\S+\s*", "".join(paragraph.format(n=n) for n in range(1, 100)))[:REASONING_TOKENS]
    return ["".join(words[i : i + 8]) for i in range(0, len(words), 8)] + [LAST_THOUGHT]


LAST_THOUGHT = "\n\nThat settles it: step five is where it breaks."


def long_run(pace: float = 0.006, pause_before_answer: float = 0.0) -> Reply:
    """The whole run as vLLM streams it, with the usage it reports at the end; the model may
    pause between its last thought and its answer (as when it writes a long formula)."""
    usage = {
        "prompt_tokens": 412,
        "completion_tokens": REASONING_TOKENS + 96,
        "total_tokens": 412 + REASONING_TOKENS + 96,
        "completion_tokens_details": {"reasoning_tokens": REASONING_TOKENS},
    }
    reasoning = latex_reasoning()
    events = openai_sse_events(reasoning, ANSWER, usage=usage)
    thinking, answering = events[: len(reasoning)], events[len(reasoning) :]
    return Reply(body=[*paced(thinking, pace), Sleep(pause_before_answer), *paced(answering, pace)])


@pytest.fixture(scope="module")
def server() -> Iterator[ModelServer]:
    with ModelServer() as model_server:
        yield model_server


@pytest.fixture(scope="module")
def url(server: ModelServer) -> Iterator[str]:
    with serve_app(backend="openai", **backend_url(server, "openai")) as app_url:
        yield app_url


@pytest.fixture
def open_page(browser):  # noqa: F811
    contexts = []

    def open_at(address: str, width: int = 1440, height: int = 900, locale: str = "en-US"):
        context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(address)
        page.locator("#health").get_by_text(re.compile("🟢|🟠|🔴")).wait_for()  # loaded, and the server checked
        return page

    yield open_at
    for context in contexts:
        context.close()


# Whether the first line of an element's text is inside the viewport.
FIRST_LINE_IN_VIEW_JS = """(selector) => {
  const element = document.querySelector(selector);
  if (!element) return false;
  const first = element.querySelector('p, li, h1, h2, h3, .katex-display') || element;
  const box = first.getBoundingClientRect();
  const line = parseFloat(getComputedStyle(first).lineHeight) || parseFloat(getComputedStyle(first).fontSize) * 1.5;
  return box.height > 0 && box.top >= 0 && box.top + line <= window.innerHeight;
}"""
WHOLLY_IN_VIEW_JS = """(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
}"""
ACTIVE_ELEMENT_IN_JS = "(selector) => !!document.activeElement && !!document.activeElement.closest(selector)"


def finish_a_long_run(page) -> None:
    page.locator("#proof textarea").fill(PROOF)
    page.locator("#debug").click()
    page.locator("#status").get_by_text("Finished").wait_for(timeout=60_000)


# --- the answer takes the stage ---------------------------------------------------------------

VIEWS = [
    pytest.param("normal", 1440, 900, "", id="normal-1440x900"),
    pytest.param("presenter", 1280, 720, "?presenter", id="presenter-1280x720"),
    pytest.param("presenter", 1920, 1080, "?presenter", id="presenter-1920x1080"),
    pytest.param("phone", 390, 844, "", id="phone-390x844"),
]


@pytest.mark.parametrize(("mode", "width", "height", "query"), VIEWS)
def test_when_the_answer_starts_the_reasoning_folds_and_the_answer_is_in_view(
    open_page, server, url, mode, width, height, query
):
    server.route("POST", "/v1/chat/completions", long_run(pause_before_answer=5))
    page = open_page(url + query, width, height)
    state = f"{mode} {width}x{height}"
    assert_no_serious_violations(page, f"{state}, idle")
    page.locator("#proof textarea").fill(PROOF)
    page.locator("#debug").click()
    thinking = page.locator("#reasoning-accordion").get_by_text(re.compile(r"Thinking… \d+ sec"))
    thinking.wait_for()
    page.wait_for_function(FIRST_LINE_IN_VIEW_JS, arg="#status")  # a phone moves to the output at once
    page.locator("#reasoning-content", has_text=LAST_THOUGHT.strip()).wait_for()  # the model pauses before it answers:
    assert page.locator("#reasoning-scroll").is_visible()  # the pane is open while the model thinks
    page.locator("#status").get_by_text("Finished").wait_for(timeout=60_000)

    folded = page.locator("#reasoning-accordion").get_by_text(
        re.compile(rf"^Thought for \d+ sec · {number(REASONING_TOKENS)} tokens$")
    )
    folded.wait_for()
    assert not page.locator("#reasoning-scroll").is_visible()
    page.wait_for_function(FIRST_LINE_IN_VIEW_JS, arg="#answer")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"room_{mode}_{width}x{height}.png"))
    assert page.locator("#answer").inner_text().startswith(FIRST_ANSWER_WORDS)
    if mode == "presenter":
        # the proof too (numbered and marked, now that the answer gave its verdict), and the
        # answer fills the screen below the middle (no empty half)
        page.locator("#proof-view [data-flawed='true']").wait_for()
        assert page.evaluate(FIRST_LINE_IN_VIEW_JS, "#proof-view")
        assert page.evaluate(WHOLLY_IN_VIEW_JS, "#proof-view [data-flawed='true']"), "the flawed step is cut off"
        assert page.evaluate(
            "document.querySelector('#answer').getBoundingClientRect().bottom > window.innerHeight * 0.75"
        )
    assert_no_serious_violations(page, f"{state}, after a run")

    folded.click()  # the header opens the reasoning again
    page.locator("#reasoning-scroll").wait_for(state="visible")
    assert page.locator("#reasoning-content").text_content().strip().startswith("Let me check step 1 again.")
    assert page.locator("#reasoning-content .katex").count() > 0  # its math rendered like the answer's
    assert_no_serious_violations(page, f"{state}, after a run, reasoning opened")


# --- status where people look -----------------------------------------------------------------


def test_the_servers_state_is_in_the_header_from_first_load_and_follows_what_is_chosen(open_page, server, url):
    page = open_page(url, 1280, 720)
    health = page.locator("#health")
    health.get_by_text("Ready").wait_for()
    assert page.evaluate(FIRST_LINE_IN_VIEW_JS, "#health")  # not hidden in the closed Backend panel
    page.locator("#backend-panel").get_by_text("Backend").click()
    address = page.locator("#url textarea, #url input").first
    down = dead_url()
    address.fill(f"{down}/v1")
    address.press("Enter")
    health.get_by_text(f"Cannot reach the model server at {down}/v1").wait_for()
    address.fill("")
    address.press("Enter")
    health.get_by_text("Ready").wait_for()
    model = page.locator("#model input")
    model.fill("mistralai/no-such-model")
    model.press("Enter")
    health.get_by_text("no-such-model").wait_for()
    assert "is not there" in health.inner_text()


# --- technical notices ------------------------------------------------------------------------


def test_a_technical_notice_is_a_small_line_and_in_the_download_not_in_the_status(open_page, server, url):
    """The server's context (40,960 tokens) cannot hold the prompt plus the max tokens asked for, so
    the request is fitted to it; a run out of tokens then names the limit that was really sent."""
    server.route(
        "POST",
        "/v1/chat/completions",
        Reply(body=openai_sse_events(["Let me think. "] * 5, [], finish_reason="length")),
    )
    page = open_page(url)
    page.locator("#proof textarea").fill(PROOF)
    page.locator("#debug").click()
    status = page.locator("#status")
    status.get_by_text("Ran out of tokens while thinking").wait_for()
    sent = server.wait_for_request("/v1/chat/completions", timeout=10).json["max_tokens"]
    assert f"max tokens {number(sent)}" in status.inner_text()
    assert "lowered" not in status.inner_text() and number(Settings().max_tokens) not in status.inner_text()
    notes = page.locator("#run-notes")
    lowered = re.compile(rf"Max tokens lowered from {number(Settings().max_tokens)} to {number(sent)} ")
    assert lowered.search(notes.inner_text())
    size = "e => parseFloat(getComputedStyle(e).fontSize)"
    assert notes.get_by_test_id("markdown").evaluate(size) < status.get_by_test_id("markdown").evaluate(size)
    with page.expect_download() as download:
        page.locator("#download-md").click()
    markdown = Path(download.value.path()).read_text(encoding="utf-8")
    assert "## Notes" in markdown and lowered.search(markdown)

    page.locator("#presenter input").check()
    page.wait_for_function("document.body.classList.contains('presenter')")
    assert not notes.is_visible()  # a projector shows the outcome, not the plumbing


# --- examples -------------------------------------------------------------------------------------


def test_the_examples_are_one_picker_searched_by_topic_language_or_title(open_page, url):
    page = open_page(url)
    assert page.locator("#examples button").count() == 0  # one combobox, not thirty buttons
    picker = page.locator("#examples input")
    options = page.locator("#examples [role=option]")
    picker.click()
    assert options.count() == len(load_examples())
    geometry = [e for e in load_examples() if e.topic == "geometry"]
    picker.press_sequentially("geometr")  # the list filters as keys are typed
    page.wait_for_function("n => document.querySelectorAll('#examples [role=option]').length === n", arg=len(geometry))
    assert all(text.startswith("Geometry · ") for text in options.all_inner_texts())
    picker.fill("")
    picker.press_sequentially("Português")
    in_portuguese = [e for e in load_examples() if e.language == "pt"]
    page.wait_for_function(
        "n => document.querySelectorAll('#examples [role=option]').length === n", arg=len(in_portuguese)
    )
    picker.fill("")
    picker.press_sequentially("crossing out")
    picker.press("ArrowDown")
    picker.press("Enter")
    chosen = next(e for e in load_examples() if "crossing out" in e.title)
    page.wait_for_function("text => document.querySelector('#proof textarea').value === text", arg=chosen.argument)
    # grouped by topic, in the page's language
    page.locator("#language input").click()
    page.get_by_role("option", name="Español", exact=True).click()
    page.locator("#debug", has_text=t("debug_button", "es")).wait_for()
    picker.click()
    first = options.first.inner_text()
    assert first.startswith(t(f"topic_{TOPICS[0]}", "es") + " · ")


# --- the conversation ---------------------------------------------------------------------------


def test_a_follow_up_reads_as_a_thread_and_the_download_holds_the_whole_conversation(open_page, server, url):
    question = "Why can't we cancel x − y?"
    server.route(
        "POST",
        "/v1/chat/completions",
        [
            Reply(body=openai_sse_events(["x − y is zero. "], ["Step 5 divides by zero."])),
            Reply(
                body=openai_sse_events(["0/0 is undefined. "], ["Because x − y = 0, and dividing by 0 is undefined."])
            ),
        ],
    )
    page = open_page(url)
    page.locator("#proof textarea").fill(PROOF)
    page.locator("#debug").click()
    page.locator("#status").get_by_text("Finished").wait_for()
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
    page.locator("#answer").get_by_text("dividing by 0 is undefined").wait_for()
    page.locator("#status").get_by_text("Finished").wait_for()

    # proof, answer, question (in the thread), then the answer to it (in the live pane), in that order
    output = page.locator("#output").inner_text()
    positions = [
        output.find(text)
        for text in ("Let x and y be real numbers", "Step 5 divides by zero.", question, "dividing by 0")
    ]
    assert -1 not in positions and positions == sorted(positions), positions
    assert f"You asked: {question}" in page.locator("#thread").inner_text()
    assert page.evaluate(
        "document.querySelector('#thread').getBoundingClientRect().bottom <= document.querySelector('#answer').getBoundingClientRect().top"
    )

    with page.expect_download() as download:
        page.locator("#download-md").click()
    markdown = Path(download.value.path()).read_text(encoding="utf-8")
    argument = markdown[markdown.index("## The argument") : markdown.index("## The answer")]
    assert "Let x and y be real numbers" in argument and question not in argument
    order = [
        markdown.find(text)
        for text in ("## The argument", "Step 5 divides by zero.", "## You asked", question, "dividing by 0")
    ]
    assert -1 not in order and order == sorted(order), order
    with page.expect_download() as download:
        page.locator("#download-json").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert [turn["question"] for turn in data["conversation"]] == [PROOF, question]
    assert [turn["answer"] for turn in data["conversation"]] == [
        "Step 5 divides by zero.",
        "Because x − y = 0, and dividing by 0 is undefined.",
    ]


# --- keyboard, busy, nothing to download --------------------------------------------------------


def test_the_keyboard_skips_to_the_output_sees_where_it_is_and_leaves_no_list_open(open_page, url):
    page = open_page(url)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate(ACTIVE_ELEMENT_IN_JS, ".skip-link") and skip.inner_text() == "Skip to the answer"
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0  # on screen once focused
    page.keyboard.press("Enter")
    page.wait_for_function(ACTIVE_ELEMENT_IN_JS, arg="#output")

    page.locator("#stop").focus()
    page.keyboard.press("Shift+Tab")  # to Debug, by keyboard, so the focus is meant to be seen
    assert page.evaluate(ACTIVE_ELEMENT_IN_JS, "#debug")
    outline = page.locator("#debug").evaluate(
        "e => [getComputedStyle(e).outlineStyle, parseFloat(getComputedStyle(e).outlineWidth)]"
    )
    assert outline[0] != "none" and outline[1] >= 2
    page.locator("#clear").focus()
    page.keyboard.press("Tab")  # from the run buttons to the proof's handout, the input's last control
    assert page.evaluate(ACTIVE_ELEMENT_IN_JS, "#handout")
    page.keyboard.press("Tab")  # then straight into the output: no examples in between
    assert page.evaluate(ACTIVE_ELEMENT_IN_JS, "#output")

    language = page.locator("#language input")
    language.click()
    page.locator("#language [role=option]").first.wait_for()
    page.keyboard.press("Tab")
    page.wait_for_function("() => document.querySelectorAll('#language [role=option]').length === 0")


def test_debug_shows_it_is_busy_while_a_run_goes_on(open_page, server, url):
    server.route(
        "POST",
        "/v1/chat/completions",
        Reply(body=paced(openai_sse_events([f"t{i} " for i in range(40)], ["Done."]), 0.05)),
    )
    page = open_page(url)
    debug = page.locator("#debug")
    assert debug.get_attribute("aria-busy") != "true"
    page.locator("#proof textarea").fill(PROOF)
    debug.click()
    page.wait_for_function("() => document.querySelector('#debug').getAttribute('aria-busy') === 'true'")
    page.locator("#status").get_by_text("Thinking").wait_for()
    spinner = debug.evaluate("e => getComputedStyle(e, '::before').content")
    assert spinner not in ("none", "normal")
    page.locator("#status").get_by_text("Finished").wait_for()
    page.wait_for_function("() => document.querySelector('#debug').getAttribute('aria-busy') === 'false'")


def test_a_run_that_produced_nothing_offers_no_download(open_page):
    with serve_app(ollama_url=dead_url()) as address:
        page = open_page(address)
        page.locator("#proof textarea").fill(PROOF)
        page.locator("#debug").click()
        page.locator("#status").get_by_text("ollama serve").wait_for()
        page.wait_for_function("() => document.querySelector('#debug').getAttribute('aria-busy') === 'false'")
        assert not page.locator("#download-md").is_visible() and not page.locator("#download-json").is_visible()


# --- numbers in the page's language ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "lang", "thought"),
    [
        ("pt-BR", "pt", r"^Pensou por \d+ s · 2\.916 tokens$"),
        ("zh-CN", "zh-CN", r"^思考了 \d+秒 · 2,916 个 token$"),
        ("vi-VN", "vi", r"^Đã suy nghĩ \d+ giây · 2\.916 token$"),
    ],
)
def test_numbers_and_durations_are_written_as_the_pages_language_writes_them(
    open_page, server, url, locale, lang, thought
):
    server.route("POST", "/v1/chat/completions", long_run(pace=0.002))
    page = open_page(url, locale=locale)
    page.locator("#debug", has_text=t("debug_button", lang)).wait_for()
    page.locator("#proof textarea").fill(PROOF)
    page.locator("#debug").click()
    page.locator("#status").get_by_text(t("outcome_finished", lang)).wait_for(timeout=60_000)
    page.locator("#reasoning-accordion").get_by_text(re.compile(thought)).wait_for()
    status = page.locator("#status").inner_text()
    assert number(REASONING_TOKENS, lang) in status
    rate = re.search(r"(\d+)([.,])(\d) ", status.split("·")[-1].strip() + " ")
    assert rate and rate.group(2) == ("," if lang in ("pt", "vi") else "."), status


# --- 150,000 characters in the whole page ----------------------------------------------------------


def test_the_whole_page_follows_150000_characters_of_reasoning_and_its_cost_is_printed(open_page, srv):
    """The pane's own test measures it alone; here it is inside the page, with the status, the
    header's clock, the notes and the room's script around it. Most of the trace arrives at
    once, the rest at 48 tokens/s; then, over ten seconds of 80 ms updates, the newest text must
    be in view in every frame that shows new text. What the browser spent is printed, not asserted."""
    from tests.browser.test_reasoning import (
        CALIBRATE_JS,
        IDLE_JS,
        MEASURE_JS,
        WATCH_JS,
        long_trace,
        painted,
        stream_bulk_then_48_per_second,
    )

    text = long_trace(150_000)
    bulk, rest = text[:147_000], text[147_000:]
    stream_bulk_then_48_per_second(srv, bulk, rest)
    with serve_app(ollama_url=srv.url) as address:
        page = open_page(address)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        page.evaluate(WATCH_JS)
        page.evaluate(MEASURE_JS)
        page.locator("#proof textarea").fill(PROOF)
        page.locator("#debug").click()
        page.wait_for_function(
            "() => document.getElementById('reasoning-content').textContent.length > 146000", timeout=120_000
        )
        page.wait_for_function(IDLE_JS, polling=100, timeout=120_000)
        page.locator("#status").get_by_text("Thinking").wait_for()

        def metrics() -> dict:
            return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}

        before = metrics()
        # Each update the server sends changes the status (its token count): count them there.
        page.evaluate(
            "() => { window.__updates = 0; new MutationObserver(() => window.__updates++)"
            ".observe(document.getElementById('status'), { childList: true, subtree: true, characterData: true }); }"
        )
        page.evaluate("() => { window.__frames.on = true; window.__frames.last = performance.now(); }")
        shown = []
        for _ in range(4):
            frames = painted(page, 2500)
            assert all(frame["visible"] for frame in frames), frames  # the newest text, in view
            shown += frames
        page.evaluate("() => { window.__frames.on = false; }")
        after = metrics()
        measured = page.evaluate("() => window.__frames")
        updates = page.evaluate("() => window.__updates")
        calibration = page.evaluate(CALIBRATE_JS)
        assert page.locator("#status").get_by_text("Thinking").count() == 1  # still streaming all along

    seconds = sum(measured["gaps"]) / 1000
    gaps = sorted(measured["gaps"])
    busy = after["TaskDuration"] - before["TaskDuration"]
    print(
        f"\nthe whole page with {len(bulk):,} characters of reasoning and more at 48 tokens/s, {updates} updates in {seconds:.1f} s:"
        f"\n  main thread per update: {1000 * busy / max(updates, 1):.1f} ms; busy {100 * busy / seconds:.0f} %"
        f"\n  frames: {len(gaps)}, median {statistics.median(gaps):.1f} ms, p95 {gaps[int(0.95 * len(gaps))]:.1f} ms, "
        f"max {gaps[-1]:.1f} ms, {sum(gap > 50 for gap in gaps)} over 50 ms"
        f"\n  long tasks: {len(measured['longtasks'])}, longest {max(measured['longtasks'], default=0):.0f} ms"
        f"\n  machine load: a fixed 2e7-step loop took {calibration:.0f} ms"
    )
