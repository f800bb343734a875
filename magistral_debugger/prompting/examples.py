"""The examples gallery: one TOML file per example under ``prompts/examples/``.

An example is written as steps, one per line, so the page numbers it exactly as its
file does; or, kept from a benchmark (``rehearse --keep``), as its ``problem`` and a
``steps`` list taken as given, since a benchmark's step may span lines. Each file also records the step a correct verdict names (``flawed_step``; 0
for a correct proof) and what is wrong there (``flaw``); that is for us and the tests,
never sent to the model. Its ``topic`` (one of :data:`TOPICS`) and ``language`` are what
the page's picker sorts and searches by.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources.abc import Traversable

from .messages import PROMPTS_DIR
from .steps import Proof

EXAMPLES_DIR = PROMPTS_DIR / "examples"
# In the picker's order; each is worded as the page's "topic_<name>".
TOPICS = ("algebra", "geometry", "analysis", "number_theory", "induction", "logic", "probability", "competition")


CONTROL_KINDS = frozenset({"correct"})


@dataclass(frozen=True)
class Example:
    slug: str
    title: str
    language: str
    kind: str  # "flawed" or "correct" (a control: the model should find no flaw)
    topic: str  # one of TOPICS
    argument: str
    flaw: str
    flawed_step: int  # 1-based, as split_steps numbers the argument; 0: no flaw
    # The steps as a benchmark gives them, below its problem (None: cut from ``argument``,
    # which then only shows them); ``split``: the benchmark's part it comes from ("gsm8k").
    given: Proof | None = None
    split: str = ""

    @property
    def proof(self) -> Proof:
        """What the model is asked about, numbered as ``flawed_step`` counts."""
        return self.given or Proof.of(self.argument)

    @property
    def control(self) -> bool:
        """A correct proof, in the set so that accusing it shows: the model should find no flaw."""
        return self.kind in CONTROL_KINDS


@lru_cache(maxsize=1)
def load_examples(folder: Traversable = EXAMPLES_DIR) -> tuple[Example, ...]:
    if not folder.is_dir():
        return ()
    examples = []
    for path in sorted((p for p in folder.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        given = Proof(tuple(data["steps"]), data.get("problem", "").strip()) if "steps" in data else None
        example = Example(
            slug=path.name.removesuffix(".toml"),
            title=data["title"].strip(),
            language=data["language"].strip(),
            kind=data["kind"].strip(),
            topic=data["topic"].strip(),
            argument=given.text() if given else data["argument"].strip(),
            flaw=data["flaw"].strip(),
            flawed_step=data["flawed_step"],
            given=given,
            split=data.get("split", ""),
        )
        _check(example, path)
        examples.append(example)
    return tuple(examples)


def given_proof(text: str, examples: Sequence[Example]) -> Proof | None:
    """The steps a benchmark example gives, when ``text`` is that example's text (as the picker
    put it in the box); None for any other text, which is cut by the rule of ``steps.py``."""
    text = (text or "").strip()
    return next((e.given for e in examples if e.given is not None and e.argument == text), None)


def _check(example: Example, path: Traversable) -> None:
    """A recorded step that the proof does not have would grade every run of it wrongly."""
    if example.topic not in TOPICS:
        raise ValueError(f"{path.name}: topic = {example.topic!r} is none of {', '.join(TOPICS)}")
    step, count = example.flawed_step, len(example.proof.steps)
    if example.given is not None and not all(isinstance(s, str) and s.strip() for s in example.given.steps):
        raise ValueError(f"{path.name}: steps = [...] must be non-empty strings")
    if type(step) is not int or not 0 <= step <= count:
        raise ValueError(f"{path.name}: flawed_step = {step!r}, but the argument has steps 1 to {count}")
    if (step == 0) != example.control:
        raise ValueError(
            f'{path.name}: flawed_step = 0 is for kind = "correct" and only for it (kind = {example.kind!r})'
        )
