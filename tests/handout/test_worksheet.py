"""A handout read back as a person reads it: every step on page 1 with a box and a line to
mark it, the answer key alone on page 2, the math typeset (not its source), the same words
in the .tex, a formula the converter cannot read shown as its source, five languages."""

from __future__ import annotations

import re

import pytest

from magistral_debugger import handout
from magistral_debugger.engine.state import RunState
from magistral_debugger.engine.verdict import NoVerdict, Verdict
from magistral_debugger.events import Answer
from magistral_debugger.handout.prose import paragraphs, plain
from magistral_debugger.i18n import TRANSLATIONS, t
from magistral_debugger.prompting.examples import load_examples
from magistral_debugger.prompting.steps import Proof, split_steps

from .conftest import fonts, page_count, page_text, save_pages, squeezed

STUDENT = r"""Let $a = b$ with $a \neq 0$.
Then $a^2 = ab$, so $a^2 - b^2 = ab - b^2$.
Factor both sides: $(a+b)(a-b) = b(a-b)$.
Divide both sides by $a - b$: $$\frac{(a+b)(a-b)}{a-b} = \frac{b(a-b)}{a-b}$$
Hence $a + b = b$, and since $a = b$, $2b = b$, so $\sqrt{4} = 2 = 1$."""
EXPLANATION = r"""**Step 4** divides both sides by $a - b$, which is $0$ because $a = b$.

- From $x \cdot 0 = y \cdot 0$ nothing follows about $x$ and $y$.
- Steps 1–3 are true: both sides of step 3 are $0$."""
STUDENT_ZH = r"""设 $a = b$，且 $a \neq 0$。
两边乘以 $a$：$a^2 = ab$。
两边减去 $b^2$ 并因式分解：$(a+b)(a-b) = b(a-b)$。
两边同除以 $a - b$：$$\frac{(a+b)(a-b)}{a-b} = \frac{b(a-b)}{a-b}$$
所以 $a + b = b$，即 $2b = b$，$2 = 1$。"""
EXPLANATION_ZH = r"""**第 4 步**两边同除以 $a - b$，而 $a = b$，所以除数为 $0$。"""


def example(slug: str):
    return next(e for e in load_examples() if e.slug == slug)


def text_parts(step: str) -> list[str]:
    """The words of a step outside its formulas (a formula reads back as typeset glyphs)."""
    return [piece.text for paragraph in paragraphs(step) for piece in paragraph if piece.kind == "text"]


def test_pdftotext_finds_every_step_on_page_one_and_the_answer_key_on_page_two(tmp_path):
    chosen = example("01_two_equals_one_cancel")
    made = handout.from_example(chosen, "en")
    first, second = page_text(made.pdf, 1, tmp_path), page_text(made.pdf, 2, tmp_path)
    assert page_count(made.pdf, tmp_path) == 2
    for number, step in enumerate(chosen.proof.steps, 1):
        assert squeezed(f"{number}.{step}") in squeezed(first)
    assert "Answer key" in second and "Answer key" not in first
    assert squeezed("Verdict: Step 5") in squeezed(second)
    assert squeezed(chosen.flaw[:120]) in squeezed(second)
    assert squeezed(chosen.flaw[:120]) not in squeezed(first)


def test_a_finished_run_gives_its_verdict_and_the_models_explanation_on_page_two(tmp_path):
    run = RunState(steps=split_steps(STUDENT), verdict=Verdict(4, "division by zero"))
    run.apply(Answer(EXPLANATION))
    made = handout.from_run(run, "en", title="A proof from the back row")
    first, second = page_text(made.pdf, 1, tmp_path), page_text(made.pdf, 2, tmp_path)
    for step in run.steps:
        for words in text_parts(step):
            assert squeezed(words) in squeezed(first)
    assert squeezed("Verdict: Step 4: division by zero") in squeezed(second)
    assert squeezed("The model's explanation") in squeezed(second)
    assert squeezed("divides both sides by") in squeezed(second) and "divides both sides by" not in first
    assert squeezed("• From") in squeezed(second)  # a Markdown list item, bulleted


