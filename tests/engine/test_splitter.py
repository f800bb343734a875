"""The reasoning splitter: whatever the wire and however the stream is cut, the
person sees the same reasoning and the same answer, and never a think tag.

The expected texts come from how each stream was *built* (reasoning and answer
joined with tags), not from running the splitter on the whole stream, so the
properties check the splitter against an independent oracle. Results are read
through :class:`RunState`, the splitter's real consumer, because reclassifying
"answer that was reasoning" is a joint job of the two.
"""

from __future__ import annotations

import sys
from itertools import pairwise

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from magistral_debugger.engine import splitter as splitter_module
from magistral_debugger.engine.splitter import CLOSE_TAGS, OPEN_TAGS, ReasoningSplitter
from magistral_debugger.engine.state import RunState
from magistral_debugger.events import Answer, AnswerWasReasoning, Reasoning

TAGS = OPEN_TAGS + CLOSE_TAGS
PARTIALS = {tag[:i] for tag in TAGS for i in range(1, len(tag))}
TAG_PAIRS = [("[THINK]", "[/THINK]"), ("<think>", "</think>")]

# Text that looks as much like tags as possible without being one: the splitter
# must not trip over "[TH", "</thin", brackets, slashes and multi-byte characters.
tagish_text = st.text(alphabet="[]<>/THINKthink x\n−é中", max_size=40).filter(
    lambda s: not any(tag in s for tag in TAGS)
)
# Gluing such text to a tag never forms a new tag across the seam: '[' and '<' only
# start a tag and ']' and '>' only end one, so the streams below hold exactly the tags
# they were built with.
# Text with no '[' or '<' at all: any of those in the output must be a leaked tag piece.
plain_text = st.text(alphabet=st.characters(blacklist_characters="[<", blacklist_categories=("Cs",)), max_size=40)


def ends_in_partial_tag(text: str) -> bool:
    """A text ending like this is indistinguishable from a tag still arriving."""
    return any(text.endswith(p) for p in PARTIALS if len(p) > 1)


def cut(text: str, data: st.DataObject) -> list[str]:
    """Cut ``text`` into chunks at positions hypothesis chooses (any byte, any count)."""
    points = data.draw(st.lists(st.integers(0, len(text)), max_size=12), label="cuts")
    bounds = sorted({0, len(text), *points})
    return [text[a:b] for a, b in pairwise(bounds)]


def run_stream(content_chunks: list[str], reasoning_chunks: list[str] = ()) -> tuple[RunState, list]:
    """Feed separate-field reasoning, then content, then the end, as a backend would."""
    splitter, state, events = ReasoningSplitter(), RunState(), []
    for chunk in reasoning_chunks:
        events += splitter.reasoning(chunk)
    for chunk in content_chunks:
        events += splitter.content(chunk)
    events += splitter.finish()
    for event in events:
        state.apply(event)
    return state, events


# --- any cut gives the same result --------------------------------------------------------


@given(
    reasoning=tagish_text,
    answer=tagish_text,
    tags=st.sampled_from(TAG_PAIRS),
    preamble=st.sampled_from(["", "\n", "  "]),
    data=st.data(),
)
@example(reasoning="x − y = 0", answer="Step 5 divides by zero.", tags=TAG_PAIRS[0], preamble="", data=None)
@settings(max_examples=300)
def test_inline_tags_give_the_same_reasoning_and_answer_however_the_stream_is_cut(
    reasoning, answer, tags, preamble, data
):
    """Tags inline in content ([THINK] for 2507/2509, <think> for 2506) may be cut at any
    character; the panes must not depend on where the network happened to split."""
    opening, closing = tags
    assume(not ends_in_partial_tag(answer))
    stream = preamble + opening + reasoning + closing + answer
    chunks = cut(stream, data) if data is not None else [stream[:3], stream[3:9], stream[9:]]
    state, _ = run_stream(chunks)
    assert state.reasoning == reasoning.lstrip()
    assert state.answer == answer.lstrip()


@given(reasoning=tagish_text, answer=tagish_text, closing=st.sampled_from(CLOSE_TAGS), data=st.data())
@settings(max_examples=200)
def test_closing_tag_without_opening_tag_makes_the_earlier_text_reasoning(reasoning, answer, closing, data):
    """Servers whose chat template opens the think block themselves send only the closing
    tag: everything before it was reasoning, even if it was shown as answer first."""
    assume(not ends_in_partial_tag(answer))
    state, _ = run_stream(cut(reasoning + closing + answer, data))
    assert state.reasoning == reasoning.lstrip()
    assert state.answer == answer.lstrip()


