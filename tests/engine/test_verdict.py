"""The verdict line and the live focus: every form of "Flawed step: N (kind)" a model
writes is read, the line leaves the answer however the stream is cut, and anything
doubtful (out of range, contradicting, missing) lights up nothing rather than the
wrong step. The reasoning's latest "step N" is followed the same way in five languages.

The chunking properties compare against texts built from known parts (prose that
cannot be a verdict line, a verdict line with a known meaning), not against the
reader run on the whole text, so they check the reader against an independent oracle.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from magistral_debugger.engine.verdict import FocusTracker, NoVerdict, Verdict, VerdictReader, read_answer
from magistral_debugger.i18n import TRANSLATIONS, t
from magistral_debugger.prompting.messages import flaw_kinds
from magistral_debugger.ui.view import KIND_IDS, StepMark, badge_words, kind_words, step_marks

STEPS = (
    "Let x and y be real numbers with x = y.",
    "Multiply both sides by x: x² = xy.",
    "Subtract y² from both sides: x² − y² = xy − y².",
    "Factor both sides: (x + y)(x − y) = y(x − y).",
    "Cancel the common factor (x − y): x + y = y.",
    "So 2y = y, and 2 = 1.",
)
EXPLANATION = "Step 5 divides by x − y, which is 0 because x = y.\n\nSo nothing follows from step 5."


def feed_all(chunks: list[str], steps=STEPS) -> tuple[str, Verdict | NoVerdict]:
    reader = VerdictReader()
    shown = "".join(reader.feed(chunk) for chunk in chunks) + reader.finish()
    return shown, reader.verdict(steps)


def cut(text: str, data: st.DataObject) -> list[str]:
    """``text`` cut into chunks at positions hypothesis chooses."""
    points = data.draw(st.lists(st.integers(0, len(text)), max_size=12), label="cuts")
    bounds = sorted({0, len(text), *points})
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


# --- every form of the line --------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Flawed step: 5 (division by zero)",
        "flawed step: 5 (division by zero)",
        "FLAWED STEP: 5 (Division by Zero).",
        "**Flawed step:** 5 (division by zero)",
        "**Flawed step: 5 (division by zero)**",
        "Flawed step: **5** (*division by zero*)",
        "`Flawed step: 5 (division by zero)`",
        "Flawed step: Step 5 (division by zero)",
        "Flawed step: step 5 — division by zero.",
        "Flawed step: #5 (division by zero)",
        "Flawed step: 5 - division-by-zero",
        "Flawed step: 5 (other: division by zero)",
        "### Flawed step: 5 (division by zero)",
        "> **Flawed step:** 5 (division by zero)",
        "- Flawed step: 5 (division by zero)",
        "  Flawed  step ： 5 (division by zero)  ",
        "Flawed step: 5 (a division by zero hidden in the cancellation)",
    ],
)
def test_every_way_of_writing_the_verdict_line_names_the_step_and_the_kind(line):
    shown, verdict = feed_all([EXPLANATION + "\n\n" + line + "\n"])
    assert verdict == Verdict(5, "division by zero", "", STEPS[4])
    assert shown == EXPLANATION


@pytest.mark.parametrize(
    "line",
    [
        "**Flawed step:** 5",
        "Flawed step: step 5.",
        "Flawed step: 5!",
        "Flawed step: #5",
        "FLAWED STEP:5",
        "Flawed step: 5 ()",
    ],
)
def test_a_line_without_a_kind_names_the_step_with_kind_other(line):
    shown, verdict = feed_all([EXPLANATION + "\n" + line])
    assert verdict == Verdict(5, "other", "", STEPS[4])
    assert shown == EXPLANATION


@pytest.mark.parametrize(
    "line", ["Flawed step: none", "**Flawed step:** None.", "flawed step: NONE (every step is valid)"]
)
def test_none_says_no_flaw_with_no_step_and_no_text(line):
    shown, verdict = feed_all(["Every step is valid.\n", line])
    assert verdict == Verdict(None)
    assert verdict.as_json() == {"type": "verdict", "step": None, "kind": "", "text": ""}
    assert shown == "Every step is valid."


def test_a_kind_outside_the_list_is_other_with_the_models_own_words():
    _, verdict = feed_all([EXPLANATION + "\nFlawed step: 5 (Sign Error in the factoring)."])
    assert verdict == Verdict(5, "other", "Sign Error in the factoring", STEPS[4])


def test_words_naming_two_listed_kinds_are_the_models_own_words():
    _, verdict = feed_all(["Flawed step: 5 (division by zero or invalid cancellation)"])
    assert (verdict.kind, verdict.words) == ("other", "division by zero or invalid cancellation")


def test_every_listed_kind_is_read_back_as_itself():
    for kind in flaw_kinds():
        assert feed_all([f"Flawed step: 2 ({kind})"])[1] == Verdict(2, kind, "", STEPS[1])


def test_the_verdict_as_json_is_exactly_the_outside_contract():
    _, verdict = feed_all([EXPLANATION + "\nFlawed step: 4 (algebra or arithmetic slip)"])
    assert verdict.as_json() == {
        "type": "verdict",
        "step": 4,
        "kind": "algebra or arithmetic slip",
        "text": "Factor both sides: (x + y)(x − y) = y(x − y).",
    }


def test_a_portuguese_answer_with_the_english_verdict_line():
    answer = (
        "O passo 5 divide os dois lados por x − y, que é zero porque x = y.\n\n"
        "**Conclusão:** de a·0 = b·0 não se pode concluir que a = b.\n\n"
        "**Flawed step:** 5 (division by zero)"
    )
    shown, verdict = feed_all([answer])
    assert verdict == Verdict(5, "division by zero", "", STEPS[4])
    assert shown == answer.rsplit("\n\n", 1)[0]


# --- nothing rather than a wrong highlight -------------------------------------------------


@pytest.mark.parametrize("line", ["Flawed step: 7 (division by zero)", "Flawed step: 0", "Flawed step: 99999"])
def test_a_step_the_proof_does_not_have_is_no_verdict(line):
    shown, verdict = feed_all([EXPLANATION + "\n" + line])
    assert verdict == NoVerdict("out_of_range")
    assert shown == EXPLANATION  # still a verdict line: it is not shown as prose


@pytest.mark.parametrize(
    "lines",
    [
        ["Flawed step: 5 (division by zero)", "Flawed step: 4 (division by zero)"],
        ["Flawed step: 5", "Flawed step: none"],
        ["Flawed step: 5 (division by zero)", "Flawed step: 5 (invalid cancellation)"],
    ],
)
def test_two_contradicting_verdict_lines_are_no_verdict(lines):
    assert feed_all(["\n".join([EXPLANATION, *lines])]) == (EXPLANATION, NoVerdict("contradicting"))


def test_two_identical_lines_or_one_without_kind_agree():
    same = ["Flawed step: 5 (division by zero)", "**Flawed step:** 5 (Division by zero)."]
    assert feed_all(["\n".join([EXPLANATION, *same])])[1] == Verdict(5, "division by zero", "", STEPS[4])
    plain_then_kind = ["Flawed step: 5", "Flawed step: 5 (division by zero)"]
    assert feed_all(["\n".join([EXPLANATION, *plain_then_kind])])[1] == Verdict(5, "division by zero", "", STEPS[4])


def test_an_answer_without_a_verdict_line_is_no_verdict_and_shown_whole():
    assert feed_all([EXPLANATION]) == (EXPLANATION, NoVerdict("missing"))


@pytest.mark.parametrize(
    "line",
    [
        "Flawed step: the fourth one (division by zero)",
        "Flawed step: 4 and 5",
        "Flawed step: 4.5",
        "Flawed steps: 4",
        "Flawed steps are easy to miss in long proofs.",
        "The flawed step: 4",
        "I would say Flawed step: 4",
    ],
)
def test_a_line_that_is_not_a_readable_verdict_stays_in_the_answer(line):
    answer = EXPLANATION + "\n" + line
    assert feed_all([answer]) == (answer, NoVerdict("missing"))


def test_a_verdict_line_in_the_middle_is_taken_out_and_the_text_after_it_kept():
    shown, verdict = feed_all(["Step 5 is wrong.\n\nFlawed step: 5 (division by zero)\n\nHope this helps!\n"])
    assert shown == "Step 5 is wrong.\n\nHope this helps!\n"
    assert verdict.step == 5


def test_a_follow_up_answer_is_read_on_its_own():
    """Each answer gets its own reader; the page shows the latest verdict."""
    first = read_answer(EXPLANATION + "\nFlawed step: 5 (division by zero)", STEPS)[1]
    second = read_answer("You are right, step 4 is fine too.\nFlawed step: 5 (invalid cancellation)", STEPS)[1]
    assert (first.kind, second.kind) == ("division by zero", "invalid cancellation")


# --- streaming ------------------------------------------------------------------------------


def test_the_line_cut_mid_word_between_chunks_is_still_read_and_never_shown():
    chunks = [EXPLANATION + "\n\n**Fla", "wed st", "ep:** ", "5 (divi", "sion by", " zero)", "\n"]
    reader = VerdictReader()
    shown = [reader.feed(chunk) for chunk in chunks] + [reader.finish()]
    assert shown[0] == EXPLANATION  # the blank line before the verdict is held, then dropped
    assert shown[1:] == [""] * 7
    assert reader.verdict(STEPS) == Verdict(5, "division by zero", "", STEPS[4])


def test_prose_that_starts_like_the_verdict_is_released_as_soon_as_it_cannot_be_one():
    reader = VerdictReader()
    assert reader.feed("Fla") == ""
    assert reader.feed("wed st") == ""
    assert reader.feed("eps are common") == "Flawed steps are common"
    assert reader.feed(" in proofs") == " in proofs"  # the rest of a prose line flows through


def test_a_line_of_prose_flows_through_without_waiting_for_its_end():
    reader = VerdictReader()
    assert reader.feed("Because x") == "Because x"
    assert reader.feed(" = y, the factor") == " = y, the factor"


def test_only_a_short_opening_is_held_while_it_might_be_a_verdict():
    """Decoration alone ("*****…") is not held past 64 characters: prose is never stuck."""
    reader = VerdictReader()
    assert reader.feed("*" * 63) == ""
    assert reader.feed("**") == "*" * 65


def test_a_replay_reads_a_whole_answer_like_the_live_stream():
    answer = EXPLANATION + "\n\n**Flawed step:** 5 (division by zero)\n"
    assert read_answer(answer, STEPS) == feed_all(list(answer))


PROSE_LINES = st.sampled_from(
    [
        "Step 5 divides by zero.",
        "**Why:** x − y = 0.",
        "Flawed reasoning hides in step 4.",
        "Flawed steps: more than one?",
        "- a list item",
        "O passo 5 está errado.",
        "第5步有问题。",
        "",
        "   ",
        "F",
        "Flawed step",
        "> quoted",
    ]
)
VERDICT_LINES = st.sampled_from(
    [
        ("Flawed step: 5 (division by zero)", Verdict(5, "division by zero", "", STEPS[4])),
        ("**Flawed step:** 3", Verdict(3, "other", "", STEPS[2])),
        ("flawed step: #2 (circular reasoning).", Verdict(2, "circular reasoning", "", STEPS[1])),
        ("Flawed step: none", Verdict(None)),
        ("Flawed step: 9 (other)", NoVerdict("out_of_range")),
        ("Flawed step: 6 (sign slip)", Verdict(6, "other", "sign slip", STEPS[5])),
    ]
)


@settings(max_examples=300)
@given(
    prose=st.lists(PROSE_LINES, max_size=6),
    verdict=st.one_of(st.none(), VERDICT_LINES),
    blank_lines=st.integers(0, 2),
    crlf=st.booleans(),
    data=st.data(),
)
def test_any_chunking_gives_the_same_clean_answer_and_verdict(prose, verdict, blank_lines, crlf, data):
    lines = [line for line in prose]
    if verdict is not None:
        while lines and not lines[-1].strip():
            lines.pop()  # the oracle: white space before a verdict line goes with it...
    answer = "\n".join(lines)
    if verdict is not None:
        expected_answer = answer
        answer += "\n" * (1 + blank_lines) + verdict[0] + "\n" * blank_lines
    else:
        answer += "\n" * blank_lines
        expected_answer = answer  # ...while the answer's own last white space is kept
    if crlf:
        answer, expected_answer = answer.replace("\n", "\r\n"), expected_answer.replace("\n", "\r\n")
    expected_verdict = verdict[1] if verdict else NoVerdict("missing")
    shown, got = feed_all(cut(answer, data))
    assert (shown, got) == (expected_answer, expected_verdict)


# --- the step the reasoning is on --------------------------------------------------------------


@pytest.mark.parametrize(
    "mention, step",
    [
        ("step 3", 3),
        ("Step 3", 3),
        ("steps 3 and 4", 3),
        ("STEP #3", 3),
        ("line 3", 3),
        ("Lines 3", 3),
        ("passo 3", 3),
        ("Passos 3", 3),
        ("linha 3", 3),
        ("paso 3", 3),
        ("línea 3", 3),
        ("linea 3", 3),
        ("第3步", 3),
        ("第 3 步", 3),
        ("第三步", 3),
        ("步骤3", 3),
        ("步骤 3", 3),
        ("步骤三", 3),
        ("bước 3", 3),
        ("Bước 3", 3),
        ("dòng 3", 3),
        ("step3", 3),
    ],
)
def test_a_mention_of_a_step_in_any_of_the_five_languages_moves_the_focus(mention, step):
    tracker = FocusTracker(step_count=12)
    moved = [tracker.feed(f"Hmm, look at {mention}: it says"), tracker.finish()]
    assert moved == [step, None] and tracker.focus == step


def test_the_latest_mention_wins_and_the_focus_is_reported_only_when_it_changes():
    tracker = FocusTracker(step_count=6)
    assert tracker.feed("Step 1 is fine, step 2 too. ") == 2
    assert tracker.feed("Back to step 2 again: ") is None
    assert tracker.feed("and nothing about steps here. ") is None
    assert tracker.feed("Now step 4, ") == 4
    assert tracker.feed("then line 5. ") == 5


def test_only_steps_the_proof_has_are_focused():
    tracker = FocusTracker(step_count=6)
    assert tracker.feed("step 3, ") == 3
    assert tracker.feed("step 7 does not exist, nor step 0, ") is None
    assert tracker.focus == 3


def test_a_mention_cut_between_chunks_is_found_and_a_number_waits_for_its_last_digit():
    tracker = FocusTracker(step_count=20)
    assert [tracker.feed(c) for c in ["Look at ste", "p 1", "2 now, then 第", "1", "5步。 And step 9"]] == [
        None,
        None,
        12,
        None,
        15,
    ]
    assert tracker.finish() == 9


def test_words_ending_in_step_or_line_are_not_mentions_even_when_cut_there():
    tracker = FocusTracker(step_count=6)
    assert [tracker.feed("The footstep 3 and the sky"), tracker.feed("line 4 and "), tracker.finish()] == [None] * 3


@pytest.mark.parametrize("gap", range(0, 80, 3))
def test_a_word_cut_before_step_stays_prose_however_far_the_next_chunk_is(gap):
    """Text carried over to the next chunk must not start a mention the whole text does not have."""
    tracker = FocusTracker(step_count=6)
    assert [tracker.feed(c) for c in ["The foot", "step 5" + " " * gap, "and on", "ward"]] == [None] * 4
    assert tracker.finish() is None and tracker.focus is None


MENTIONS = st.sampled_from(
    [
        ("step 3", 3),
        ("Step 12", 12),
        ("steps 4", 4),
        ("line 2", 2),
        ("passo 5", 5),
        ("linha 1", 1),
        ("paso 6", 6),
        ("línea 2", 2),
        ("第3步", 3),
        ("第十一步", 11),
        ("步骤 4", 4),
        ("bước 2", 2),
        ("dòng 6", 6),
        ("step 40", 40),
    ]
)
FILLERS = st.sampled_from([" hmm, ", " so the ", ". Wait! ", "\n", " 中文 ", " x − y = 0 ", ", then "])


@settings(max_examples=300)
@given(parts=st.lists(st.tuples(FILLERS, MENTIONS), max_size=8), end=FILLERS, data=st.data())
def test_any_chunking_of_the_reasoning_gives_the_same_final_focus(parts, end, data):
    step_count = 12
    reasoning = "".join(filler + mention for filler, (mention, _) in parts) + data.draw(st.sampled_from(["", end]))
    in_range = [n for _, (_, n) in parts if 1 <= n <= step_count]
    expected = in_range[-1] if in_range else None
    tracker = FocusTracker(step_count)
    reported = [tracker.feed(chunk) for chunk in cut(reasoning, data)] + [tracker.finish()]
    assert tracker.focus == expected
    changes = [n for n in reported if n is not None]
    assert (changes[-1] if changes else None) == expected
    assert all(a != b for a, b in zip(changes, changes[1:], strict=False))  # reported only when it changes


# --- words for the page --------------------------------------------------------------------------


def test_every_kind_in_the_prompts_list_has_words_in_every_language():
    assert list(KIND_IDS) == list(flaw_kinds())
    for lang in TRANSLATIONS:
        assert all(t(KIND_IDS[kind], lang) for kind in flaw_kinds())


def test_the_badge_names_the_flawed_step_and_its_kind_in_the_readers_language():
    verdict = Verdict(5, "division by zero", "", STEPS[4])
    assert badge_words(verdict) == "Step 5: division by zero"
    assert badge_words(verdict, "pt") == "Passo 5: divisão por zero"
    assert badge_words(verdict, "zh-CN") == "第 5 步：除以零"
    assert badge_words(Verdict(None), "es") == "No se encontró ningún fallo"
    assert badge_words(NoVerdict("out_of_range")) == "the model gave no step verdict"


def test_a_kind_in_the_models_own_words_is_shown_as_it_said_it():
    verdict = Verdict(2, "other", "sign slip", STEPS[1])
    assert kind_words(verdict) == "other: sign slip"
    assert kind_words(verdict, "vi") == "khác: sign slip"
    assert kind_words(Verdict(2, "other", "", STEPS[1]), "pt") == "outro"


def test_each_step_is_marked_checked_flawed_or_built_on_the_broken_step():
    marks = step_marks(Verdict(3, "invalid cancellation", "", STEPS[2]), 5)
    assert marks == (
        StepMark("checked", "checked"),
        StepMark("checked", "checked"),
        StepMark("flawed", "invalid cancellation"),
        StepMark("after", "built on a broken step"),
        StepMark("after", "built on a broken step"),
    )
    assert [m.words for m in step_marks(Verdict(1, "false dilemma", "", STEPS[0]), 2, "es")] == [
        "falso dilema",
        "construido sobre un paso erróneo",
    ]


def test_no_flaw_checks_every_step_and_no_verdict_marks_none():
    assert step_marks(Verdict(None), 3, "vi") == (StepMark("checked", "đã kiểm tra"),) * 3
    assert step_marks(NoVerdict("contradicting"), 3) == (StepMark("", ""),) * 3
