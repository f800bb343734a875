"""A rehearsal's journal: each run written down as it ends, so that hours of generation survive
a crash, a kill or Ctrl-C, and ``--resume DIR`` goes on where they stopped.

The folder holds, besides the scorecard and recordings:

- ``plan.json``: the command line that started the rehearsal (what ``--resume`` repeats, a
  server URL without its credentials) and the examples' ids in the order chosen, so a
  resume that would run other items (a dataset file changed) is refused;
- ``runs.jsonl``: one line per finished run (``scorecard.RunResult``), written and flushed as
  it ends, a line as each sitting starts and ends, each with its time, so the throughput
  counts the time spent running, not the night between. A line cut short by a kill is left out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from ..redaction import public_url
from .scorecard import RunResult

PLAN = "plan.json"
RUNS = "runs.jsonl"


def write_plan(folder: Path, argv: Sequence[str], ids: Sequence[str]) -> None:
    data = {"argv": _public(argv), "examples": list(ids)}
    (folder / PLAN).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read_plan(folder: Path) -> dict[str, Any]:
    """The plan of the rehearsal in ``folder``; ``ValueError`` when there is none to resume."""
    try:
        data = json.loads((folder / PLAN).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"--resume {folder}: no {PLAN} there (is it a folder a rehearsal wrote?)") from None
    except (OSError, ValueError) as error:
        raise ValueError(f"--resume {folder}: {PLAN} is unreadable ({error})") from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("argv"), list)
        or not isinstance(data.get("examples"), list)
    ):
        raise ValueError(f"--resume {folder}: {PLAN} is not a rehearsal's plan")
    return data


def _public(argv: Sequence[str]) -> list[str]:
    """The command line as ``--resume`` can repeat it from any folder: files and folders as
    absolute paths, a URL without its credentials (which must not be written down)."""
    words, flag = list(argv), ""
    for index, word in enumerate(words):
        if word.startswith("--"):
            flag = word.split("=", 1)[0]
            if word.startswith("--url="):
                words[index] = "--url=" + public_url(word.removeprefix("--url="))
        elif flag == "--url":
            words[index] = public_url(word)
        elif flag in ("--dataset", "--examples", "--out"):
            words[index] = str(Path(word).resolve())
    return words


def _ends_a_line(path: Path) -> bool:
    with path.open("rb") as file:
        file.seek(-1, 2)
        return file.read(1) == b"\n"


class Journal:
    """``runs.jsonl`` of one rehearsal folder, appended to by every sitting."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / RUNS
        if self.path.exists() and self.path.stat().st_size and not _ends_a_line(self.path):
            with self.path.open("a", encoding="utf-8") as file:
                file.write("\n")  # end the line a kill cut short, so the next one is whole

    def _lines(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        lines = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                lines.append(json.loads(line))
            except ValueError:
                continue  # the last line of a sitting that was killed while writing it
        return [line for line in lines if isinstance(line, dict)]

    def results(self) -> list[RunResult]:
        fields = RunResult.__dataclass_fields__
        runs = (line for line in self._lines() if line.get("type") == "run")
        return [RunResult(**{key: value for key, value in run.items() if key in fields}) for run in runs]

    def seconds(self) -> float:
        """The time spent running: each sitting from its start to the last run it finished (or
        its end, when it ended in order), so that a night between sittings is not counted."""
        total, start, last = 0.0, None, None
        for line in self._lines():
            at = datetime.fromisoformat(line["at"]) if isinstance(line.get("at"), str) else None
            if line.get("type") == "sitting":
                total += (last - start).total_seconds() if start and last else 0.0
                start, last = at, at
            elif at is not None:
                last = at
        return total + ((last - start).total_seconds() if start and last else 0.0)

    def start_sitting(self) -> None:
        self._write({"type": "sitting"})

    def add(self, result: RunResult) -> None:
        self._write({"type": "run", **asdict(result)})

    def end_sitting(self) -> None:
        self._write({"type": "end"})

    def _write(self, line: dict[str, Any]) -> None:
        line["at"] = datetime.now().astimezone().isoformat()
        # Opened per line: a run ends every few seconds at most, and nothing waits in a buffer.
        with self.path.open("a", encoding="utf-8") as file:
            file.write(json.dumps(line, ensure_ascii=False) + "\n")
