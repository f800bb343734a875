"""LaTeX math, as the steps and the model's answers write it, turned into Typst math.

Typst typesets math natively, but in a language of its own (``frac(a, b)``, ``sqrt(x)``,
``alpha``, ``eq.not``), so a formula is translated, and only the part of LaTeX a proof on a
worksheet uses is: letters, numbers and operators, scripts, fractions, roots, Greek, the
relations, arrows and big operators, named functions, fonts (``\\mathbb``, ``\\text``),
accents, spacing and ``\\left``/``\\right``. Anything else (an environment, a macro of the
author's own, braces that do not close) raises :class:`Unconvertible`, and the handout
shows that formula's source as plain text: a formula typeset wrongly would mislead a
student, its source as written does not.

Everything this emits is Typst's own math syntax with each character of the source either
mapped or escaped, so no text of a proof can reach Typst's code mode (``#import`` and the
like are text, never code).
"""

from __future__ import annotations

import re
import unicodedata

GREEK = (
    "alpha beta gamma delta zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau upsilon chi psi omega "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
).split()

# LaTeX command → Typst symbol (checked against the Typst compiler by the tests: a symbol
# renamed by a Typst release fails there, not on a teacher's handout).
SYMBOLS: dict[str, str] = {name: name for name in GREEK} | {
    # LaTeX's plain \epsilon and \phi are the lunate and the straight forms; Typst's plain ones are the others.
    "epsilon": "epsilon.alt",
    "varepsilon": "epsilon",
    "phi": "phi.alt",
    "varphi": "phi",
    "vartheta": "theta.alt",
    "varpi": "pi.alt",
    "varrho": "rho.alt",
    "varsigma": "sigma.alt",
    # relations
    "neq": "eq.not",
    "ne": "eq.not",
    "leq": "lt.eq",
    "le": "lt.eq",
    "leqslant": "lt.eq.slant",
    "geq": "gt.eq",
    "ge": "gt.eq",
    "geqslant": "gt.eq.slant",
    "ll": "lt.double",
    "gg": "gt.double",
    "approx": "approx",
    "sim": "tilde.op",
    "simeq": "tilde.eq",
    "cong": "tilde.equiv",
    "equiv": "equiv",
    "propto": "prop",
    "in": "in",
    "notin": "in.not",
    "ni": "in.rev",
    "subset": "subset",
    "subseteq": "subset.eq",
    "supset": "supset",
    "supseteq": "supset.eq",
    "perp": "perp",
    "parallel": "parallel",
    "mid": "divides",
    "nmid": "divides.not",
    # operators
    "pm": "plus.minus",
    "mp": "minus.plus",
    "times": "times",
    "div": "div",
    "cdot": "dot.op",
    "ast": "ast",
    "star": "star",
    "circ": "compose",
    "bullet": "bullet",
    "cup": "union",
    "cap": "inter",
    "setminus": "without",
    "wedge": "and",
    "land": "and",
    "vee": "or",
    "lor": "or",
    "neg": "not",
    "lnot": "not",
    "oplus": "plus.o",
    "otimes": "times.o",
    # arrows
    "to": "arrow.r",
    "rightarrow": "arrow.r",
    "longrightarrow": "arrow.r.long",
    "leftarrow": "arrow.l",
    "gets": "arrow.l",
    "leftrightarrow": "arrow.l.r",
    "Rightarrow": "arrow.r.double",
    "implies": "arrow.r.double.long",
    "Longrightarrow": "arrow.r.double.long",
    "Leftarrow": "arrow.l.double",
    "impliedby": "arrow.l.double.long",
    "Leftrightarrow": "arrow.l.r.double",
    "iff": "arrow.l.r.double.long",
    "mapsto": "arrow.r.bar",
    "uparrow": "arrow.t",
    "downarrow": "arrow.b",
    # everything else
    "infty": "infinity",
    "partial": "partial",
    "nabla": "nabla",
    "forall": "forall",
    "exists": "exists",
    "nexists": "exists.not",
    "emptyset": "emptyset",
    "varnothing": "emptyset",
    "angle": "angle",
    "triangle": "triangle.stroked.t",
    "degree": "degree",
    "ldots": "dots.h",
    "dots": "dots.h",
    "cdots": "dots.c",
    "vdots": "dots.v",
    "ddots": "dots.down",
    "prime": "prime",
    "therefore": "therefore",
    "because": "because",
    "ell": "ell",
    "hbar": "planck",
    "aleph": "aleph",
    "Re": "Re",
    "Im": "Im",
    "top": "top",
    "bot": "bot",
    # big operators
    "sum": "sum",
    "prod": "product",
    "coprod": "product.co",
    "int": "integral",
    "iint": "integral.double",
    "iiint": "integral.triple",
    "oint": "integral.cont",
    "bigcup": "union.big",
    "bigcap": "inter.big",
    # delimiters
    "langle": "chevron.l",
    "rangle": "chevron.r",
    "lfloor": "floor.l",
    "rfloor": "floor.r",
    "lceil": "ceil.l",
    "rceil": "ceil.r",
    "vert": "|",
    "lvert": "|",
    "rvert": "|",
    "Vert": "bar.v.double",
    "lVert": "bar.v.double",
    "rVert": "bar.v.double",
    "|": "bar.v.double",
    "{": "\\{",
    "}": "\\}",
    # spacing, and characters LaTeX escapes
    ",": "thin",
    ":": "med",
    ">": "med",
    ";": "thick",
    "!": "",
    " ": "space",
    "quad": "quad",
    "qquad": "wide",
    "%": "%",
    "$": "\\$",
    "&": "\\&",
    "#": "\\#",
    "_": "\\_",
    "\\": "\\ ",  # a line break, in display math
    "bmod": 'op("mod")',
    "mod": 'op("mod")',
}
# Named functions Typst sets upright as operators under the same name.
FUNCTIONS = frozenset(
    "sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh coth log ln lg exp lim liminf limsup sup inf "
    "max min det deg dim gcd ker hom arg Pr".split()
)
# Commands that only change sizes or styles LaTeX picks by itself: nothing to draw.
IGNORED = frozenset(
    "left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr displaystyle textstyle limits nolimits".split()
)
# One-argument commands → the Typst function that takes the converted argument.
WRAPPERS = {
    "mathbf": "bold",
    "boldsymbol": "bold",
    "bm": "bold",
    "mathit": "italic",
    "mathrm": "upright",
    "mathbb": "bb",
    "mathcal": "cal",
    "mathfrak": "frak",
    "mathsf": "sans",
    "mathtt": "mono",
    "hat": "hat",
    "widehat": "hat",
    "bar": "overline",
    "overline": "overline",
    "underline": "underline",
    "vec": "arrow",
    "overrightarrow": "arrow",
    "tilde": "tilde",
    "widetilde": "tilde",
    "dot": "dot",
    "ddot": "dot.double",
    "sqrt": "sqrt",
}
TEXT_COMMANDS = frozenset({"text", "textrm", "textit", "textbf", "mbox", "operatorname"})
FRACTIONS = frozenset({"frac", "dfrac", "tfrac", "cfrac"})

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\d+(?:\.\d+)?|\s+|.", re.DOTALL)
# Characters with a meaning of their own in Typst math, written as themselves.
_ESCAPED = set('/"#$\\_^&@`<>*~')
_PLAIN = set("+-=()[]|,.;:!?'")


