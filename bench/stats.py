"""Small statistics helpers: medians, percentiles and "median [min–max]" summaries."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable


def percentile(values: Iterable[float], q: float) -> float:
    """The q-th percentile (0–100), linear between the closest ranks."""
    data = sorted(values)
    if not data:
        return math.nan
    if len(data) == 1:
        return data[0]
    position = (len(data) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (position - low)


def summary(values: Iterable[float]) -> dict[str, float]:
    """Median, min and max of repeated measurements (NaN-free)."""
    data = [v for v in values if v is not None and not math.isnan(v)]
    if not data:
        return {"median": math.nan, "min": math.nan, "max": math.nan, "n": 0}
    return {"median": statistics.median(data), "min": min(data), "max": max(data), "n": len(data), "runs": data}


def fmt(value: float, unit: str = "") -> str:
    """A number the way a person reads it: 3 significant figures, thousands separated."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    magnitude = abs(value)
    if magnitude >= 1000:
        text = f"{value:,.0f}"
    elif magnitude >= 100:
        text = f"{value:.0f}"
    elif magnitude >= 10:
        text = f"{value:.1f}"
    elif magnitude >= 1:
        text = f"{value:.2f}"
    elif magnitude == 0:
        text = "0"
    else:
        text = f"{value:.3g}"
    return f"{text} {unit}".strip() if unit else text


def fmt_summary(s: dict[str, float], unit: str = "") -> str:
    if not s or s.get("n", 0) == 0:
        return "–"
    if s["n"] == 1 or s["min"] == s["max"]:
        return fmt(s["median"], unit)
    return f"{fmt(s['median'], unit)} [{fmt(s['min'])}–{fmt(s['max'])}]"
