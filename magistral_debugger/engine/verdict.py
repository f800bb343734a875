"""Read the model's verdict on the numbered steps, and follow the step it is examining.

The model is asked to end its answer with one English line, ``Flawed step: N (kind)``
or ``Flawed step: none``. :class:`VerdictReader` takes that line out of the answer as
it streams (the page shows it as a badge instead) and reads it leniently: Markdown
emphasis, "Step 4", "#4", any case, trailing punctuation, a kind in the model's own
words. It is strict about what would light up the wrong step: a number outside the
proof, two lines that disagree, or no line at all give no verdict, never a guess.

:class:`FocusTracker` watches the reasoning for the latest "step N" / "line N" (in the
five languages of the page), so the room can follow the model through the proof.

Both are incremental: a chunk costs O(chunk) (the reader holds back at most the line
that may be a verdict line; the tracker a few characters of a mention cut in two), so
the same code reads a live stream and, fed in one piece, a recorded answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..prompting.messages import flaw_kinds


@dataclass(frozen=True)
class Verdict:
    """The step the model says is the first broken one (``None``: no flaw found).

    ``kind`` is one of :func:`flaw_kinds` ("other" when the model named something
    else, whose words are then in ``words``); ``text`` is the step as the page
    numbers it, so a script need not split the proof again. Both are "" for none.
    """

    step: int | None
    kind: str = ""
    words: str = ""
    text: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"type": "verdict", "step": self.step, "kind": self.kind, "text": self.text}


@dataclass(frozen=True)
class NoVerdict:
    """Why there is nothing to highlight: the answer had no verdict line, named a step
    the proof does not have, or had verdict lines that disagree."""

    reason: Literal["missing", "out_of_range", "contradicting"]


# --- the verdict line -------------------------------------------------------------------

_DECORATION = re.compile(r"[\s*_`#>\-]")  # Markdown around and inside the line's opening
_OPENING = "flawedstep:"
_HEAD = 64  # a verdict line says "Flawed step:" within this many characters, or it is prose
_LINE = re.compile(
    r"^[\s*_`#>\-]*flawed[\s*_`]*step[\s*_`]*[:：][\s*_`]*"
    r"(?:(?P<none>none)(?!\w)|(?:steps?\s*|\#\s*|no\.\s*)?(?P<step>\d{1,6})(?!\w|[.,]\d))"
    r"(?P<rest>.*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Claim:
    step: int | None
    kind: str | None  # None: the line named no kind
    words: str


def _opening(head: str) -> Literal["verdict", "maybe", "text"]:
    """What a line's first characters make it: a verdict line (held until it ends), not
    yet known, or prose. Depends only on ``head`` = the line's first :data:`_HEAD`
    characters, so every way of cutting the stream decides a line the same way."""
    said = _DECORATION.sub("", head.lower()).replace("：", ":")
    if said.startswith(_OPENING):
        return "verdict"
    if len(head) < _HEAD and _OPENING.startswith(said):
        return "maybe"
    return "text"


def _parse_line(line: str) -> _Claim | None:
    """What a line that opens like a verdict says; None when it says no one step."""
    match = _LINE.match(line.strip())
    if match is None:
        return None
    if match["none"]:
        return _Claim(None, None, "")
    rest = match["rest"]
    outside = re.sub(r"\([^)]*\)?", "", rest)
    if re.search(r"\d", outside):  # "Flawed step: 4 and 5": two steps is no verdict
        return None
    inside = re.search(r"\(([^)]*)\)?", rest)
    words = inside[1] if inside else outside
    words = re.sub(r"\s+", " ", words.replace("*", "").replace("`", "").replace("_", " "))
    words = words.strip(" .,;:!?-–—\t\r")
    step = int(match["step"])
    return _Claim(step, *_kind(words)) if words else _Claim(step, None, "")


def _kind(words: str) -> tuple[str, str]:
    """The listed kind ``words`` name (and "" as the words), else ("other", the words)."""
    words = re.sub(r"^other\s*[:\-–—]\s*", "", words, flags=re.IGNORECASE)  # "other: sign slip"
    said = _normal(words)
    kinds = {_normal(kind): kind for kind in flaw_kinds()}
    if said in kinds:
        return kinds[said], ""
    named = [kind for normal, kind in kinds.items() if kind != "other" and re.search(rf"\b{re.escape(normal)}\b", said)]
    return (named[0], "") if len(named) == 1 else ("other", words)


def _normal(words: str) -> str:
    return " ".join(re.sub(r"[-‐–]", " ", words.lower()).split())


class VerdictReader:
    """Feed it the answer as it streams; it returns the answer to show, verdict line removed.

    White space is shown only once text follows it, so the answer never ends in the blank
    lines that stood before the verdict line; blank lines after a removed verdict line
    go with it.
    """

    __slots__ = ("_state", "_head", "_held", "_breaks", "_space", "_after_verdict", "_claims")

    def __init__(self) -> None:
        self._state: Literal["verdict", "maybe", "text"] = "maybe"  # what the current line is
        self._head = ""  # its first characters, while that is not yet known
        self._held: list[str] = []  # the current line, while it is not known to be prose
        self._breaks = ""  # line breaks (and blank lines) not shown yet
        self._space = ""  # white space of the current line not shown yet
        self._after_verdict = False  # a verdict line was removed and no text has followed
        self._claims: list[_Claim] = []

    def feed(self, chunk: str) -> str:
        """The answer text that can be shown now."""
        if self._state == "text" and "\n" not in chunk:  # inside a line of prose (most chunks)
            body = chunk.rstrip()
            if not body:
                self._space += chunk
                return ""
            shown = self._breaks + self._space + body if self._breaks or self._space else body
            self._breaks, self._space, self._after_verdict = "", chunk[len(body) :], False
            return shown
        out: list[str] = []
        for position, part in enumerate(chunk.split("\n")):
            if position:
                self._close_line(out, ending="\n")
            self._extend_line(part, out)
        return "".join(out)

    def finish(self) -> str:
        """The stream ended: the rest of the answer (the last line, unless it is the verdict)."""
        out: list[str] = []
        self._close_line(out, ending="")
        if not self._after_verdict:  # white space the answer ends with is its own, not a verdict line's
            out.append(self._breaks)
        self._breaks = ""
        return "".join(out)

    def take_back(self) -> str:
        """Start over, giving back the text not shown yet (a line held as maybe-a-verdict
        and the white space before it): what seemed answer was reasoning, or the stream was
        cut and every word that came is kept. Verdict lines read so far are forgotten."""
        held = self._breaks + self._space + "".join(self._held)
        type(self).__init__(self)
        return held

    def verdict(self, steps: Sequence[str]) -> Verdict | NoVerdict:
        """What the answer's verdict line(s) say about ``steps``, the proof as numbered
        (call :meth:`finish` first: the last line may be the verdict)."""
        if not self._claims:
            return NoVerdict("missing")
        named_steps = {claim.step for claim in self._claims}
        named_kinds = {(claim.kind, claim.words) for claim in self._claims if claim.kind is not None}
        if len(named_steps) > 1 or len(named_kinds) > 1:
            return NoVerdict("contradicting")
        step = named_steps.pop()
        if step is None:
            return Verdict(None)
        if not 1 <= step <= len(steps):
            return NoVerdict("out_of_range")
        kind, words = named_kinds.pop() if named_kinds else ("other", "")
        return Verdict(step, kind, words, steps[step - 1])

    def _extend_line(self, part: str, out: list[str]) -> None:
        if not part:
            return
        if self._state == "text":
            self._show(part, out)
            return
        self._held.append(part)
        if self._state == "maybe":
            self._head += part[: _HEAD - len(self._head)]
            self._state = _opening(self._head)
            if self._state == "text":
                self._show("".join(self._held), out)
                self._held = []

    def _close_line(self, out: list[str], ending: str) -> None:
        line = "".join(self._held)
        claim = _parse_line(line) if self._state == "verdict" else None
        if claim is not None:
            self._claims.append(claim)
            self._after_verdict = True
        else:
            self._show(line, out)
            if not self._after_verdict:
                self._breaks += self._space + ending
        self._state, self._head, self._held, self._space = "maybe", "", [], ""

    def _show(self, text: str, out: list[str]) -> None:
        body = text.rstrip()
        if not body:
            self._space += text
            return
        out.append(self._breaks + self._space + body)
        self._breaks, self._space, self._after_verdict = "", text[len(body) :], False


def read_answer(answer: str, steps: Sequence[str]) -> tuple[str, Verdict | NoVerdict]:
    """A whole answer (a replay, an export) read as a stream of one chunk: the answer
    without its verdict line, and the verdict."""
    reader = VerdictReader()
    clean = reader.feed(answer) + reader.finish()
    return clean, reader.verdict(steps)


# --- the step the reasoning is on -------------------------------------------------------

_CJK_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CJK_NUMBER = r"[一二三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九]"
_MENTION = re.compile(
    r"(?<!\w)(?:steps?|lines?|passos?|linhas?|pasos?|l[ií]neas?|bước|dòng)\s{0,2}(?:#\s?|no\.\s?)?(?P<n>\d{1,4})(?!\d)"
    rf"|第\s?(?P<zh>\d{{1,4}}|{_CJK_NUMBER})\s?步"
    rf"|步骤\s?(?P<zh_open>\d{{1,4}}(?!\d)|(?:{_CJK_NUMBER})(?![一二三四五六七八九十]))",
    re.IGNORECASE,
)
_ENDINGS = re.compile(r"[0-9一二两三四五六七八九十步]")
_CARRY = 40  # longer than any mention, so one cut between chunks is always inside the carry


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    tens, ten, ones = text.partition("十")
    if not ten:
        return _CJK_DIGITS[text]
    return (_CJK_DIGITS[tens] if tens else 1) * 10 + (_CJK_DIGITS[ones] if ones else 0)


class FocusTracker:
    """Feed it the reasoning as it streams; it says when the step under examination changes.

    Only mentions of steps the proof has count. A mention at the very end of a chunk
    may still grow ("step 1" then "2"), so it waits for the next character or
    :meth:`finish`; the last :data:`_CARRY` characters are scanned again with the next
    chunk for that reason (the first of them only as context, so "footstep 3" stays prose).
    """

    __slots__ = ("step_count", "focus", "_carry", "_pending")

    def __init__(self, step_count: int) -> None:
        self.step_count = step_count
        self.focus: int | None = None
        self._carry = "\n"  # as if a line ended just before the reasoning began
        self._pending = False  # the carry ends in what may end a mention

    def feed(self, chunk: str) -> int | None:
        """The new focus if this chunk moved it, else None."""
        if not self._pending and not _ENDINGS.search(chunk):
            # Every mention ends in a digit, a Chinese numeral or 步: this chunk completes none
            # (most chunks). Keep it as context; trim the carry only now and then.
            carry = self._carry + chunk
            self._carry = carry if len(carry) < 4 * _CARRY else carry[-_CARRY:]
            return None
        return self._scan(self._carry + chunk, final=False)

    def finish(self) -> int | None:
        """The reasoning ended: a mention it ended with counts now."""
        return self._scan(self._carry, final=True)

    def _scan(self, text: str, final: bool) -> int | None:
        latest = None
        for match in _MENTION.finditer(text, 1):  # the carry's first character is only context
            complete = final or match.end() < len(text) or match["zh"] is not None
            number = _number(match["n"] or match["zh"] or match["zh_open"])
            if complete and 1 <= number <= self.step_count:
                latest = number
        self._carry = text[-_CARRY:]
        self._pending = bool(_ENDINGS.match(text[-1:]))
        if latest is None or latest == self.focus or not self.step_count:
            return None
        self.focus = latest
        return latest
