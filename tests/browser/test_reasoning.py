"""The reasoning pane in Debian's Chromium: a long LaTeX trace of the 2 = 1 proof streams
from a loopback Ollama through the real pipeline (DebugRun, live_snapshots at 80 ms) into
a small page built with the pane, as a room would watch it.

The last test streams 150,000 characters and prints what each update costs the browser;
it asserts behaviour only, never a time.
"""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from magistral_debugger.engine.run import DebugRun, live_snapshots
from magistral_debugger.settings import Settings
from magistral_debugger.ui.reasoning_pane import (
    REASONING_PANE_CSS_PATH,
    REASONING_PANE_JS,
    ReasoningPane,
    build_reasoning_pane,
)
from tests.browser.screen import ARTIFACTS
from tests.conftest import free_port
from tests.loopback import Reply, Sleep, ollama_chat_lines, paced

pytestmark = pytest.mark.browser

TRACE = (Path(__file__).parents[1] / "fixtures" / "two_equals_one_trace.md").read_text(encoding="utf-8")
AGAIN = "Hmm, let me go through the whole argument once more, to be sure I am not missing anything.\n\n"


def long_trace(chars: int) -> str:
    """The trace, gone over again and again as long traces do, cut to ``chars``."""
    text = TRACE
    while len(text) < chars:
        text += "\n\n" + AGAIN + TRACE
    return text[:chars]


def tokens(text: str) -> list[str]:
    """Pieces of up to four characters, about a token each (2,562 for the trace)."""
    return re.findall(r"\s*\S{1,4}|\s+", text)


class SessionPane:
    """The browser session's pane of its latest run, for the raw switch to redraw."""

    def __init__(self) -> None:
        self.pane = ReasoningPane()

    def __deepcopy__(self, memo: dict) -> SessionPane:
        return SessionPane()


class PaneApp:
    """A page with a Debug button and the reasoning pane, fed by a real run."""

    def __init__(self, model_url: str) -> None:
        import gradio as gr

        settings = Settings(_env_file=None, ollama_url=model_url)
        self.updates: list[int] = []  # reasoning length at each update sent to the page

        async def debug(text: str, raw: bool, session: SessionPane):
            session.pane = ReasoningPane(raw=raw)
            async for state in live_snapshots(DebugRun(settings, text)):
                reasoning = state.reasoning
                self.updates.append(len(reasoning))
                yield session.pane.update(reasoning)

        with gr.Blocks(title="Reasoning pane") as self.blocks:
            session = gr.State(SessionPane())
            proof = gr.Textbox("Assume x = y. Then x² = xy … so 2 = 1.", label="Proof", elem_id="proof")
            button = gr.Button("Debug", variant="primary", elem_id="debug")
            pane = build_reasoning_pane()
            button.click(
                debug,
                [proof, pane.raw, session],
                pane.outputs,
                postprocess=False,
                show_progress="hidden",
                show_progress_on=pane.outputs[:1],
            )
            pane.raw.change(
                lambda raw, s: s.pane.show_raw(raw), [pane.raw, session], pane.outputs, show_progress="hidden"
            )

    def __enter__(self) -> str:
        port = free_port()
        self.blocks.launch(
            server_name="127.0.0.1",
            server_port=port,
            prevent_thread_lock=True,
            ssr_mode=False,
            quiet=True,
            css_paths=[REASONING_PANE_CSS_PATH],
            js=REASONING_PANE_JS,
        )
        return f"http://127.0.0.1:{port}/"

    def __exit__(self, *exc) -> None:
        self.blocks.close()


