"""The examples gallery: one TOML file per example under ``prompts/examples/``.

Each file also records where the flaw is (``flaw``); that is for us and the tests,
never sent to the model.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .prompt import PROMPTS_DIR

EXAMPLES_DIR = PROMPTS_DIR / "examples"


@dataclass(frozen=True)
class Example:
    slug: str
    title: str
    language: str
    kind: str  # "flawed" or "correct" (a control: the model should find no flaw)
    argument: str
    flaw: str


@lru_cache(maxsize=1)
def load_examples(folder: Path = EXAMPLES_DIR) -> tuple[Example, ...]:
    examples = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        examples.append(
            Example(
                slug=path.stem,
                title=data["title"].strip(),
                language=data["language"].strip(),
                kind=data["kind"].strip(),
                argument=data["argument"].strip(),
                flaw=data["flaw"].strip(),
            )
        )
    return tuple(examples)