class Unconvertible(ValueError):
    """A formula outside the subset: the handout shows its source as text instead."""


def to_typst(latex: str) -> str:
    """The formula ``latex`` (without its ``$`` delimiters) as Typst math."""
    try:
        body = _Parser(latex).sequence(closing=None)
    except RecursionError as nested_too_deep:
        raise Unconvertible("nested too deep") from nested_too_deep
    return body.strip() or '""'


class _Parser:
    def __init__(self, latex: str) -> None:
        self.tokens: list[str] = _TOKEN.findall(latex)
        self.at = 0

    def next(self) -> str | None:
        while self.at < len(self.tokens) and self.tokens[self.at].isspace():
            self.at += 1
        if self.at == len(self.tokens):
            return None
        self.at += 1
        return self.tokens[self.at - 1]

    def peek(self) -> str | None:
        at = self.at
        token = self.next()
        self.at = at
        return token

    def sequence(self, closing: str | None) -> str:
        """Atoms up to ``closing`` ("}" or "]"; None: the end), which is consumed."""
        parts: list[str] = []
        while True:
            token = self.next()
            if token is None:
                if closing is not None:
                    raise Unconvertible(f"no closing {closing!r}")
                return " ".join(parts)
            if token == closing:
                return " ".join(parts)
            if token == "'" and parts:  # a prime belongs to what it follows
                parts[-1] += "'"
                continue
            if token in ("^", "_"):
                base = parts.pop() if parts else '""'  # a script on nothing ("^2") needs a base in Typst
                parts.append(f"{base}{token}({self.argument()})")
                continue
            atom = self.atom(token)
            if atom:
                parts.append(atom)

    def argument(self) -> str:
        """The argument of a command or a script: a braced group or a single atom."""
        token = self.next()
        if token is None:
            raise Unconvertible("an argument is missing")
        if token == "{":
            return _commas_escaped(self.sequence("}"))
        if token in ("^", "_", "}"):
            raise Unconvertible(f"{token!r} where an argument was expected")
        return _commas_escaped(self.atom(token))

    def atom(self, token: str) -> str:
        if token == "{":
            return self.sequence("}")
        if token == "}":
            raise Unconvertible("a '}' that closes nothing")
        if token.startswith("\\"):
            return self.command(token[1:])
        if token in _PLAIN or token[0].isdigit():
            return token
        if token in _ESCAPED:
            return "space" if token == "~" else "\\" + token
        if token.isascii() and token.isalpha():
            return token
        if unicodedata.category(token).startswith("L") and unicodedata.east_asian_width(token) in ("W", "F"):
            return _string(token)  # a CJK character is text, not a variable
        if not token.isascii() and token.isprintable():
            return token  # ², ≠, π, é: one character Typst sets as it is
        raise Unconvertible(f"character {token!r}")

    def command(self, name: str) -> str:
        if name in SYMBOLS:
            return SYMBOLS[name]
        if name in FUNCTIONS:
            return name
        if name in IGNORED:
            return self._delimiter() if name in ("left", "right") or name.startswith(("big", "Big")) else ""
        if name in FRACTIONS:
            return f"({self.argument()})/({self.argument()})"
        if name == "sqrt" and self.peek() == "[":
            self.next()
            index = _commas_escaped(self.sequence("]"))
            return f"root({index}, {self.argument()})"
        if name in WRAPPERS:
            return f"{WRAPPERS[name]}({self.argument()})"
        if name == "binom":
            return f"binom({self.argument()}, {self.argument()})"
        if name in TEXT_COMMANDS:
            text = self.raw_group()
            if "$" in text:
                raise Unconvertible("math inside \\text")
            words = _string(text)
            return f"op({words})" if name == "operatorname" else f"upright({words})"
        if name == "not":
            negated = {"=": "eq.not", "in": "in.not", "\\in": "in.not", "\\equiv": "equiv.not"}
            token = self.next()
            if token in negated:
                return negated[token]
        if name == "pmod":
            return f'(op("mod") {self.argument()})'
        raise Unconvertible(f"\\{name}")

    def _delimiter(self) -> str:
        """What follows ``\\left``, ``\\right`` or ``\\big``: the delimiter itself ("." is none)."""
        token = self.next()
        if token is None:
            raise Unconvertible("a delimiter is missing")
        if token == ".":
            return ""
        if token in ("(", ")", "[", "]", "|"):
            return token
        if token == "/":
            return "\\/"
        if token.startswith("\\") and token[1:] in SYMBOLS:
            return SYMBOLS[token[1:]]
        raise Unconvertible(f"delimiter {token!r}")

    def raw_group(self) -> str:
        """The text of a braced group as it is written (``\\text{if } x``), braces balanced."""
        if self.next() != "{":
            raise Unconvertible("\\text without braces")
        depth, words = 1, list[str]()
        while self.at < len(self.tokens):
            token = self.tokens[self.at]
            self.at += 1
            depth += {"{": 1, "}": -1}.get(token, 0)
            if depth == 0:
                return "".join(words)
            words.append(token[1:] if token in ("\\{", "\\}", "\\%", "\\$", "\\&", "\\#", "\\_") else token)
        raise Unconvertible("no closing '}'")


def _string(text: str) -> str:
    """``text`` as a Typst string literal: set as text in math, never read as code."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _commas_escaped(math: str) -> str:
    """A function's argument must not split at its own commas (``sqrt(a, b)`` is two arguments)."""
    out, depth, in_string = [], 0, False
    for index, char in enumerate(math):
        if char == '"' and (index == 0 or math[index - 1] != "\\"):
            in_string = not in_string
        elif not in_string and char in "([":
            depth += 1
        elif not in_string and char in ")]":
            depth -= 1
        if char == "," and not in_string and depth == 0 and (index == 0 or math[index - 1] != "\\"):
            out.append("\\,")
            continue
        out.append(char)
    return "".join(out)