def test_the_math_is_typeset_not_printed_as_its_source(tmp_path):
    """The formulas come out as math glyphs in Typst's math font: no dollar, backslash or
    command name reaches the page. The pages are kept as pictures to look at."""
    run = RunState(steps=split_steps(STUDENT), verdict=Verdict(4, "division by zero"))
    run.apply(Answer(EXPLANATION))
    made = handout.from_run(run, "en", title="2 = 1, by a student")
    text = page_text(made.pdf, 1, tmp_path) + page_text(made.pdf, 2, tmp_path)
    assert not re.search(r"[$\\]|frac|neq|sqrt|cdot", text)
    assert "NewCMMath" in fonts(made.pdf, tmp_path)
    assert squeezed("a≠0") in squeezed(text) and "√" in text
    assert len(save_pages(made.pdf, "handout-en")) == 2


def test_a_chinese_handout_is_set_in_a_chinese_font_with_its_math(tmp_path):
    made = handout.worksheet(STUDENT_ZH, Verdict(4, "division by zero"), EXPLANATION_ZH, lang="zh_cn", title="2 = 1？")
    first, second = page_text(made.pdf, 1, tmp_path), page_text(made.pdf, 2, tmp_path)
    for step in split_steps(STUDENT_ZH):
        for words in text_parts(step):
            assert squeezed(words) in squeezed(first)
    assert "NotoSerifCJK" in fonts(made.pdf, tmp_path) and "NewCMMath" in fonts(made.pdf, tmp_path)
    assert squeezed("答案") in squeezed(second) and squeezed("第 4 步：除以零") in squeezed(second)
    assert len(save_pages(made.pdf, "handout-zh")) == 2


def test_the_tex_source_holds_every_step_and_the_key(tmp_path):
    run = RunState(
        steps=split_steps(STUDENT) + ("Half of 50% is #25 & ~ the rest_1",), verdict=Verdict(4, "division by zero")
    )
    run.apply(Answer(EXPLANATION))
    tex = handout.from_run(run, "en").tex
    assert tex.startswith("% ") and r"\begin{document}" in tex and tex.rstrip().endswith(r"\end{document}")
    for step in split_steps(STUDENT):
        for words in text_parts(step):
            assert words.strip() in tex
    # the formulas as LaTeX, the text escaped
    assert r"\(a \neq 0\)" in tex and r"\[\frac{(a+b)(a-b)}{a-b} = \frac{b(a-b)}{a-b}\]" in tex
    assert r"Half of 50\% is \#25 \& \textasciitilde{} the rest\_1" in tex
    assert tex.count(r"\item") == len(run.steps) and tex.count(r"\stepmark\ \hrulefill") == len(run.steps)
    key = tex.split(r"\newpage", 1)[1]
    assert "Answer key" in key and "Step 4: division by zero" in key and r"\textbf{Step 4}" in key


def test_a_formula_the_converter_cannot_read_appears_as_its_source(tmp_path):
    steps = (
        r"A matrix $\begin{pmatrix} 1 & 2 \end{pmatrix}$ has one row.",
        r"A macro of the author's own: $\myop{x} = 1$.",
        r"Braces left open: $\frac{1}{2$ and then $x = 1$.",
    )
    made = handout.worksheet(Proof(steps), Verdict(2, "other"), lang="en")
    first = page_text(made.pdf, 1, tmp_path)
    assert squeezed(r"\begin{pmatrix}1&2\end{pmatrix}") in squeezed(first)
    assert squeezed(r"$\myop{x}=1$") in squeezed(first)
    assert squeezed(r"$\frac{1}{2$") in squeezed(first)
    assert squeezed("x=1") in squeezed(first)  # the formula beside it is still typeset
    assert r"\texttt{\$\textbackslash{}myop\{x\} = 1\$}" in made.tex
    assert r"\(x = 1\)" in made.tex


