"""The proof as numbered steps: a rule a person can predict from the text (lines, else
sentences, else a long chain of "so … then … therefore"), that numbers, abbreviations,
ellipses and LaTeX never trip, and that the examples gallery is written in."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from magistral_debugger.prompting.examples import load_examples
from magistral_debugger.prompting.steps import numbered, split_steps

# --- lines -------------------------------------------------------------------------------


def test_two_or_more_lines_give_one_step_per_non_empty_line_whatever_is_on_it():
    text = "Assume x = y. Then x² = xy.\n\n   Subtract y², so x² − y² = xy − y², then factor, so 2 = 1.  \n\t\nDone"
    assert split_steps(text) == (
        "Assume x = y. Then x² = xy.",
        "Subtract y², so x² − y² = xy − y², then factor, so 2 = 1.",
        "Done",
    )


@pytest.mark.parametrize(
    "marker",
    [
        "1. ",
        "1) ",
        "(1) ",
        "- ",
        "* ",
        "• ",
        "Step 1: ",
        "step 1. ",
        "Passo 1: ",
        "Paso 1) ",
        "Bước 1: ",
        "第1步：",
        "步骤1：",
    ],
)
def test_a_list_marker_of_the_persons_own_is_replaced_by_the_apps_number(marker):
    """Otherwise the model would read "2. 1. Let x = y" and might answer with the wrong one."""
    text = f"Claim: 2 = 1.\n{marker}Let x = y.\n{marker.replace('1', '2')}Then 2 = 1."
    assert split_steps(text) == ("Claim: 2 = 1.", "Let x = y.", "Then 2 = 1.")
    assert numbered(split_steps(text)) == "1. Claim: 2 = 1.\n2. Let x = y.\n3. Then 2 = 1."


@pytest.mark.parametrize("line", ["2. 5 = 5", "0.5 is half of 1", "-5 < 0", "1.5x = 3", "2 = 1"])
def test_numbers_that_are_not_list_markers_stay_in_the_step(line):
    steps = split_steps(f"{line}\nnext")
    assert steps[0] == (line[3:] if line.startswith("2. ") else line)


def test_lines_that_are_only_a_marker_leave_no_empty_step():
    assert split_steps("1.\nLet x = y.\n2.\nThen 2 = 1.") == ("Let x = y.", "Then 2 = 1.")


# --- one paragraph ------------------------------------------------------------------------


def test_a_paragraph_is_cut_into_sentences():
    assert split_steps("Assume x = y. Then x² = xy! Is x − y zero? Yes, so 2 = 1.") == (
        "Assume x = y.",
        "Then x² = xy!",
        "Is x − y zero?",
        "Yes, so 2 = 1.",
    )


@pytest.mark.parametrize(
    "paragraph",
    [
        "π is about 3.14159 and e is about 2.718, so 1,000.5 > 999.",
        "Pick a prime, e.g. 7, or an odd number, i.e. one not divisible by 2, etc. and square it.",
        "Compare Thm. 2 with Fig. 3 vs. Eq. 4, cf. Dr. Smith's notes.",
        "Take 1, 2, 3... and keep going … up to n.",
        "The identity $a. b = c$ holds, and so does $$x. y$$, and \\(p. q\\), and \\[r. s\\] too.",
    ],
)
def test_numbers_abbreviations_ellipses_and_latex_never_end_a_sentence(paragraph):
    assert split_steps(paragraph) == (paragraph,)


def test_a_period_inside_latex_never_cuts_but_one_after_it_does():
    assert split_steps("Let $x = 1. y$ be given. Then $x$ is fine.") == (
        "Let $x = 1. y$ be given.",
        "Then $x$ is fine.",
    )


def test_dollar_amounts_are_prose_not_latex():
    """A "$…$" pair must open and close on a non-space, so "$30, so … $10" is not one formula."""
    assert split_steps("The room costs $30, so each pays $10, then he refunds $5, so a dollar is lost.") == (
        "The room costs $30,",
        "so each pays $10,",
        "then he refunds $5,",
        "so a dollar is lost.",
    )


def test_a_numbered_paragraph_keeps_its_sentences_and_drops_its_own_numbers():
    assert split_steps("1. Let x = y. 2. Then x² = xy. Step 3: So 2 = 1.") == (
        "Let x = y.",
        "Then x² = xy.",
        "So 2 = 1.",
    )


@pytest.mark.parametrize(
    "sentence, clauses",
    [
        (
            "Assume x = y, then x² = xy, so x − y = 0, therefore 2 = 1.",
            ["Assume x = y,", "then x² = xy,", "so x − y = 0,", "therefore 2 = 1."],
        ),
        ("Assume x = y, hence x² = xy, thus 2 = 1.", ["Assume x = y,", "hence x² = xy,", "thus 2 = 1."]),
        (
            "Seja x = y, então x² = xy, logo x − y = 0, portanto 2 = 1.",
            ["Seja x = y,", "então x² = xy,", "logo x − y = 0,", "portanto 2 = 1."],
        ),
        (
            "Sea x = y, entonces x² = xy, luego x − y = 0, por lo tanto 2 = 1.",
            ["Sea x = y,", "entonces x² = xy,", "luego x − y = 0,", "por lo tanto 2 = 1."],
        ),
        (
            "设 x = y，因此 x² = xy，所以 x − y = 0，那么 2 = 1。",
            ["设 x = y，", "因此 x² = xy，", "所以 x − y = 0，", "那么 2 = 1。"],
        ),
        (
            "Giả sử x = y, do đó x² = xy, vì vậy x − y = 0, nên 2y = y, suy ra 2 = 1.",
            ["Giả sử x = y,", "do đó x² = xy,", "vì vậy x − y = 0,", "nên 2y = y,", "suy ra 2 = 1."],
        ),
    ],
    ids=["en", "en-hence-thus", "pt", "es", "zh", "vi"],
)
def test_a_long_chain_of_clauses_is_cut_before_each_chaining_word(sentence, clauses):
    assert list(split_steps(sentence)) == clauses


@pytest.mark.parametrize(
    "sentence",
    [
        "Assume x = y, so 2 = 1.",  # one chaining word is an ordinary sentence
        "So x = y, so 2 = 1.",  # a chaining word opening the sentence cuts nothing
        "Choose n so that n > 2, and so on, so far so good.",
        "设 x = y，所以 2 = 1。",
    ],
)
def test_a_sentence_with_one_chaining_word_stays_whole(sentence):
    assert split_steps(sentence) == (sentence,)


@pytest.mark.parametrize(
    "sentence, clauses",
    [
        ("If x = y then x² = xy, so x − y = 0, so 2 = 1.", ["If x = y then x² = xy,", "so x − y = 0,", "so 2 = 1."]),
        (
            "Se x = y então x² = xy, logo x − y = 0, portanto 2 = 1.",
            ["Se x = y então x² = xy,", "logo x − y = 0,", "portanto 2 = 1."],
        ),
        (
            "如果 x = y 那么 x² = xy，因此 x − y = 0，所以 2 = 1。",
            ["如果 x = y 那么 x² = xy，", "因此 x − y = 0，", "所以 2 = 1。"],
        ),
        (
            "Vì x = y nên x² = xy, do đó x − y = 0, suy ra 2 = 1.",
            ["Vì x = y nên x² = xy,", "do đó x − y = 0,", "suy ra 2 = 1."],
        ),
    ],
    ids=["en", "pt", "zh", "vi"],
)
def test_then_closing_an_if_is_not_a_new_step(sentence, clauses):
    assert list(split_steps(sentence)) == clauses


def test_chaining_words_inside_words_or_latex_cut_nothing():
    """Counted, the "so" and "then" inside the formula (or "thenceforth", "sonnet") would make a chain."""
    sentence = "Also, thenceforth the sonnet holds, so $a \\text{ so } b \\text{ then } c$."
    assert split_steps(sentence) == (sentence,)


def test_chinese_sentences_end_at_full_width_stops_without_a_space():
    assert split_steps("设 x = y，则 2 = 1。证毕！对吗？") == ("设 x = y，则 2 = 1。", "证毕！", "对吗？")


def test_blank_text_has_no_steps():
    assert split_steps("") == () and split_steps(" \n\t\n ") == ()
    assert numbered(()) == ""


# --- the preview ----------------------------------------------------------------------------


def test_the_preview_numbers_the_steps_one_a_line():
    assert numbered(split_steps("Assume x = y. Then 2 = 1.")) == "1. Assume x = y.\n2. Then 2 = 1."


step_words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Zl", "Zp", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() == s and s)


@given(st.lists(step_words, min_size=2, max_size=8))
def test_pasting_the_preview_back_gives_the_same_steps(steps):
    """What the proof box previews is what a person can paste back and keep."""
    first = split_steps("\n".join(steps))
    assert split_steps(numbered(first)) == first


PIECES = st.sampled_from(
    [
        "Assume",
        "x",
        "=",
        "y",
        ".",
        ",",
        "!",
        "?",
        "so",
        "then",
        "If",
        "therefore",
        "então",
        "luego",
        "所以",
        "如果",
        "nên",
        "vì",
        "$",
        "$$",
        "\\(",
        "\\)",
        "\\[",
        "\\]",
        "...",
        "…",
        "e.g.",
        "etc.",
        "。",
        "！",
        " ",
        " ",
        "\n",
    ]
)


@given(st.lists(PIECES, max_size=40))
def test_cutting_into_steps_loses_and_adds_nothing_but_white_space(pieces):
    """Without list markers of its own, the steps are the text itself, in order."""
    text = " ".join(pieces)
    assert "".join(split_steps(text)).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")


# --- the examples gallery is written as steps ------------------------------------------------

EXAMPLES = load_examples()
QUOTED = re.compile(r"\"([^\"]+)\"|“([^”]+)”")


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.slug for e in EXAMPLES])
def test_each_example_is_one_step_per_line_and_its_flaw_note_describes_the_recorded_step(example):
    """The rule, which fails when a step is added, removed or reworded without the note:
    a flawed example's note names "step N" for its recorded N and quotes (in double quotes)
    words that are in step N and in no other step; a control's recorded step is 0 and its
    note says "No flaw"."""
    lines = [line.strip() for line in example.argument.splitlines() if line.strip()]
    steps = split_steps(example.argument)
    assert list(steps) == lines, "every line is a step as written: no list markers, no blank steps"
    assert len(steps) >= 3
    n = example.flawed_step
    if example.kind == "correct":
        assert n == 0 and example.flaw.startswith("No flaw")
        return
    assert 1 <= n <= len(steps)
    assert re.search(rf"\bstep {n}\b", example.flaw, re.IGNORECASE), f"the note never names step {n}"
    quotes = [a or b for a, b in QUOTED.findall(example.flaw)]
    only_in_step = [q for q in quotes if q in steps[n - 1] and not any(q in s for s in steps if s != steps[n - 1])]
    assert only_in_step, f"the note quotes nothing that only step {n} says: {quotes}"


def test_the_gallery_has_flaws_at_many_different_steps_and_controls():
    """A model that always answered "step 4" (or "none") must not grade well."""
    recorded = [e.flawed_step for e in EXAMPLES]
    assert recorded.count(0) >= 3 and len(set(recorded) - {0}) >= 5
