"""``rehearse --keep DIR``: a benchmark rehearsal's items kept as example files, for class.

Each item the model handled well (every run of the rehearsal's first configuration right),
or each one ``--only`` names, becomes a file in the gallery's format: the dataset's problem
and steps as given, its label as ``flawed_step``, and in ``flaw`` where the label comes
from and what the model said. ``MAGISTRAL_EXAMPLES_DIR`` lists the folder in the page's
picker; ``rehearse --examples`` rehearses it again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def keep(folder: Path, only: Sequence[str] | None, to: Path) -> list[Path]:
    """The files written; ``ValueError`` when the folder holds no benchmark items to keep."""
    try:
        data = json.loads((folder / "scorecard.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"--keep {folder}: no readable scorecard.json ({error})") from None
    configuration = data["configurations"][0]
    items = [example for example in data["examples"] if "steps" in example]
    if not items:
        raise ValueError(f"--keep {folder}: its rehearsal ran no dataset items (--dataset) to keep")
    if only:
        missing = sorted(set(only) - {item["slug"] for item in items})
        if missing:
            raise ValueError(f"--keep {folder}: no item {', '.join(missing)} in its scorecard")
    runs = {item["slug"]: item["runs"].get(configuration["name"], []) for item in items}
    chosen = [item for item in items if (item["slug"] in only if only else _handled_well(runs[item["slug"]]))]
    to.mkdir(parents=True, exist_ok=True)
    written = []
    for item in chosen:
        path = to / (re.sub(r"[^\w.-]+", "_", item["slug"]) + ".toml")
        path.write_text(example_file(item, runs[item["slug"]], configuration["model"]), encoding="utf-8")
        written.append(path)
    return written


def _handled_well(runs: list[dict[str, Any]]) -> bool:
    return bool(runs) and all(run["outcome"] == "correct" for run in runs)


def example_file(item: dict[str, Any], runs: list[dict[str, Any]], model: str) -> str:
    """The item in the gallery's TOML (JSON's string and list syntax is TOML's too)."""
    said = ", ".join(f"step {r['verdict']}" if isinstance(r["verdict"], int) else str(r["verdict"]) for r in runs)
    marked = f"the earliest wrong step is {item['flawed_step']}" if item["flawed_step"] else "every step is right"
    flaw = f"Dataset item {item['slug']}: {marked}, as its annotators marked it; {model} said: {said or 'not run'}."
    fields = {
        "title": item["title"],
        "language": item["language"],
        "kind": item["kind"],
        "topic": "competition",
        "split": item.get("split", ""),
        "flawed_step": item["flawed_step"],
        "flaw": flaw,
        "problem": item.get("problem", ""),
        "steps": item["steps"],
    }
    return "".join(f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in fields.items())