def test_a_formula_typst_refuses_is_shown_as_its_source_and_the_rest_still_typeset(tmp_path):
    """``\\sqrt{(}`` converts (to ``sqrt(()``) but Typst refuses it: the handout is made all the
    same, that formula as its source, the others typeset."""
    steps = (r"An open bracket under a root: $\sqrt{(}$.", r"A good one: $\frac{a}{b} \neq 0$.")
    made = handout.worksheet(Proof(steps), lang="en")
    first = page_text(made.pdf, 1, tmp_path)
    assert squeezed(r"$\sqrt{(}$") in squeezed(first)
    assert r"\frac" not in first and "≠" in first


def test_text_of_a_proof_is_never_read_as_typst_markup_or_code(tmp_path):
    steps = (
        '#import "@preview/cetz:0.3.0": canvas',
        '#panic("boom") and #read("/etc/passwd")',
        "*not bold* _not italic_ <label> @ref = heading `raw` \\ back\\slash",
        '"quoted" text ending in a backslash \\',
    )
    made = handout.worksheet(Proof(steps), lang="en")
    first = page_text(made.pdf, 1, tmp_path)
    for step in steps:
        assert squeezed(step) in squeezed(first)


@pytest.mark.parametrize("lang", ["en", "pt", "es", "zh_cn", "vi"])
def test_every_language_gives_a_handout_in_its_own_words(lang, tmp_path):
    code = "zh-CN" if lang == "zh_cn" else lang
    made = handout.from_example(example("01_two_equals_one_cancel"), lang)
    first, second = page_text(made.pdf, 1, tmp_path), page_text(made.pdf, 2, tmp_path)
    table = TRANSLATIONS[code]
    assert squeezed(table["handout_name"]) in squeezed(first)
    assert squeezed(table["handout_instructions"]) in squeezed(first)
    assert squeezed(table["handout_key"]) in squeezed(second)
    assert squeezed(t("handout_step", code, step=5)) in squeezed(second)
    assert table["handout_key"] in made.tex


def test_a_covered_run_gives_the_worksheet_without_its_key(tmp_path):
    """Guess-first mode: what is covered on the page is not printed either."""
    run = RunState(steps=split_steps(STUDENT), verdict=Verdict(4, "division by zero"))
    run.apply(Answer(EXPLANATION))
    made = handout.from_run(run, "en", answer_key=False)
    assert page_count(made.pdf, tmp_path) == 1
    assert "division" not in page_text(made.pdf, 1, tmp_path)
    assert "Answer key" not in made.tex and "division" not in made.tex


@pytest.mark.parametrize(
    "verdict, words",
    [
        (Verdict(None), "No flaw found"),
        (NoVerdict("missing"), "the model gave no step verdict"),
        (Verdict(3, "other", words="a sign error"), "Step 3: other: a sign error"),
        (None, "No verdict yet"),
    ],
)
def test_the_key_says_what_is_known_of_the_verdict(verdict, words, tmp_path):
    made = handout.worksheet("One step. Another step.", verdict, lang="en")
    assert squeezed(words) in squeezed(page_text(made.pdf, 2, tmp_path))


def test_a_problem_above_the_steps_is_printed_too(tmp_path):
    proof = Proof(("Half of 10 is $\\frac{10}{2} = 5$.", "So the answer is 6."), problem="What is half of ten?")
    made = handout.worksheet(proof, Verdict(2, "algebra or arithmetic slip"), lang="en")
    first = page_text(made.pdf, 1, tmp_path)
    assert squeezed("Problem What is half of ten?") in squeezed(first)
    assert squeezed("2.So the answer is 6.") in squeezed(first)


def test_a_step_split_across_lines_keeps_its_words():
    assert plain(paragraphs("First line\n  second line")[0]) == "First line second line"