@pytest.fixture
def open_page(browser):  # noqa: F811  (the module-scoped Chromium)
    """Pages on the pane's app, each in its own browser context, closed after the test."""
    contexts = []

    def open_page(url: str, width: int = 1440, height: int = 900, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.hosts = set()  # every host the page sent a request to
        page.on("request", lambda request: page.hosts.add(urlsplit(request.url).hostname or request.url.split(":")[0]))
        page.goto(url)
        page.locator("#reasoning-scroll[data-follows]").wait_for(state="attached")
        watch(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


def stream_trace(srv, text: str, tokens_per_second: float) -> None:
    srv.route("POST", "/api/chat", Reply(body=paced(ollama_chat_lines(thinking=tokens(text)), 1 / tokens_per_second)))


# Where the pane's newest text is, against the pane's visible box (the last line box of
# the last text outside KaTeX's hidden MathML copy). Measured as the page is painted: in a
# ResizeObserver made after the pane's, so it runs once the pane has reacted to new text
# (a plain evaluate could land between an update and the frame that shows it).
WATCH_JS = """() => {
  const scroller = document.getElementById('reasoning-scroll');
  const content = document.getElementById('reasoning-content');
  const hidden = (node) => node.parentElement.closest('.katex-mathml, [aria-hidden=true]');
  const last = (node) => {
    for (let child = node.lastChild; child; child = child.previousSibling) {
      if (child.nodeType === Node.TEXT_NODE) { if (child.data.trim() && !hidden(child)) return child; }
      else { const found = last(child); if (found) return found; }
    }
    return null;
  };
  const measure = () => {
    const text = last(content);
    if (!text) return { visible: false };
    const range = document.createRange();
    range.selectNodeContents(text);
    const lines = range.getClientRects(), line = lines[lines.length - 1], box = scroller.getBoundingClientRect();
    return {
      end: text.data.trim().slice(-24), scrollTop: scroller.scrollTop,
      visible: line.top >= box.top - 2 && line.bottom <= box.bottom + 2,
      line: [Math.round(line.top), Math.round(line.bottom)], pane: [Math.round(box.top), Math.round(box.bottom)],
    };
  };
  window.__newest = { measure, painted: [] };
  new ResizeObserver(() => window.__newest.painted.push(measure())).observe(content);
}"""


# The text a reader sees in the pane, but for its last two blocks (the tail may be there,
# its math still open).
FINISHED_TEXT_JS = """() => [...document.querySelectorAll('#reasoning-content .md > *')].slice(0, -2)
  .map((block) => block.innerText).join('\\n')"""


def watch(page) -> None:
    page.evaluate(WATCH_JS)


def painted(page, ms: int) -> list[dict]:
    """Where the newest text was in each frame that showed new text, over ``ms`` (or
    until the first such frame, on a machine too busy to show one sooner)."""
    page.evaluate("() => { window.__newest.painted = []; }")
    page.wait_for_timeout(ms)
    page.wait_for_function("() => window.__newest.painted.length > 0", polling=50)
    return page.evaluate("() => window.__newest.painted")


def newest(page) -> dict:
    return page.evaluate("() => window.__newest.measure()")


def assert_follows(page, samples: int = 5, every_ms: int = 400) -> None:
    """In every frame that showed new text, the newest text was inside the pane's box."""
    for _ in range(samples):
        frames = painted(page, every_ms)
        assert all(frame["visible"] for frame in frames), frames


def scroll_up_by_hand(page, pixels: int = 900, step: int = 100) -> None:
    """A person's scroll gesture: wheel steps over the pane while updates keep arriving."""
    box = page.locator("#reasoning-scroll").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(pixels // step):
        page.mouse.wheel(0, -step)
        page.wait_for_timeout(40)


def test_the_pane_follows_the_stream_pauses_when_scrolled_up_and_resumes(open_page, srv):
    stream_trace(srv, TRACE + "\n\n" + AGAIN + TRACE, tokens_per_second=150)
    with PaneApp(srv.url) as url:
        page = open_page(url)
        latest = page.locator("#reasoning-latest")
        page.locator("#debug").click()
        page.wait_for_function(
            "() => { const s = document.getElementById('reasoning-scroll'); return s.scrollHeight > 1.5 * s.clientHeight; }"
        )
        assert_follows(page)
        assert not latest.is_visible()
        assert page.locator("#reasoning-content .katex").count() > 20  # $…$ and \\[…\\] rendered as math
        finished = page.evaluate(FINISHED_TEXT_JS)
        assert len(finished) > 300 and "$" not in finished and "\\neq" not in finished and "\\[" not in finished
        assert page.hosts <= {"127.0.0.1", "data", "blob"}  # KaTeX and its fonts come with Gradio, not a CDN
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "reasoning_following_1440x900.png"))

        scroll_up_by_hand(page)
        latest.wait_for(state="visible")
        kept = newest(page)["scrollTop"]
        frames = painted(page, 1500)  # new text goes on arriving…
        assert all(
            abs(frame["scrollTop"] - kept) <= 1 and not frame["visible"] for frame in frames
        )  # …the reader stays put
        page.screenshot(path=str(ARTIFACTS / "reasoning_paused_1440x900.png"))

        latest.click()
        page.wait_for_timeout(200)
        assert not latest.is_visible()
        assert_follows(page, samples=3)

        scroll_up_by_hand(page, pixels=500)
        latest.wait_for(state="visible")
        page.mouse.wheel(0, 100_000)  # back to the bottom by hand
        latest.wait_for(state="hidden")
        assert_follows(page, samples=3)

        page.locator("#reasoning-scroll").focus()  # and by keyboard
        page.keyboard.press("PageUp")
        latest.wait_for(state="visible")
        page.keyboard.press("End")
        latest.wait_for(state="hidden")
        assert_follows(page, samples=2)

        scroll_up_by_hand(page, pixels=10, step=10)  # a nudge that stays near the bottom pauses too
        latest.wait_for(state="visible")
        page.wait_for_timeout(1000)
        assert latest.is_visible()


def test_the_pane_follows_on_a_phone(open_page, srv):
    stream_trace(srv, TRACE, tokens_per_second=150)
    with PaneApp(srv.url) as url:
        page = open_page(url, 390, 844, is_mobile=True, has_touch=True, device_scale_factor=2)
        page.locator("#debug").tap()
        page.locator("#reasoning-scroll").scroll_into_view_if_needed()
        page.wait_for_function(
            "() => { const s = document.getElementById('reasoning-scroll'); return s.scrollHeight > 1.5 * s.clientHeight; }"
        )
        assert_follows(page, samples=4)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "reasoning_following_390x844.png"))


