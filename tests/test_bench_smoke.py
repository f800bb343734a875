"""The benchmark suite runs end to end and writes its results (a smoke run: no timings are checked), and
the README's performance table is the committed results file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


# Above pytest's own 300 s: the quick run took 150 s on 2026-12-08 at a load average of 21, on a shared
# 2-core machine where it has to stand slower days; measurement 9's two app processes are some 35 s of it.
@pytest.mark.timeout(540)
def test_quick_bench_runs_every_measurement_and_writes_json_and_markdown(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--room-phones", "4", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=480,  # measurement 9's two app processes add about 35 s to the rest
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((tmp_path / "latest.json").read_text())
    assert results["quick"] is True
    assert {"pipeline", "app", "rehearsal", "room"} <= results.keys()
    assert {"cold_start", "gradio", "class", "stop", "interval"} <= results["app"].keys()
    measured = {row["id"] for row in results["goals"]}
    assert measured == {"1", "2", "3", "4", "5", "6", "7", "8", "9"}
    # Measurement 8 ran the real rehearsal over every item of its synthetic ProcessBench file.
    rehearsal = results["rehearsal"]
    assert rehearsal["kinds"]["rehearse"]["scorecard_throughput"]["runs"] == rehearsal["items"] >= 200
    # Measurement 9: the same run with no room and with a room of 4 phones, each of whose votes was counted.
    room = results["room"]
    assert room["phones"] == 4 and room["alone"]["tokens"] == room["room"]["tokens"] > 0
    assert room["room"]["votes_counted"] == 4 and room["room"]["polls"] > 0
    assert "| # | Measurement |" in (tmp_path / "latest.md").read_text()
    # A quick run's figures are not the published run's: it says which rows it can set beside them.
    assert "Beside the published run" in done.stdout
    assert "not comparable" in done.stdout


def test_the_readmes_performance_table_is_the_committed_results_file() -> None:
    """Every figure in the README's table is traceable: the block equals what bench/published.json makes."""
    from bench.publish import BLOCK, published, readme_block

    shown = BLOCK.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert shown, "README.md lost its bench:goals block"
    assert shown.group(0) == readme_block(published())
