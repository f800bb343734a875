"""The reasoning pane: a long, LaTeX-heavy trace that renders its math and follows the stream.

A browser that re-renders all of a long trace's Markdown and math every 80 ms janks
(gradio#7883), and so does a text box holding it all. Here the reasoning is cut at
paragraph breaks and laid out on a column of Markdown "shelves": a finished paragraph is
rendered once, and each update re-renders only the paragraph still growing (the tail).
A cut never falls inside display math (``$$…$$``, ``\\[…\\]``) or a fenced code block,
which may span blank lines: those stay in the tail until they close.

``ParagraphCutter`` and ``ReasoningPane`` are pure (no Gradio) and incremental: an update
costs O(new text) to cut and O(one shelf) to send. ``build_reasoning_pane`` makes the
components; the page's CSS and its script, which keeps the newest line in view, are
``static/reasoning_pane.css`` and ``static/reasoning_pane.js``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from .assets import load_script, static_path

if TYPE_CHECKING:
    import gradio as gr

# Display math or a code fence still open this many characters after its opening is taken
# for a stray delimiter: otherwise one lone "$$" would keep the rest of the trace in the
# tail, which is re-rendered on every update.
OPEN_SPAN_LIMIT = 6_000
# A paragraph this long is also cut at a line end, so a trace without blank lines still
# gets a short tail.
LONG_PARAGRAPH = 2_000

_TEXT, _DOLLARS, _BRACKETS, _FENCED = "text", "$$", "\\[", "fence"
_TOKENS = {_TEXT: re.compile(r"[\\$\n]"), _DOLLARS: re.compile(r"[\\$]"), _BRACKETS: re.compile(r"\\")}
_BLANK_LINES = re.compile(r"(?:[ \t]*\n)*")
_INDENT = re.compile(r"[ \t]*")
_FENCE = re.compile(r" {0,3}(```|~~~)")
_FENCE_STARTS = frozenset({"`", "``", "~", "~~"})


@dataclass(frozen=True, slots=True)
class Cut:
    """``finished``: the paragraphs this call finished; the paragraphs of all calls so far
    plus ``tail`` make up the text given to the last call."""

    finished: list[str]
    tail: str


class ParagraphCutter:
    """Cuts one run's reasoning; give it the whole text so far on every update.

    Each call scans only what arrived since the last one (plus the few characters it
    could not decide on yet), so any way of chunking a stream gives the same paragraphs.
    Each call's text must extend the previous call's (a run's reasoning only grows); a
    new run takes a new cutter.
    """

    __slots__ = (
        "_at_line_start", "_fence", "_finished", "_long_paragraph", "_open_span_limit",
        "_opened_at", "_position", "_reopen_at", "_start", "_state",
    )  # fmt: skip

    def __init__(self, open_span_limit: int = OPEN_SPAN_LIMIT, long_paragraph: int = LONG_PARAGRAPH) -> None:
        self._open_span_limit, self._long_paragraph = open_span_limit, long_paragraph
        self._finished: list[str] = []  # by the call going on
        self._start = 0  # where the tail (the paragraph still growing) begins
        self._position = 0  # everything before this has been read
        self._at_line_start = True  # _position starts a line not looked at yet
        self._state = _TEXT  # or inside display math or a fence, opened at _opened_at
        self._opened_at = 0
        self._reopen_at = 0  # where to read on, as text, if the opening proves stray
        self._fence = ""  # the open fence's character

    def cut(self, text: str) -> Cut:
        if len(text) < self._position:
            raise ValueError("a run's reasoning only grows: a new run takes a new ParagraphCutter")
        position = self._position
        self._finished = []
        # Each step reads on from ``position`` and says where to go on, or None when what
        # comes next cannot be told yet ("$" may become "$$", a blank line may go on…).
        while position < len(text):
            if self._state is not _TEXT and position >= self._opened_at + self._open_span_limit:
                self._state, self._at_line_start, position = _TEXT, False, self._reopen_at
                continue
            # Inside math or a fence, read no further than where the opening would prove stray.
            end = len(text) if self._state is _TEXT else min(len(text), self._opened_at + self._open_span_limit)
            if self._at_line_start:
                after = self._line(text, position)
            elif self._state is _FENCED:
                newline = text.find("\n", position, end)
                after = end if newline < 0 else self._newline(newline)
            else:
                after = self._token(text, position, end)
            if after is None:
                break
            position = after
        self._position = position
        return Cut(self._finished, text[self._start :])

    def _newline(self, at: int) -> int:
        self._at_line_start = True
        return at + 1

    def _token(self, text: str, position: int, end: int) -> int | None:
        """Text or math: skip to the next character that matters and act on it."""
        state = self._state
        match = _TOKENS[state].search(text, position, end)
        if match is None:
            return end
        at = match.start()
        if at > position:
            return at
        char = text[at]
        if char == "\n":
            return self._newline(at)
        if at + 1 == len(text):
            return None
        following = text[at + 1]
        if char == "$":
            if following != "$":
                return at + 1
            if state is _TEXT:
                self._open(_DOLLARS, at, at + 2)
            else:
                self._state = _TEXT
            return at + 2
        # A backslash escapes the next character: "\\[" is a line break with spacing, not math.
        if following == "\n":
            return at + 1
        if state is _TEXT and following == "[":
            self._open(_BRACKETS, at, at + 2)
        elif state is _BRACKETS and following == "]":
            self._state = _TEXT
        return at + 2

    def _line(self, text: str, position: int) -> int | None:
        """At a line start: skip blank lines, cut before a paragraph, open or close a fence."""
        # Both patterns match anywhere (they may match nothing).
        line = cast("re.Match[str]", _BLANK_LINES.match(text, position)).end()
        if cast("re.Match[str]", _INDENT.match(text, line)).end() == len(text):
            return None  # blank so far
        fence = _FENCE.match(text, line)
        if fence is None and _may_become_fence(text, line):
            return None
        self._at_line_start = False
        state = self._state
        # Never before an indented line: it may continue a list item, and alone it would be
        # a code block. A long paragraph's line ends are cut too, but not inside a table.
        cuttable = state is _TEXT and position > self._start and text[line] not in " \t"
        if cuttable and (line > position or (line - self._start >= self._long_paragraph and text[line] != "|")):
            self._finished.append(text[self._start : line])
            self._start = line
        if fence is None:
            return line
        char = fence.group(1)[0]
        if state is _TEXT:
            self._open(_FENCED, line, fence.end())
            self._fence = char
        elif char == self._fence:
            self._state = _TEXT
        return fence.end()

    def _open(self, state: str, at: int, reopen_at: int) -> None:
        self._state, self._opened_at, self._reopen_at = state, at, reopen_at


def _may_become_fence(text: str, line: int) -> bool:
    """A line start so short that more text may make it ``` or ~~~."""
    head = text[line : line + 6]
    if "\n" in head or len(head) == 6:
        return False
    body = head.lstrip(" ")
    return body in _FENCE_STARTS


# --- the pane's values ------------------------------------------------------------------

# The pane is a column of shelves, each a Markdown component holding finished paragraphs;
# the paragraph still growing (the tail) sits at the end of the shelf being filled. Gradio's
# Markdown re-renders only the top-level blocks whose text changed, but it lexes its whole
# value on every update (and a value spanning two components would render in two steps,
# the moved paragraph missing for a frame): the shelves bound the lexing, and a paragraph
# never moves once shown. Each output costs on every update, changed or not, so there are
# few shelves (measured: tests/test_browser_reasoning.py). A shelf takes paragraphs until it
# holds 5,000 characters; 32 of them hold a 40,960-token trace, and past that the last
# shelf takes the rest.
SHELVES = 32
SHELF_CHARS = 5_000


class ReasoningPane:
    """One run's reasoning as the pane shows it, one value per shelf.

    ``update`` gives every shelf's value, changed or not: Gradio sends an unchanged value
    as an empty diff after one string compare, while ``gr.skip()`` makes it build a new
    component for that output on every update (a 32-shelf update cost 12 ms of server CPU
    with skips, 0.4 ms with values and the event's ``postprocess=False``).
    """

    def __init__(self, raw: bool = False, shelves: int = SHELVES, shelf_chars: int = SHELF_CHARS) -> None:
        self.raw = raw  # plain text instead of Markdown and math
        self._shelf_chars = shelf_chars
        self._cutter = ParagraphCutter()
        self._shelves = [""] * shelves  # finished paragraphs
        self._filling = 0  # the shelf that gets the next paragraph, and shows the tail
        self._tail = ""
        self._shown = [""] * shelves  # each shelf's value as last given

    def update(self, text: str) -> list[str]:
        cut = self._cutter.cut(text)
        changed = {self._filling}  # it shows the tail
        for paragraph in cut.finished:
            # A paragraph stays on the shelf that showed it growing; a full shelf sends the
            # next one to the next shelf, so all that ever moves is a paragraph's first characters.
            shelf = self._filling
            self._shelves[shelf] += paragraph
            if len(self._shelves[shelf]) >= self._shelf_chars and shelf + 1 < len(self._shelves):
                self._filling = shelf + 1
                changed.add(self._filling)
        self._tail = cut.tail
        for shelf in changed:
            self._shown[shelf] = self._value(shelf)
        return list(self._shown)

    def show_raw(self, raw: bool) -> list[str]:
        """Every value again, as plain text or rendered."""
        self.raw = raw
        self._shown = [self._value(i) for i in range(len(self._shelves))]
        return list(self._shown)

    def _value(self, shelf: int) -> str:
        text = self._shelves[shelf] + (self._tail if shelf == self._filling else "")
        return _as_plain_text(text) if self.raw and text else text


def _as_plain_text(text: str) -> str:
    """Markdown that shows ``text`` as it is: a code block, which the math renderer skips,
    fenced longer than any run of tildes inside."""
    longest = max((len(run) for run in re.findall(r"~{3,}", text)), default=2)
    fence = "~" * (longest + 1)
    return f"{fence}text\n{text.rstrip()}\n{fence}"


# --- the components, their style and their script ---------------------------------------

PANE_ID, SCROLL_ID, CONTENT_ID, LATEST_ID, RAW_ID = (
    "reasoning-pane",
    "reasoning-scroll",
    "reasoning-content",
    "reasoning-latest",
    "reasoning-raw",
)


@dataclass(frozen=True)
class PaneComponents:
    outputs: list[gr.Markdown]  # the shelves: one per value of ReasoningPane.update
    raw: gr.Checkbox  # plain text instead of Markdown and math (ReasoningPane.show_raw)
    latest: gr.Button  # "↓ latest": the script shows it while following is paused


def build_reasoning_pane(latest_label: str = "↓ latest", raw_label: str = "raw") -> PaneComponents:
    """The pane's components, created in the ``gr.Blocks`` being built. The page needs
    ``REASONING_PANE_CSS_PATH`` and ``REASONING_PANE_JS`` (``launch(css_paths=…, js=…)``).

    An event streaming into the pane should pass ``postprocess=False`` (see
    :class:`ReasoningPane`) and ``show_progress_on=[one component]``: without it every
    output stays "pending" between updates, and each runs a progress timer on every frame,
    hidden or not (measured: most of the page's script time).
    """
    import gradio as gr

    from .view import LATEX_DELIMITERS

    with gr.Column(elem_id=PANE_ID, min_width=0):
        raw = gr.Checkbox(False, label=raw_label, container=False, min_width=0, elem_id=RAW_ID)
        with gr.Column(elem_id=SCROLL_ID, min_width=0), gr.Column(elem_id=CONTENT_ID, min_width=0):
            outputs = [
                gr.Markdown("", latex_delimiters=LATEX_DELIMITERS, sanitize_html=True, elem_classes="reasoning-shelf")
                for _ in range(SHELVES)
            ]
        latest = gr.Button(latest_label, size="sm", elem_id=LATEST_ID)
    return PaneComponents(outputs=outputs, raw=raw, latest=latest)


# Its look and its script, which follows the stream, live in static/ (see there).
REASONING_PANE_CSS_PATH = static_path("reasoning_pane.css")
REASONING_PANE_JS = load_script("reasoning_pane.js")
