"""The LaTeX → Typst math converter: every symbol it maps is one the Typst compiler knows (a
name a Typst release renames fails here, not on a handout), the common forms convert, and
what is outside the subset is refused rather than guessed."""

from __future__ import annotations

import pytest
import typst

from magistral_debugger.handout.latex_math import SYMBOLS, Unconvertible, to_typst
from magistral_debugger.handout.prose import paragraphs

# One compiler for the module: each new one reads the system's fonts again (seconds with Noto CJK).
COMPILER = typst.Compiler(font_paths=typst.Fonts())


def typesets(math: str) -> list[str]:
    """Typst's warnings for the formula (an error raises)."""
    _, warnings = COMPILER.compile_with_warnings(f"${math}$".encode())
    return [warning.message for warning in warnings]


def test_every_symbol_in_the_table_is_one_typst_knows():
    refused = {}
    for command, symbol in SYMBOLS.items():
        if not symbol:
            continue
        try:
            if said := typesets(symbol):
                refused[command] = said
        except typst.TypstError as error:
            refused[command] = str(error)
    assert refused == {}


@pytest.mark.parametrize(
    "latex, expected",
    [
        (r"x^2 - y^2", "x^(2) - y^(2)"),
        (r"\frac{a+b}{2} \geq \sqrt{ab}", "(a + b)/(2) gt.eq sqrt(a b)"),
        (r"\sqrt[3]{x}", "root(3, x)"),
        (r"\sum_{k=1}^{n} k", "sum_(k = 1)^(n) k"),
        (r"\lim_{n\to\infty} \left(1+\frac{1}{n}\right)^n", "lim_(n arrow.r infinity) ( 1 + (1)/(n) )^(n)"),
        (r"\mathbb{R} \setminus \{0\}", r"bb(R) without \{ 0 \}"),
        (r"x_{i,j}", r"x_(i \, j)"),  # a comma inside an argument does not split it
        (r"\text{if } x > 0", r'upright("if ") x \> 0'),
        (r"f'(x) = 12.5 \cdot x", "f' ( x ) = 12.5 dot.op x"),
        (r"a/b", r"a \/ b"),  # a slash stays a slash, not a Typst fraction
        (r"^2", '""^(2)'),
        (r"设 x", '"设" x'),
        (r"\epsilon \varepsilon \phi \varphi", "epsilon.alt epsilon phi.alt phi"),
    ],
)
def test_common_forms_convert_and_typeset(latex, expected):
    assert to_typst(latex) == expected
    assert typesets(expected) == []


@pytest.mark.parametrize(
    "latex",
    [r"\begin{cases} 1 \end{cases}", r"\myop{x}", r"\frac{1}{", r"x}", r"\sqrt", r"\text{$x$}", "{" * 2000 + "x"],
)
def test_what_is_outside_the_subset_is_refused_not_guessed(latex):
    with pytest.raises(Unconvertible):
        to_typst(latex)


def test_dollars_of_money_are_prose_not_a_formula():
    (paragraph,) = paragraphs("It costs $30, so he pays $10 and keeps $x$.")
    assert [piece.kind for piece in paragraph] == ["text", "math", "text"]
    assert paragraph[0].text == "It costs $30, so he pays $10 and keeps "
