"""The README's performance table, made from a committed results file so every figure can be traced.

``python -m bench.publish [RESULTS]`` copies a full run's ``latest.json`` (default
``bench/results/latest.json``) to ``bench/published.json`` and rewrites the README between its
``bench:goals`` markers: the run's date, command, machine and versions, then the goals table.
A test holds the README to that file, so a figure edited by hand, or a file that moved on
without the README, fails.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from .report import goal_rows

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = ROOT / "bench" / "published.json"
README = ROOT / "README.md"
BEGIN, END = "<!-- bench:goals (made by python -m bench.publish) -->", "<!-- /bench:goals -->"
BLOCK = re.compile(re.escape(BEGIN) + r"\n.*?" + re.escape(END), re.S)


def readme_block(results: dict[str, Any]) -> str:
    m, v = results["machine"], results["machine"]["versions"]
    load = {key: _rounded(str(m.get(key, "–"))) for key in ("load_start", "load_end")}
    about = (
        f"Run: `{results['command']}`, {results['started']}, {results['duration_s']:.0f} s; {m['cpu']}, "
        f"{m['cores']} cores, {m['memory_gb']:.1f} GB; load average {load['load_start']} at the start and "
        f"{load['load_end']} at the end; Python {m['python']}, gradio {v.get('gradio')}, "
        f"httpx {v.get('httpx')}, openai {v.get('openai')}. Every figure below is in `bench/published.json`."
    )
    return "\n".join([BEGIN, about, "", *goal_rows(results["goals"]), END])


def _rounded(load: str) -> str:
    """A load average as the bench took it (three floats, or "–" where the OS gives none), to two places."""
    try:
        return " ".join(f"{float(x):.2f}" for x in load.split())
    except ValueError:
        return load


def published() -> dict[str, Any]:
    return json.loads(PUBLISHED.read_text(encoding="utf-8"))


def compare_with_published(results: dict[str, Any]) -> list[str]:
    """What a run (a quick one, say) can honestly set beside the published run: rows that
    measured the same thing, by their words; the rest are named as not comparable."""
    if not PUBLISHED.exists():
        return ["no bench/published.json to compare with"]
    base = published()
    by_what = {row["what"]: row for row in base["goals"]}
    lines = [f"Beside the published run ({base['started']}, `{base['command']}`):"]
    for row in results["goals"]:
        same = by_what.get(row["what"])
        if same:
            lines.append(f"  comparable  #{row['id']} {row['what']}: {row['result']} (published {same['result']})")
        else:
            lines.append(f"  not comparable  #{row['id']} {row['what']}: the published run measured no such row")
    return lines


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    source = Path(args[0]) if args else ROOT / "bench" / "results" / "latest.json"
    results = json.loads(source.read_text(encoding="utf-8"))
    if results.get("quick"):
        print("a --quick run is a smoke run, not for the README: run python -m bench", file=sys.stderr)
        return 2
    PUBLISHED.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    text = README.read_text(encoding="utf-8")
    if not BLOCK.search(text):
        print(f"README.md has no {BEGIN} … {END} block", file=sys.stderr)
        return 1
    README.write_text(BLOCK.sub(lambda _: readme_block(results), text), encoding="utf-8")
    print(f"wrote {PUBLISHED.relative_to(ROOT)} and the README's table from {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
