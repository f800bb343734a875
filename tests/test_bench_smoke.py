"""The benchmark suite runs end to end and writes its results (a smoke run: no timings are checked)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_bench_runs_every_measurement_and_writes_json_and_markdown(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=420,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((tmp_path / "latest.json").read_text())
    assert results["quick"] is True
    assert {"pipeline", "app"} <= results.keys()
    assert {"cold_start", "gradio", "class", "stop", "interval"} <= results["app"].keys()
    measured = {row["id"] for row in results["goals"]}
    assert measured == {"1", "2", "3", "4", "5", "6", "7"}
    assert "| # | Measurement |" in (tmp_path / "latest.md").read_text()
