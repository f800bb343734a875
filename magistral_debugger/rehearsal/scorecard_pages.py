"""The scorecard as a person reads it: Markdown, and one small HTML page with no outside assets.

Both are rendered from the data ``scorecard.json`` holds (see ``scorecard.py``), through the
same tables, so they never disagree; an old ``scorecard.json`` can be rendered again.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .benchmark.paper import CITATION, PUBLISHED_F1
from .scorecard import OUTCOME_WORDS

Tone = str  # "good", "bad", "warn" or "": how the HTML page colours a cell
Cell = str | tuple[str, Tone]
TONES = {
    "correct": "good",
    "wrong_step": "bad",
    "missed": "bad",
    "false_accusation": "bad",
    "no_verdict": "warn",
    "out_of_tokens": "warn",
    "error": "warn",
}
RATE_ROWS = {
    "flaw_found": "flaw found (flawed proofs)",
    "false_accusation": "false accusations (controls)",
    "controls_cleared": "controls cleared",
    "f1": "F1 (flaw found × controls cleared)",
}
RATE_COUNTS = {
    "flaw_found": ("found", "flawed"),
    "false_accusation": ("accused", "controls"),
    "controls_cleared": ("cleared", "controls"),
}


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list[Cell]]


# --- cells ------------------------------------------------------------------------------------


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def rate_cell(name: str, totals: dict[str, Any], repeat: int) -> str:
    """``5/6 = 83%``; over repetitions ``83% ± 5 (78%–89%), 25/30 runs``; F1 as a number."""
    rate = totals[name]
    if rate["mean"] is None:
        return "—"
    f1 = name == "f1"
    show = (lambda value: f"{value:.2f}") if f1 else percent
    counted = "" if f1 else "/".join(str(totals["counts"][key]) for key in RATE_COUNTS[name])
    if repeat == 1:
        return show(rate["mean"]) if f1 else f"{counted} = {show(rate['mean'])}"
    sd = "" if rate["sd"] is None else f" ± {rate['sd']:.2f}" if f1 else f" ± {rate['sd'] * 100:.0f}"
    runs = "" if f1 else f", {counted} runs"
    return f"{show(rate['mean'])}{sd} ({show(rate['min'])}–{show(rate['max'])}){runs}"


def verdict_words(run: dict[str, Any]) -> str:
    verdict = run["verdict"]
    if verdict is None:
        return "—"
    if verdict == "none":
        return "none"
    return f"{verdict} ({run['verdict_kind']})" if run["verdict_kind"] else str(verdict)


def outcome_cell(runs: list[dict[str, Any]]) -> Cell:
    """One run: its outcome. Several: how many of each, ``correct ×2, wrong step ×1``."""
    if not runs:
        return ("not run", "warn")
    outcomes = [run["outcome"] for run in runs]
    if len(runs) == 1:
        return (OUTCOME_WORDS[outcomes[0]], TONES[outcomes[0]])
    counted = [(o, outcomes.count(o)) for o in OUTCOME_WORDS if o in outcomes]
    tone = "good" if outcomes == ["correct"] * len(outcomes) else ("bad" if "correct" not in outcomes else "warn")
    return (", ".join(f"{OUTCOME_WORDS[o]} ×{n}" for o, n in counted), tone)


def mean_of(runs: list[dict[str, Any]], field: str, digits: int = 1) -> str:
    values = [run[field] for run in runs if run[field] is not None]
    if not values:
        return "—"
    return f"{sum(values) / len(values):.{digits}f}"


def expected_words(example: dict[str, Any]) -> str:
    return f"step {example['flawed_step']}" if example["flawed_step"] else "none (control)"


# --- tables -----------------------------------------------------------------------------------


def tables(data: dict[str, Any]) -> list[Table]:
    configurations = data["configurations"]
    compared = len(configurations) > 1
    columns = [f"{c['name']}: {c['label']}" if compared else "value" for c in configurations]
    chosen = [
        Table("Configurations" if compared else "Configuration", ["setting", *columns], settings_rows(configurations)),
    ]
    if "benchmark" in configurations[0]:
        chosen += [
            Table("As the ProcessBench paper scores it", ["score", *columns], benchmark_rows(configurations)),
            published_table(configurations, len(data["examples"])),
        ]
    return [
        *chosen,
        Table("Totals", ["total", *columns], totals_rows(configurations, data["repeat"])),
        Table("Throughput", ["measure", "value"], throughput_rows(data.get("throughput"))),
        examples_table(data["examples"], configurations),
    ]


def share_cell(matched: int, n: int, interval: list[float] | None) -> str:
    """``41/50 = 82.0% (69.2–90.2)``: the accuracy with its Wilson 95 % interval."""
    if not n:
        return "—"
    low, high = interval or (0.0, 0.0)
    return f"{matched}/{n} = {matched / n * 100:.1f}% ({low * 100:.1f}–{high * 100:.1f})"


def f1_cell(value: float | None, interval: list[float] | None) -> str:
    """F1 on the paper's 0–100 scale, with its bootstrap 95 % interval."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}" + (f" ({interval[0] * 100:.1f}–{interval[1] * 100:.1f})" if interval else "")