@given(reasoning=tagish_text, answer=tagish_text, data=st.data())
@settings(max_examples=200)
def test_reasoning_field_plus_content_is_independent_of_chunking(reasoning, answer, data):
    """Ollama's message.thinking and vLLM's delta.reasoning deliver reasoning in its own
    field; the content that follows is the answer, however either is cut."""
    assume(not ends_in_partial_tag(answer))
    state, _ = run_stream(cut(answer, data), cut(reasoning, data))
    assert state.reasoning == reasoning.lstrip()
    assert state.answer == answer.lstrip()


# --- no tag, whole or partial, ever reaches a pane ----------------------------------------


@given(
    reasoning=plain_text,
    answer=plain_text,
    tags=st.sampled_from(TAG_PAIRS),
    data=st.data(),
)
@settings(max_examples=300)
def test_no_piece_of_a_tag_ever_reaches_either_pane(reasoning, answer, tags, data):
    """With text free of '[' and '<', any such character in an emitted event can only be a
    piece of a tag that leaked out before the splitter knew what it was."""
    opening, closing = tags
    stream = opening + reasoning + closing + answer
    _, events = run_stream(cut(stream, data))
    for event in events:
        if isinstance(event, (Reasoning, Answer)):
            assert "[" not in event.text and "<" not in event.text, event


@given(chunks=st.lists(st.text(alphabet="[]<>/THINKthink a", max_size=12), max_size=30))
@settings(max_examples=300)
def test_emitted_text_never_contains_a_complete_tag(chunks):
    """Whatever arrives, however garbled, no event the panes receive holds a whole tag."""
    _, events = run_stream(chunks)
    for event in events:
        if isinstance(event, (Reasoning, Answer)):
            assert not any(tag in event.text for tag in TAGS), event


# --- partial tags, endings -----------------------------------------------------------------


def test_a_partial_tag_at_a_chunk_end_is_held_back_until_the_next_chunk_decides():
    """'[TH' could be the start of '[THINK]': showing it and taking it back would flicker."""
    splitter = ReasoningSplitter()
    assert splitter.content("[THINK]x − y = 0 so [/TH") == [Reasoning("x − y = 0 so ")]
    assert splitter.content("INK]Step 5 <thi") == [Answer("Step 5 ")]
    assert splitter.content("s is fine") == [Answer("<this is fine")]
    assert splitter.finish() == []


def test_a_lone_bracket_at_the_end_of_the_stream_is_text():
    """'[' at the very end cannot become a tag any more; dropping it would lose text."""
    splitter = ReasoningSplitter()
    assert splitter.content("a[i] < b[") == [Answer("a[i] < b")]
    assert splitter.finish() == [Answer("[")]


def test_stream_ending_inside_reasoning_does_not_promote_reasoning_to_answer():
    """Out of tokens while thinking (finish reason 'length'): the reasoning stays reasoning
    and the answer stays empty, so the run can say what happened instead of showing
    half a thought as the answer."""
    state, events = run_stream(["[THINK]Let me check", " step 3 and then [/TH"])
    assert state.reasoning == "Let me check step 3 and then "
    assert state.answer == ""
    assert not any(isinstance(e, (Answer, AnswerWasReasoning)) for e in events)
    state.finish("length")
    assert "ran out of tokens while thinking" in state.outcome().lower()


def test_stray_closing_tags_after_the_reasoning_are_dropped_not_shown():
    state, _ = run_stream(["<think>a</think>b", "</think>c"])
    assert (state.reasoning, state.answer) == ("a", "bc")


# --- cost per chunk ------------------------------------------------------------------------


@given(chunks=st.lists(st.text(alphabet="[]<>/THINKthink a", max_size=20), max_size=40))
@settings(max_examples=300)
def test_held_back_text_never_exceeds_the_longest_partial_tag(chunks):
    """The only text carried from one chunk to the next is a possible partial tag
    (at most 7 characters, '[/THINK'), so each chunk costs O(chunk), not O(text so far)."""
    splitter = ReasoningSplitter()
    for chunk in chunks:
        splitter.content(chunk)
        assert len(splitter._held) <= 7


def _lines_executed(fn, *args) -> int:
    """Python lines run inside the splitter module during one call: a deterministic
    measure of work that, unlike wall-clock time, is not disturbed by a busy machine."""
    count = 0
    code_file = splitter_module.__file__

    def tracer(frame, event, arg):
        nonlocal count
        if frame.f_code.co_filename != code_file:
            return None
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        fn(*args)
    finally:
        sys.settrace(None)
    return count


def test_work_per_chunk_does_not_grow_with_the_text_so_far():
    """A long reasoning stream, one small chunk at a time, with brackets that keep the
    slow path busy: the last chunks cost no more work than the first ones."""
    splitter = ReasoningSplitter()
    piece = "a[i] <b [/THIN"  # ends in a partial tag, so every next chunk re-scans the held text
    work = [_lines_executed(splitter.content, "[THINK]")]
    for _ in range(3000):
        work.append(_lines_executed(splitter.content, piece))
    early, late = max(work[1:50]), max(work[-50:])
    assert late <= early