def test_raw_shows_the_reasoning_as_written_and_back(open_page, srv):
    stream_trace(srv, TRACE, tokens_per_second=2000)
    with PaneApp(srv.url) as url:
        page = open_page(url)
        page.locator("#debug").click()
        page.wait_for_function("() => document.querySelectorAll('#reasoning-content .katex').length > 100")
        content = page.locator("#reasoning-content")
        page.locator("#reasoning-raw input").check()
        page.wait_for_function("() => document.querySelectorAll('#reasoning-content .katex').length === 0")
        assert "$x^2 - y^2 = xy - y^2$" in content.inner_text()
        assert content.locator("pre").count() > 1
        page.screenshot(path=str(ARTIFACTS / "reasoning_raw_1440x900.png"))
        page.locator("#reasoning-raw input").uncheck()
        page.wait_for_function("() => document.querySelectorAll('#reasoning-content .katex').length > 100")
        assert "$x^2" not in content.inner_text()


MEASURE_JS = """() => {
  const m = window.__frames = { gaps: [], longtasks: [], on: false, recent: [], last: performance.now() };
  new PerformanceObserver((list) => { if (m.on) for (const e of list.getEntries()) m.longtasks.push(e.duration); })
    .observe({ type: 'longtask' });
  const tick = (t) => {
    const gap = t - m.last; m.last = t;
    m.recent.push(gap); if (m.recent.length > 30) m.recent.shift();
    if (m.on) m.gaps.push(gap);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""
IDLE_JS = "() => window.__frames.recent.length >= 30 && Math.max(...window.__frames.recent) < 50"
CALIBRATE_JS = "() => { const t = performance.now(); let x = 0; for (let i = 0; i < 2e7; i++) x += Math.sqrt(i); return performance.now() - t; }"


def stream_bulk_then_48_per_second(srv, bulk: str, rest: str) -> None:
    """``bulk`` of the reasoning at once, then ``rest`` at 48 tokens/s (a real Magistral on a good GPU)."""
    srv.route(
        "POST",
        "/api/chat",
        Reply(
            body=[
                ollama_chat_lines(thinking=[bulk])[0],
                Sleep(3),
                *paced(ollama_chat_lines(thinking=tokens(rest)), 1 / 48),
            ]
        ),
    )


def test_150000_characters_keep_following_and_the_cost_per_update_is_printed(open_page, srv):
    """Most of the trace arrives at once, then the rest at 48 tokens/s (a real Magistral
    on a good GPU); once the page has rendered the bulk, each 80 ms update is measured."""
    text = long_trace(150_000)
    bulk, rest = text[:147_000], text[147_000:]
    stream_bulk_then_48_per_second(srv, bulk, rest)
    app = PaneApp(srv.url)
    with app as url:
        page = open_page(url)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        page.evaluate(MEASURE_JS)
        page.locator("#debug").click()
        started = time.monotonic()
        page.wait_for_function(
            "() => document.getElementById('reasoning-content').textContent.length > 146000", timeout=120_000
        )
        page.wait_for_function(IDLE_JS, polling=100, timeout=120_000)
        bulk_seconds = time.monotonic() - started
        streaming_from, deadline = len(app.updates), time.monotonic() + 60
        while len(app.updates) <= streaming_from + 2:  # the 48 tokens/s part has begun
            assert time.monotonic() < deadline, "the stream ended before the page had settled"
            page.wait_for_timeout(100)

        def metrics() -> dict:
            return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}

        before, updates_before = metrics(), len(app.updates)
        page.evaluate("() => { window.__frames.on = true; window.__frames.last = performance.now(); }")
        window_started = time.monotonic()
        for _ in range(4):
            frames_shown = painted(page, 2500)
            assert all(frame["visible"] for frame in frames_shown), frames_shown  # still following
        page.evaluate("() => { window.__frames.on = false; }")
        seconds = time.monotonic() - window_started
        after, updates = metrics(), len(app.updates) - updates_before
        frames = page.evaluate("() => window.__frames")
        calibration = page.evaluate(CALIBRATE_JS)
        nodes = page.evaluate("() => document.getElementById('reasoning-content').querySelectorAll('*').length")
        katex = page.locator("#reasoning-content .katex").count()
        chars = app.updates[-1]

    def per_update(name: str) -> float:
        return (after[name] - before[name]) * 1000 / max(updates, 1)

    gaps = sorted(frames["gaps"])
    print(
        f"\nreasoning pane at {chars:,} characters ({katex:,} formulas, {nodes:,} elements), "
        f"{updates} updates in {seconds:.1f} s:"
        f"\n  main thread per update: {per_update('TaskDuration'):.1f} ms "
        f"(script {per_update('ScriptDuration'):.1f}, style {per_update('RecalcStyleDuration'):.1f}, "
        f"layout {per_update('LayoutDuration'):.1f}); busy {100 * (after['TaskDuration'] - before['TaskDuration']) / seconds:.0f} %"
        f"\n  frames: {len(gaps)}, median {statistics.median(gaps):.1f} ms, p95 {gaps[int(0.95 * len(gaps))]:.1f} ms, "
        f"max {gaps[-1]:.1f} ms, {sum(g > 50 for g in gaps)} over 50 ms"
        f"\n  long tasks: {len(frames['longtasks'])}, longest {max(frames['longtasks'], default=0):.0f} ms"
        f"\n  the first {len(bulk):,} characters at once took {bulk_seconds:.1f} s to render"
        f"\n  machine load: a fixed 2e7-step loop took {calibration:.0f} ms"
    )
    assert chars >= 147_000 and updates > 10
