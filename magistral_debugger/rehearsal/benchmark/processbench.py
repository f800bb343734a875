"""ProcessBench (Zheng et al., ACL 2025), and any step-labelled set in its shape, read as examples.

A file holds items ``{"id", "generator", "problem", "steps": [str], "final_answer_correct",
"label"}``, either as one JSON list (the files of the paper's repository and of Hugging Face's
``Qwen/ProcessBench``) or as JSON Lines (what ``datasets``' ``to_json`` writes). ``label`` is the
0-based index of the earliest wrong step, -1 when every step is right.

The steps are taken as given, never cut again: the model is asked about exactly the
dataset's steps, numbered 1…n under the problem, and a verdict's step N is right when
N = label + 1. An item's split ("gsm8k", "math", …) is its ``split`` field where it has one,
else its id without the trailing number ("gsm8k-12" → "gsm8k"), else the file's name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from textwrap import shorten
from typing import Any

from ...prompting.examples import Example
from ...prompting.steps import Proof

FIELDS = ("id", "problem", "steps", "label")


def read_datasets(paths: Sequence[str | Path]) -> tuple[Example, ...]:
    """Every item of every file, in file order; raises ``ValueError`` naming the file and the item."""
    examples: list[Example] = []
    seen: dict[str, Path] = {}
    for path in map(Path, paths):
        for example in read_dataset(path):
            if example.slug in seen:
                raise ValueError(f"{path}: item id {example.slug!r} is also in {seen[example.slug]}")
            seen[example.slug] = path
            examples.append(example)
    if not examples:
        raise ValueError(f"{', '.join(map(str, paths))}: no items")
    return tuple(examples)


def read_dataset(path: Path) -> list[Example]:
    text = path.read_text(encoding="utf-8")
    return [example_of(item, where, path.stem) for where, item in _items(text, path)]


def _items(text: str, path: Path) -> Iterable[tuple[str, Any]]:
    """(where, item) pairs: "path, item 3" for a JSON list, "path:12" for a JSON Lines file."""
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except ValueError as error:
            raise ValueError(f"{path}: not valid JSON ({error})") from None
        return ((f"{path}, item {number}", item) for number, item in enumerate(items, 1))
    pairs = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                pairs.append((f"{path}:{number}", json.loads(line)))
            except ValueError as error:
                raise ValueError(f"{path}:{number}: not a JSON object ({error})") from None
    return pairs


def example_of(item: Any, where: str, file_split: str) -> Example:
    """One item as an example; raises ``ValueError`` for an item that would be scored wrongly."""
    if not isinstance(item, dict) or any(field not in item for field in FIELDS):
        raise ValueError(f"{where}: an item needs the fields {', '.join(FIELDS)}")
    steps, label, problem = item["steps"], item["label"], item["problem"]
    if not isinstance(steps, list) or not steps or not all(isinstance(s, str) and s.strip() for s in steps):
        raise ValueError(f"{where}: steps must be a list of non-empty strings")
    if type(label) is not int or not -1 <= label < len(steps):
        raise ValueError(f"{where}: label = {label!r}, but the item has steps 0 to {len(steps) - 1} (or -1: none)")
    if not isinstance(problem, str) or not problem.strip():
        raise ValueError(f"{where}: problem must be a non-empty string")
    slug = str(item["id"]).strip()
    proof = Proof(tuple(step.strip() for step in steps), problem.strip())
    return Example(
        slug=slug,
        title=f"{slug}: {shorten(' '.join(problem.split()), 70, placeholder=' …')}",
        language="en",
        kind="correct" if label == -1 else "flawed",
        topic="competition",
        argument=proof.text(),
        flaw="",
        flawed_step=label + 1,
        given=proof,
        split=_split_of(item, slug, file_split),
    )


def _split_of(item: dict[str, Any], slug: str, file_split: str) -> str:
    if isinstance(item.get("split"), str) and item["split"].strip():
        return str(item["split"]).strip()
    numbered = re.fullmatch(r"(.+?)[-_]\d+", slug)
    return numbered.group(1) if numbered else file_split