def benchmark_rows(configurations: list[dict[str, Any]]) -> list[list[Cell]]:
    scores = [c["benchmark"] for c in configurations]
    splits = list(dict.fromkeys(split for score in scores for split in score["splits"]))
    rows: list[list[Cell]] = []
    for split in splits:
        per = [score["splits"].get(split) for score in scores]
        rows += [
            [
                f"{split}: erroneous found",
                *(
                    share_cell(p["erroneous_matched"], p["erroneous"], p["error_accuracy_95"]) if p else "—"
                    for p in per
                ),
            ],
            [
                f"{split}: correct cleared",
                *(share_cell(p["correct_matched"], p["correct"], p["correct_accuracy_95"]) if p else "—" for p in per),
            ],
            [f"{split}: F1", *(f1_cell(p["f1"], p.get("f1_95")) if p else "—" for p in per)],
        ]
    rows.append(
        ["average F1 over the splits (the paper's)", *(f1_cell(s["average_f1"], s["average_f1_95"]) for s in scores)]
    )
    rows.append(["F1 of all items pooled", *(f1_cell(s["pooled"]["f1"], None) for s in scores)])
    return rows


def published_table(configurations: list[dict[str, Any]], items: int) -> Table:
    """This rehearsal's average F1 next to the paper's, each row saying where its number comes from."""
    rows: list[list[Cell]] = [
        [
            c["model"],
            f1_cell(c["benchmark"]["average_f1"], c["benchmark"]["average_f1_95"]),
            f"this rehearsal ({items} items)",
        ]
        for c in configurations
    ]
    published = "published: the whole set, the paper's prompt"
    rows += [[model, f"{score:.1f}", published] for model, score in PUBLISHED_F1.items()]
    return Table(f"Beside the published scores ({CITATION})", ["model", "average F1", "source"], rows)


def throughput_rows(throughput: dict[str, Any] | None) -> list[list[Cell]]:
    if not throughput:
        return [["runs", "—"]]
    per_hour, per_second = throughput["runs_per_hour"], throughput["generated_tokens_per_s"]
    return [
        ["runs", str(throughput["runs"])],
        ["time spent running", f"{throughput['seconds'] / 60:.1f} min"],
        ["runs at once (--parallel)", str(throughput["parallel"])],
        ["runs per hour", "—" if per_hour is None else f"{per_hour:,.0f}"],
        ["generated tokens per second", "—" if per_second is None else f"{per_second:,.0f}"],
    ]


def settings_rows(configurations: list[dict[str, Any]]) -> list[list[Cell]]:
    sampling = "temperature {temperature:g}, top_p {top_p:g}, max tokens {max_tokens}"
    return [
        ["model", *(c["model"] for c in configurations)],
        ["server", *(f"{c['backend']} at {c['server']}" for c in configurations)],
        ["prompt format", *(_prompt_format(c) for c in configurations)],
        ["sampling", *(sampling.format(**c) for c in configurations)],
        # What thinking buys is read here: "none" beside "high" (a scorecard from before efforts has none).
        ["reasoning effort", *(str(c.get("reasoning_effort", "—")) for c in configurations)],
    ]


def totals_rows(configurations: list[dict[str, Any]], repeat: int) -> list[list[Cell]]:
    totals = [c["totals"] for c in configurations]
    rows: list[list[Cell]] = [
        [words, *(rate_cell(rate, t, repeat) for t in totals)] for rate, words in RATE_ROWS.items()
    ]
    rows += [[OUTCOME_WORDS[o], *(str(t["outcomes"][o]) for t in totals)] for o in OUTCOME_WORDS]
    timings = {"time_to_first_token": "time to first token", "thinking": "thinking time", "answer": "answer time"}
    rows += [
        [f"median {words} (s)", *(_seconds(t["median_s"][field]) for t in totals)] for field, words in timings.items()
    ]
    return rows


def examples_table(examples: list[dict[str, Any]], configurations: list[dict[str, Any]]) -> Table:
    """One row per example: alone, a configuration's timings and tokens too; compared, each
    configuration's verdict, outcome and thinking time side by side."""
    compared = len(configurations) > 1
    header = ["example", "title", "language", "expected"]
    if compared:
        header += [f"{c['name']} {what}" for c in configurations for what in ("verdict", "outcome", "thinking s")]
    else:
        header += ["verdict", "outcome", "first token s", "thinking s", "answer s", "reasoning tokens", "answer tokens"]
    rows: list[list[Cell]] = []
    for example in examples:
        row: list[Cell] = [example["slug"], example["title"], example["language"], expected_words(example)]
        for c in configurations:
            runs = example["runs"].get(c["name"], [])
            row += [", ".join(verdict_words(run) for run in runs) or "—", outcome_cell(runs)]
            if compared:
                row.append(mean_of(runs, "thinking_s"))
            else:
                row += [mean_of(runs, f"{field}_s") for field in ("time_to_first_token", "thinking", "answer")]
                row += [mean_of(runs, "reasoning_tokens", 0), mean_of(runs, "answer_tokens", 0)]
        rows.append(row)
    return Table("Examples", header, rows)


