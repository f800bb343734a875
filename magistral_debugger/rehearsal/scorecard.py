"""How a rehearsal is scored: each run's verdict against the step its example records, then totals.

Scored the way step-level error benchmarks (ProcessBench) score a model: a flawed proof
counts as found only when the verdict names exactly its recorded first broken step; a
correct proof (a control) counts as cleared only when the verdict is "none". Every run
counts, so a run that errs, runs out of tokens or gives no verdict line is a miss: what
matters in front of a room is whether the example works, not why it did not.

- flaw found = flawed runs whose verdict names the recorded step / flawed runs
- false accusation = control runs whose verdict names a step / control runs
- controls cleared = control runs whose verdict is "none" / control runs
- F1 = the harmonic mean of flaw found and controls cleared (0 when both are 0)

With ``--repeat K`` each rate is computed for each repetition (over every example of it),
and reported as the mean of the K values with their sample standard deviation and range.

The scorecard is plain data (what ``scorecard.json`` holds); ``scorecard_pages`` renders it.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, astuple, dataclass
from datetime import datetime
from typing import Any, Literal

from ..engine.state import RunState
from ..engine.verdict import Verdict
from ..prompting.examples import Example

FORMAT = "magistral-debugger-scorecard"
VERSION = 1

Outcome = Literal["correct", "wrong_step", "missed", "false_accusation", "no_verdict", "out_of_tokens", "error"]
# In the order the scorecard lists them, with the words it uses.
OUTCOME_WORDS: dict[str, str] = {
    "correct": "correct",
    "wrong_step": "wrong step",
    "missed": "missed (said no flaw)",
    "false_accusation": "false accusation",
    "no_verdict": "no verdict",
    "out_of_tokens": "ran out of tokens",
    "error": "error",
}


def grade(flawed_step: int, state: RunState) -> Outcome:
    """One run's outcome; ``flawed_step`` is the example's recorded step (0: a control)."""
    if state.finish_reason == "length":
        return "out_of_tokens"
    if state.finish_reason != "stop":
        return "error"  # an error, or a run cut short
    verdict = state.verdict
    if not isinstance(verdict, Verdict):
        return "no_verdict"
    if verdict.step is None:
        return "correct" if flawed_step == 0 else "missed"
    if flawed_step == 0:
        return "false_accusation"
    return "correct" if verdict.step == flawed_step else "wrong_step"


@dataclass(frozen=True)
class RunResult:
    """One run of one example under one configuration, as ``scorecard.json`` keeps it."""

    configuration: str  # "A", "B"
    slug: str
    repeat: int  # 1 … K
    expected: int  # the example's flawed_step (0: a control)
    outcome: Outcome
    verdict: int | Literal["none"] | None  # the step named, "none", or None: no usable verdict line
    verdict_kind: str
    finish_reason: str
    message: str  # how the run ended, for a person (empty when it answered)
    model: str
    time_to_first_token_s: float | None
    thinking_s: float | None
    answer_s: float | None
    reasoning_tokens: int
    answer_tokens: int
    recording: str | None  # the recording's path inside the rehearsal folder
    reasoning_effort: str | None = None  # the effort the request carried (None: none was sent)

    @classmethod
    def of(cls, configuration: str, example: Example, repeat: int, state: RunState, recording: str | None) -> RunResult:
        verdict = state.verdict if isinstance(state.verdict, Verdict) else None
        answer_s = None
        if state.answer_started_at is not None and state.finished_at is not None:
            answer_s = max(0.0, state.finished_at - state.answer_started_at)
        return cls(
            configuration=configuration,
            slug=example.slug,
            repeat=repeat,
            expected=example.flawed_step,
            outcome=grade(example.flawed_step, state),
            verdict=None if verdict is None else ("none" if verdict.step is None else verdict.step),
            verdict_kind=(verdict.words or verdict.kind) if verdict is not None else "",
            finish_reason=state.finish_reason or "",
            message="" if state.ok else state.outcome(),
            model=state.model,
            time_to_first_token_s=_rounded(state.time_to_first_token()),
            thinking_s=_rounded(state.thinking_seconds()),
            answer_s=_rounded(answer_s),
            reasoning_tokens=state.reasoning_tokens(),
            answer_tokens=state.answer_tokens(),
            recording=recording,
            reasoning_effort=state.effort,
        )


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 3)


# --- totals -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    flawed: int = 0
    found: int = 0
    controls: int = 0
    accused: int = 0
    cleared: int = 0

    @classmethod
    def of(cls, results: Iterable[RunResult]) -> Counts:
        flawed = found = controls = accused = cleared = 0
        for result in results:
            if result.expected:
                flawed += 1
                found += result.outcome == "correct"
            else:
                controls += 1
                accused += result.outcome == "false_accusation"
                cleared += result.outcome == "correct"
        return cls(flawed, found, controls, accused, cleared)

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))

    def rates(self) -> dict[str, float | None]:
        found = _ratio(self.found, self.flawed)
        cleared = _ratio(self.cleared, self.controls)
        f1 = None
        if found is not None and cleared is not None:
            f1 = 0.0 if found + cleared == 0 else 2 * found * cleared / (found + cleared)
        return {
            "flaw_found": found,
            "false_accusation": _ratio(self.accused, self.controls),
            "controls_cleared": cleared,
            "f1": f1,
        }


RATES = ("flaw_found", "false_accusation", "controls_cleared", "f1")


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def spread(values: Sequence[float | None]) -> dict[str, Any]:
    """A rate over the repetitions: mean, sample standard deviation (from two values on) and range."""
    known = [value for value in values if value is not None]
    return {
        "mean": statistics.fmean(known) if known else None,
        "sd": statistics.stdev(known) if len(known) > 1 else None,
        "min": min(known, default=None),
        "max": max(known, default=None),
        "per_repeat": list(values),
    }


def totals(results: Sequence[RunResult], repeat: int) -> dict[str, Any]:
    per_repeat = [Counts.of(r for r in results if r.repeat == k).rates() for k in range(1, repeat + 1)]
    outcomes = {outcome: sum(r.outcome == outcome for r in results) for outcome in OUTCOME_WORDS}
    return {
        "runs": len(results),
        "counts": asdict(Counts.of(results)),
        "outcomes": outcomes,
        **{rate: spread([rates[rate] for rates in per_repeat]) for rate in RATES},
        "median_s": {
            field: _median([getattr(r, f"{field}_s") for r in results])
            for field in ("time_to_first_token", "thinking", "answer")
        },
    }


def _median(values: list[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return round(statistics.median(known), 3) if known else None


# --- the whole scorecard ----------------------------------------------------------------------


def scorecard(
    configurations: Sequence[dict[str, Any]],
    examples: Sequence[Example],
    results: Sequence[RunResult],
    *,
    repeat: int,
    started: datetime,
    finished: datetime,
    complete: bool,
    seconds: float | None = None,
    parallel: int = 1,
) -> dict[str, Any]:
    """What ``scorecard.json`` holds. ``configurations``: each one's public description,
    with its ``name``; each example lists its runs under each configuration's name.
    ``seconds``: the time spent running (every sitting of a resumed rehearsal; default: from
    ``started`` to ``finished``), which the throughput is per."""
    seconds = (finished - started).total_seconds() if seconds is None else seconds
    return {
        "format": FORMAT,
        "version": VERSION,
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": finished.isoformat(timespec="seconds"),
        "complete": complete,
        "repeat": repeat,
        "throughput": throughput(results, seconds, parallel),
        "configurations": [
            {**described, "totals": totals([r for r in results if r.configuration == described["name"]], repeat)}
            for described in configurations
        ],
        "examples": [
            {
                "slug": example.slug,
                "title": example.title,
                "language": example.language,
                "kind": example.kind,
                "flawed_step": example.flawed_step,
                "argument": example.argument,
                **({"split": example.split} if example.split else {}),
                **(example.given.as_json() if example.given else {}),
                "runs": {
                    described["name"]: [
                        _run_json(r)
                        for r in sorted(results, key=lambda r: r.repeat)
                        if r.slug == example.slug and r.configuration == described["name"]
                    ]
                    for described in configurations
                },
            }
            for example in examples
        ],
    }


def throughput(results: Sequence[RunResult], seconds: float, parallel: int) -> dict[str, Any]:
    """Runs an hour and generated tokens a second, over the time spent running, at ``parallel``."""
    tokens = sum(r.reasoning_tokens + r.answer_tokens for r in results)
    return {
        "runs": len(results),
        "seconds": round(seconds, 3),
        "parallel": parallel,
        "generated_tokens": tokens,
        "runs_per_hour": round(len(results) * 3600 / seconds, 1) if seconds > 0 else None,
        "generated_tokens_per_s": round(tokens / seconds, 1) if seconds > 0 else None,
    }


def _run_json(result: RunResult) -> dict[str, Any]:
    data = asdict(result)
    del data["configuration"], data["slug"], data["expected"]  # the example and its column say these
    return data
