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
from typing import Any

import numpy as np

from ...prompting.examples import Example
from ..scorecard import Counts, RunResult

CITATION = (
    "Zheng et al., “ProcessBench: Identifying Process Errors in Mathematical Reasoning”, ACL 2025 "
    "(arXiv:2412.06559), Table 3: average F1 over GSM8K, MATH, OlympiadBench and Omni-MATH"
)
# As published (critic models prompted with the paper's template, greedy decoding; a PRM for
# comparison), never measured here.
PUBLISHED_F1 = {"o1-mini": 87.9, "Qwen2.5-Math-PRM-72B": 78.3, "QwQ-32B-Preview": 71.5, "GPT-4o": 61.9}
Z95 = 1.959963984540054
RESAMPLES = 2000


def wilson(matched: int, n: int) -> tuple[float, float] | None:
    """The Wilson score interval (95 %) of ``matched / n``: sound for small n and rates near 0 or 1."""
    if n == 0:
        return None
    p, z2 = matched / n, Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def tallies(examples: Sequence[Example], results: Sequence[RunResult]) -> dict[str, Counts]:
    """Each split's counts (a flawed item is an erroneous one, a control a correct one), in the
    order the splits first appear among the examples."""
    split_of = {example.slug: example.split or "all" for example in examples}
    splits = dict.fromkeys(split_of.values())
    counted = {split: Counts.of(r for r in results if split_of.get(r.slug) == split) for split in splits}
    return {split: counts for split, counts in counted.items() if counts.flawed or counts.controls}


def _rates(counts: Counts) -> dict[str, Any]:
    rates = counts.rates()
    return {
        "erroneous": counts.flawed,
        "erroneous_matched": counts.found,
        "correct": counts.controls,
        "correct_matched": counts.cleared,
        "error_accuracy": rates["flaw_found"],
        "error_accuracy_95": wilson(counts.found, counts.flawed),
        "correct_accuracy": rates["controls_cleared"],
        "correct_accuracy_95": wilson(counts.cleared, counts.controls),
        "f1": rates["f1"],
    }


def _bootstrap_f1s(split_counts: Sequence[Counts], seed: int = 0) -> np.ndarray:
    """``RESAMPLES`` × splits resampled F1s: resampling n items with replacement, k of them
    matched, draws the matched count from Binomial(n, k / n)."""
    rng = np.random.default_rng(seed)
    columns = []
    for counts in split_counts:
        errors = rng.binomial(counts.flawed, counts.found / counts.flawed, RESAMPLES) / counts.flawed
        corrects = rng.binomial(counts.controls, counts.cleared / counts.controls, RESAMPLES) / counts.controls
        with np.errstate(invalid="ignore", divide="ignore"):
            columns.append(np.where(errors + corrects > 0, 2 * errors * corrects / (errors + corrects), 0.0))
    return np.stack(columns, axis=1)


def _interval(values: np.ndarray) -> tuple[float, float]:
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def benchmark_scores(examples: Sequence[Example], results: Sequence[RunResult]) -> dict[str, Any]:
    """What the scorecard's benchmark section holds for one configuration's runs. Only a split
    with both kinds of item has an F1, and only those are averaged (``average_over``)."""
    split_counts = tallies(examples, results)
    splits = {split: _rates(counts) for split, counts in split_counts.items()}
    scored = [split for split, counts in split_counts.items() if counts.flawed and counts.controls]
    average_95 = None
    if scored:
        resampled = _bootstrap_f1s([split_counts[split] for split in scored])
        for column, split in enumerate(scored):
            splits[split]["f1_95"] = _interval(resampled[:, column])
        average_95 = _interval(resampled.mean(axis=1))
    split_f1s = [splits[split]["f1"] for split in scored]
    return {
        "splits": splits,
        "average_f1": statistics.fmean(split_f1s) if split_f1s else None,
        "average_f1_95": average_95,
        "average_over": scored,
        "pooled": _rates(Counts.of(results)),
    }


def with_benchmark(data: dict[str, Any], examples: Sequence[Example], results: Sequence[RunResult]) -> dict[str, Any]:
    """A scorecard with each configuration's benchmark section, when its examples are a benchmark's (have a split)."""
    if any(example.split for example in examples):
        for configuration in data["configurations"]:
            mine = [r for r in results if r.configuration == configuration["name"]]
            configuration["benchmark"] = benchmark_scores(examples, mine)
    return data