def _prompt_format(configuration: dict[str, Any]) -> str:
    setting = configuration["prompt_format_setting"]
    return f"{configuration['prompt_format']} ({'detected from the model name' if setting == 'auto' else 'set'})"


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def heading(data: dict[str, Any]) -> str:
    started = datetime.fromisoformat(data["started_at"])
    finished = datetime.fromisoformat(data["finished_at"])
    minutes = (finished - started).total_seconds() / 60
    runs = sum(c["totals"]["runs"] for c in data["configurations"])
    planned = len(data["examples"]) * data["repeat"] * len(data["configurations"])
    count = f"{len(data['examples'])} examples × {data['repeat']} run{'s' if data['repeat'] > 1 else ''}"
    if len(data["configurations"]) > 1:
        count += f" × {len(data['configurations'])} configurations"
    done = "" if data["complete"] else f" · interrupted: {runs} of {planned} runs done"
    return f"Rehearsed {started:%Y-%m-%d %H:%M} ({minutes:.1f} min) · {count}{done}"


def notes(data: dict[str, Any]) -> list[str]:
    """Why runs ended without an answer (errors, out of tokens), one line each."""
    lines = []
    for example in data["examples"]:
        for name, runs in example["runs"].items():
            for run in runs:
                if run["message"]:
                    where = (
                        f"{name}, run {run['repeat']}" if len(data["configurations"]) > 1 else f"run {run['repeat']}"
                    )
                    lines.append(f"{example['slug']} ({where}): {run['message']}")
    return lines


def summary_lines(data: dict[str, Any]) -> list[str]:
    """The totals in one line per configuration, for the terminal."""
    lines = []
    for c in data["configurations"]:
        t = c["totals"]
        name = f"{c['name']} ({c['label']}): " if len(data["configurations"]) > 1 else ""
        rates = " · ".join(
            f"{words.split(' (')[0]} {rate_cell(rate, t, data['repeat'])}" for rate, words in RATE_ROWS.items()
        )
        lines.append(f"{name}{rates}")
    return lines


# --- Markdown -----------------------------------------------------------------------------------


def _md(cell: Cell) -> str:
    text = cell[0] if isinstance(cell, tuple) else cell
    return " ".join(text.split()).replace("|", "\\|")


def markdown(data: dict[str, Any]) -> str:
    out = ["# Rehearsal scorecard", "", heading(data), ""]
    for table in tables(data):
        out += [f"## {table.title}", "", "| " + " | ".join(map(_md, table.header)) + " |"]
        out.append("|" + "---|" * len(table.header))
        out += ["| " + " | ".join(map(_md, row)) + " |" for row in table.rows]
        out.append("")
    lines = notes(data)
    if lines:
        out += ["## Notes", "", *(f"- {_md(line)}" for line in lines), ""]
    return "\n".join(out)


# --- HTML ---------------------------------------------------------------------------------------

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 84rem; padding: 0 1rem; color: #1d1d1f; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #c8c8cc; padding: 0.3rem 0.55rem; text-align: left; vertical-align: top; }
th { background: #f0f0f3; }
td.good { background: #dff3e3; }
td.bad { background: #fbe0de; }
td.warn { background: #fff3d1; }
@media (prefers-color-scheme: dark) {
  body { background: #161618; color: #ececef; }
  th { background: #2a2a2e; }
  th, td { border-color: #4a4a50; }
  td.good { background: #1d4026; }
  td.bad { background: #4d1f1c; }
  td.warn { background: #4a3d14; }
}
"""


def _td(cell: Cell) -> str:
    text, tone = cell if isinstance(cell, tuple) else (cell, "")
    return f'<td class="{tone}">{html.escape(text)}</td>' if tone else f"<td>{html.escape(text)}</td>"


def html_page(data: dict[str, Any]) -> str:
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Rehearsal scorecard</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Rehearsal scorecard</h1>",
        f"<p>{html.escape(heading(data))}</p>",
    ]
    for table in tables(data):
        out.append(f"<h2>{html.escape(table.title)}</h2>")
        out.append(
            "<table><thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in table.header) + "</tr></thead><tbody>"
        )
        out += ["<tr>" + "".join(map(_td, row)) + "</tr>" for row in table.rows]
        out.append("</tbody></table>")
    lines = notes(data)
    if lines:
        out += ["<h2>Notes</h2>", "<ul>", *(f"<li>{html.escape(line)}</li>" for line in lines), "</ul>"]
    out.append("</body></html>")
    return "\n".join(out) + "\n"
