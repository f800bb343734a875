"""The reasoning pane's values: however the stream is chunked, the page ends up showing
the same shelves and tail, a cut never splits math or code, and the tail stays short.

Expected paragraphs come from how each text was *built* (blocks joined by blank lines),
not from cutting the whole text at once, so the properties check the cutter against an
independent oracle; the page is simulated the way Gradio applies the values (None: keep).
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from magistral_debugger.ui.reasoning_pane import (
    LONG_PARAGRAPH,
    OPEN_SPAN_LIMIT,
    SHELVES,
    Cut,
    ParagraphCutter,
    ReasoningPane,
)

TRACE = (Path(__file__).parents[1] / "fixtures" / "two_equals_one_trace.md").read_text(encoding="utf-8")


def chunked(text: str, data: st.DataObject) -> list[str]:
    """``text`` cut at positions hypothesis chooses (any character, any count)."""
    points = data.draw(st.lists(st.integers(0, len(text)), max_size=20), label="cuts")
    bounds = sorted({0, len(text), *points})
    return [text[a:b] for a, b in pairwise(bounds)]


def cut_in_chunks(chunks: list[str], **limits: int) -> tuple[list[str], str]:
    """Feed the growing text as a run does; all paragraphs finished on the way, and the tail."""
    cutter, so_far, finished, tail = ParagraphCutter(**limits), "", [], ""
    for chunk in chunks:
        so_far += chunk
        cut = cutter.cut(so_far)
        finished += cut.finished
        tail = cut.tail
    return finished, tail


# Blocks a paragraph break must never fall inside; none starts with a space, ends in a
# newline or holds a blank line outside its math or fence.
words = st.text(alphabet="abcxyz =+-()²√∈ℝ", min_size=1, max_size=30).map(str.strip).filter(bool)
sentence = st.builds(lambda a, b: f"{a} ${b}$.", words, words)
paragraph = st.lists(sentence, min_size=1, max_size=3).map(" ".join)
display_dollars = st.lists(words, min_size=1, max_size=3).map(lambda lines: "$$\n" + "\n\n".join(lines) + "\n$$")
display_brackets = st.lists(words, min_size=1, max_size=3).map(lambda lines: "\\[\n" + "\n\n".join(lines) + "\n\\]")
fenced_code = st.lists(words, min_size=1, max_size=3).map(lambda lines: "```\n" + "\n\n".join(lines) + "\n```")
item_list = st.lists(words, min_size=1, max_size=3).map(lambda items: "\n".join(f"- {item}" for item in items))
block = st.one_of(
    paragraph, paragraph.map(lambda p: p + "\n" + p), display_dollars, display_brackets, fenced_code, item_list
)
gap = st.sampled_from(["\n\n", "\n\n\n", "\n \n", "\n\t\n\n"])


@given(blocks=st.lists(st.tuples(block, gap), min_size=1, max_size=8), last=block, data=st.data())
@settings(max_examples=300)
def test_paragraphs_are_cut_at_blank_lines_outside_math_and_code_however_the_text_is_chunked(blocks, last, data):
    text = "".join(b + g for b, g in blocks) + last
    finished, tail = cut_in_chunks(chunked(text, data))
    assert finished == [b + g for b, g in blocks]
    assert tail == last


@given(
    text=st.text(alphabet="ab $\\[]`~|\n \t", max_size=200),
    limits=st.sampled_from([{}, {"open_span_limit": 9, "long_paragraph": 7}]),
    data=st.data(),
)
@example(text="$$a\n\nb$$\n\nc", limits={}, data=None)
@example(text="``\n\n`\n\nx", limits={}, data=None)
@example(text="$$ a\n\nb c d e f\n\ng", limits={"open_span_limit": 9, "long_paragraph": 7}, data=None)
@settings(max_examples=600)
def test_any_chunking_gives_the_same_paragraphs_and_tail_and_loses_nothing(text, limits, data):
    """Delimiter soup, with the usual limits and with tiny ones that make stray openings
    and long paragraphs common: wherever the network splits it, the same cut, and the
    pieces are the text."""
    chunks = chunked(text, data) if data is not None else [text[:1], text[1:4], text[4:]]
    finished, tail = cut_in_chunks(chunks, **limits)
    assert (finished, tail) == cut_in_chunks([text], **limits)
    assert "".join(finished) + tail == text


def test_display_math_with_blank_lines_stays_in_the_tail_until_it_closes():
    cutter = ParagraphCutter()
    text = "We get\n\n$$\n(x + y)(x - y)\n\n= y(x - y)\n"
    assert cutter.cut(text).finished == ["We get\n\n"]
    text += "\nso"
    assert cutter.cut(text) == Cut([], "$$\n(x + y)(x - y)\n\n= y(x - y)\n\nso")
    text += "\n$$\n\nNext"
    assert cutter.cut(text) == Cut(["$$\n(x + y)(x - y)\n\n= y(x - y)\n\nso\n$$\n\n"], "Next")


def test_bracket_math_is_kept_whole_but_an_escaped_line_break_opens_nothing():
    text = "A \\\\[2pt] line break.\n\n\\[\na\n\nb\n\\]\n\nEnd"
    finished, tail = cut_in_chunks([text])
    assert finished == ["A \\\\[2pt] line break.\n\n", "\\[\na\n\nb\n\\]\n\n"]
    assert tail == "End"


def test_a_dollar_or_backslash_at_the_end_waits_for_the_next_character():
    cutter = ParagraphCutter()
    assert cutter.cut("One.\n\nTwo $").finished == ["One.\n\n"]
    assert cutter.cut("One.\n\nTwo $$\n\n").finished == []  # "$$" opened display math
    assert cutter.cut("One.\n\nTwo $$\n\nx$$\n\nThree").finished == ["Two $$\n\nx$$\n\n"]


def test_an_indented_line_after_a_blank_line_stays_with_its_list_item():
    finished, tail = cut_in_chunks(["1. Cancel.\n\n    Dividing by x − y is dividing by 0.\n\n2. Next"])
    assert finished == ["1. Cancel.\n\n    Dividing by x − y is dividing by 0.\n\n"]
    assert tail == "2. Next"


def test_a_stray_display_delimiter_does_not_keep_the_rest_in_the_tail():
    """Without a closing "$$" within OPEN_SPAN_LIMIT characters the opening was not math,
    and paragraphs are cut again: the tail, re-rendered on every update, stays short."""
    text = "It costs $$ here.\n\n" + "".join(f"Paragraph {i}.\n\n" for i in range(1500)) + "Last"
    assert len(text) > 2 * OPEN_SPAN_LIMIT
    finished, tail = cut_in_chunks([text[i : i + 97] for i in range(0, len(text), 97)])
    assert tail == "Last"
    assert max(map(len, finished)) <= OPEN_SPAN_LIMIT + 20
    assert (finished, tail) == cut_in_chunks([text])


def test_a_trace_without_blank_lines_is_cut_at_line_ends_but_never_inside_a_table():
    lines = [f"Line {i} of a long thought." for i in range(400)]
    table = "| a | b |\n|---|---|\n" + "".join(f"| {i} | {i * i} |\n" for i in range(200))
    text = "\n".join(lines) + "\n" + table + "after"
    finished, tail = cut_in_chunks([text[i : i + 13] for i in range(0, len(text), 13)])
    assert all(len(p) < LONG_PARAGRAPH + 40 for p in finished[:-1])
    assert table in finished[-1]  # the table stays in one piece
    assert "".join(finished) + tail == text


def test_a_new_run_needs_a_new_cutter():
    cutter = ParagraphCutter()
    cutter.cut("a long reasoning\n\nthat grew")
    try:
        cutter.cut("short")
    except ValueError:
        return
    raise AssertionError("a shorter text was taken for the same run")


# --- the pane: shelves as the page shows them ----------------------------------------------


def shown_after_each_update(pane: ReasoningPane, chunks: list[str]) -> list[list[str]]:
    """What the page shows after each update."""
    so_far, pages = "", []
    for chunk in chunks:
        so_far += chunk
        pages.append(pane.update(so_far))
    return pages


@given(data=st.data())
@settings(max_examples=60, deadline=None)
def test_the_page_shows_the_same_pane_however_the_trace_is_chunked(data):
    text = TRACE * 3
    pages = shown_after_each_update(ReasoningPane(), chunked(text, data))
    assert pages[-1] == shown_after_each_update(ReasoningPane(), [text])[-1]
    assert len(pages[-1]) == SHELVES


def test_the_page_always_shows_exactly_the_text_so_far_and_shown_text_never_moves():
    """A shelf only ever grows: text shown once stays where it is (moving it between two
    components would show it twice, or not at all, for a frame)."""
    pane, chunks = ReasoningPane(shelves=4, shelf_chars=2500), [TRACE[i : i + 40] for i in range(0, len(TRACE), 40)]
    pages = shown_after_each_update(pane, chunks)
    so_far = ""
    for chunk, page, before in zip(chunks, pages, [None, *pages], strict=False):
        so_far += chunk
        assert "".join(page) == so_far
        if before is not None:
            changed = [i for i, (old, new) in enumerate(zip(before, page, strict=False)) if old != new]
            assert all(page[i].startswith(before[i]) for i in changed)
            assert len(changed) == 1 or changed == [changed[0], changed[0] + 1]
    *full, last = pages[-1]
    assert all(full) and last and all(2500 <= len(shelf) < 2500 + LONG_PARAGRAPH for shelf in full)


def test_raw_shows_the_text_as_written_in_code_blocks_the_math_renderer_skips():
    pane = ReasoningPane(shelves=2, shelf_chars=20)
    text = "Factor: $(x+y)(x-y)$.\n\n~~~ tildes ~~~\n\n~~~~\n\nStill $$x$$ going"
    rendered = pane.update(text)
    assert rendered == ["Factor: $(x+y)(x-y)$.\n\n", "~~~ tildes ~~~\n\n~~~~\n\nStill $$x$$ going"]
    raw = pane.show_raw(True)
    assert raw == [
        "~~~text\nFactor: $(x+y)(x-y)$.\n~~~",
        "~~~~~text\n~~~ tildes ~~~\n\n~~~~\n\nStill $$x$$ going\n~~~~~",
    ]
    # A run still streaming sends everything again after the switch, in the new form.
    assert pane.update(text + ".") == [raw[0], raw[1].replace("going", "going.")]
    assert pane.show_raw(False) == [rendered[0], rendered[1] + "."]
    assert ReasoningPane(raw=True, shelves=2).update("") == ["", ""]  # nothing to show stays empty
