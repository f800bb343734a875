"""A benchmark rehearsal scored as the ProcessBench paper scores, with the paper's own numbers beside it.

Per split, as in the paper's evaluation code: accuracy on the erroneous items (the verdict
names exactly the earliest wrong step), accuracy on the correct items (the verdict is
"none"), and F1, their harmonic mean. Overall is the paper's too: the mean of the splits'
F1 (its "Avg."), with the pooled figures beside it. A run with no usable verdict (no
verdict line, out of tokens, an error after its retries) is a miss, as the paper's
``pred = None`` is.

How sure: each accuracy with its Wilson score interval (95 %), and the F1s with a
percentile bootstrap (2,000 resamples, each split's erroneous and correct items resampled
apart at their own sizes, seed 0), so a ``--limit`` sample says how far its number may be
from the whole set's.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from ...prompting.examples import Example

CITATION = (
    "Zheng et al., “ProcessBench: Identifying Process Errors in Mathematical Reasoning”, ACL 2025 "
    "(arXiv:2412.06559), Table 3: average F1 over GSM8K, MATH, OlympiadBench and Omni-MATH"
)
# As published (critic models prompted with the paper's template, greedy decoding; a PRM for
# comparison), never measured here.
PUBLISHED_F1 = {"o1-mini": 87.9, "Qwen2.5-Math-PRM-72B": 78.3, "QwQ-32B-Preview": 71.5, "GPT-4o": 61.9}
Z95 = 1.959963984540054
RESAMPLES = 2000


class Scored(Protocol):
    """A graded run, as the scorecard's ``RunResult`` is: which item, its recorded step, its outcome."""

    @property
    def slug(self) -> str: ...
    @property
    def expected(self) -> int: ...
    @property
    def outcome(self) -> str: ...


@dataclass(frozen=True)
class Tally:
    """One split's runs: how many erroneous and correct items, and how many of each were matched."""

    erroneous: int = 0
    erroneous_matched: int = 0
    correct: int = 0
    correct_matched: int = 0

    def add(self, other: Tally) -> Tally:
        return Tally(*(a + b for a, b in zip(self.counts(), other.counts(), strict=True)))

    def counts(self) -> tuple[int, int, int, int]:
        return self.erroneous, self.erroneous_matched, self.correct, self.correct_matched


def f1(error_accuracy: float | None, correct_accuracy: float | None) -> float | None:
    if error_accuracy is None or correct_accuracy is None:
        return None
    total = error_accuracy + correct_accuracy
    return 0.0 if total == 0 else 2 * error_accuracy * correct_accuracy / total


def wilson(matched: int, n: int) -> tuple[float, float] | None:
    """The Wilson score interval (95 %) of ``matched / n``: sound for small n and rates near 0 or 1."""
    if n == 0:
        return None
    p, z2 = matched / n, Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def tallies(examples: Sequence[Example], results: Sequence[Scored]) -> dict[str, Tally]:
    """Each split's tally, in the order the splits first appear among the examples."""
    split_of = {example.slug: example.split or "all" for example in examples}
    found: dict[str, Tally] = {split: Tally() for split in dict.fromkeys(split_of.values())}
    for result in results:
        split = split_of.get(result.slug)
        if split is None:
            continue
        matched = int(result.outcome == "correct")
        one = Tally(1, matched, 0, 0) if result.expected else Tally(0, 0, 1, matched)
        found[split] = found[split].add(one)
    return {split: tally for split, tally in found.items() if tally.erroneous or tally.correct}


def _rates(tally: Tally) -> dict[str, Any]:
    error_accuracy = tally.erroneous_matched / tally.erroneous if tally.erroneous else None
    correct_accuracy = tally.correct_matched / tally.correct if tally.correct else None
    return {
        "erroneous": tally.erroneous,
        "erroneous_matched": tally.erroneous_matched,
        "correct": tally.correct,
        "correct_matched": tally.correct_matched,
        "error_accuracy": error_accuracy,
        "error_accuracy_95": wilson(tally.erroneous_matched, tally.erroneous),
        "correct_accuracy": correct_accuracy,
        "correct_accuracy_95": wilson(tally.correct_matched, tally.correct),
        "f1": f1(error_accuracy, correct_accuracy),
    }


def _bootstrap_f1s(split_tallies: Sequence[Tally], seed: int = 0) -> np.ndarray:
    """``RESAMPLES`` × splits resampled F1s: resampling n items with replacement, k of them
    matched, draws the matched count from Binomial(n, k / n)."""
    rng = np.random.default_rng(seed)
    columns = []
    for tally in split_tallies:
        errors = rng.binomial(tally.erroneous, tally.erroneous_matched / max(tally.erroneous, 1), RESAMPLES)
        corrects = rng.binomial(tally.correct, tally.correct_matched / max(tally.correct, 1), RESAMPLES)
        a, b = errors / max(tally.erroneous, 1), corrects / max(tally.correct, 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            columns.append(np.where(a + b > 0, 2 * a * b / (a + b), 0.0))
    return np.stack(columns, axis=1)


def _interval(values: np.ndarray) -> tuple[float, float]:
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def benchmark_scores(examples: Sequence[Example], results: Sequence[Scored]) -> dict[str, Any]:
    """What the scorecard's benchmark section holds for one configuration's runs."""
    split_tallies = tallies(examples, results)
    splits = {split: _rates(tally) for split, tally in split_tallies.items()}
    scored = [split for split, tally in split_tallies.items() if tally.erroneous and tally.correct]
    if scored:
        resampled = _bootstrap_f1s([split_tallies[split] for split in scored])
        for column, split in enumerate(scored):
            splits[split]["f1_95"] = _interval(resampled[:, column])
    pooled = Tally()
    for tally in split_tallies.values():
        pooled = pooled.add(tally)
    split_f1s = [splits[split]["f1"] for split in scored]
    return {
        "splits": splits,
        "average_f1": statistics.fmean(split_f1s) if split_f1s else None,
        "average_f1_95": _interval(resampled.mean(axis=1)) if scored else None,
        "average_over": scored,
        "pooled": _rates(pooled),
    }
