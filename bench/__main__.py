"""``python -m bench [--quick] [--only 1,2,...] [--room-phones N] [--out DIR]``: every measurement of issue 8 (and 22's, 24's) in one run.

Writes ``bench/results/latest.md`` (Markdown tables) and ``bench/results/latest.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from typing import Any

from . import app_bench, rehearsal_bench, room_bench
from .harness import _project_root
from .publish import compare_with_published
from .report import goals, markdown

ALL = (1, 2, 3, 4, 5, 6, 7, 8, 9)


def machine() -> dict[str, Any]:
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        memory_gb = math.nan
    versions = {}
    for name in ("gradio", "gradio_client", "httpx", "openai", "pydantic"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": versions,
        "load_start": _load(),
    }


def _load() -> str:
    try:
        return " ".join(os.getloadavg().__repr__().strip("()").split(", ")[:3])
    except OSError:
        return "–"


def run_pipeline(quick: bool) -> dict[str, Any]:
    """Measurements 1–2 in their own process, pinned to one core (see bench/pipeline.py)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        target = f.name
    try:
        argv = [sys.executable, "-m", "bench.pipeline", target] + (["--quick"] if quick else [])
        subprocess.run(argv, check=True, cwd=_project_root())
        with open(target) as f:
            return json.load(f)
    finally:
        os.unlink(target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run in well under a minute: small sizes, one repetition"
    )
    parser.add_argument(
        "--only",
        default=",".join(map(str, ALL)),
        help="measurements to run, e.g. 1,2 or 3,4,5,6,7 (1 and 2 run together)",
    )
    parser.add_argument(
        "--room-phones",
        type=int,
        default=None,
        help="phones in measurement 9's room (default 128; 16 with --quick)",
    )
    parser.add_argument(
        "--out", default=os.path.join(_project_root(), "bench", "results"), help="where latest.md and latest.json go"
    )
    args = parser.parse_args(argv)
    only = {int(x) for x in args.only.split(",") if x.strip()}

    started = time.monotonic()
    results: dict[str, Any] = {
        "command": "python -m bench"
        + (" --quick" if args.quick else "")
        + (f" --only {args.only}" if only != set(ALL) else "")
        + (f" --room-phones {args.room_phones}" if args.room_phones is not None else ""),
        "quick": args.quick,
        "started": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
    }

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    if only & {1, 2}:
        progress("1–2. pipeline throughput and the tutorial's loop (pinned to one core)")
        results["pipeline"] = run_pipeline(args.quick)
    if only & {3, 4, 5, 6, 7}:
        results["app"] = app_bench.run(args.quick, results.get("pipeline"), progress, only=only)
    if 8 in only:
        progress("8. a ProcessBench-sized rehearsal at --parallel 64 (pinned to one core)")
        results["rehearsal"] = rehearsal_bench.run(args.quick, progress)
    if 9 in only:
        progress("9. a room's phones voting while the projector streams a run, beside the same run with no room")
        results["room"] = room_bench.run(args.quick, progress, args.room_phones)
    results["duration_s"] = time.monotonic() - started
    results["machine"]["load_end"] = _load()
    results["goals"] = goals(results)

    os.makedirs(args.out, exist_ok=True)
    text = markdown(results)
    with open(os.path.join(args.out, "latest.md"), "w") as f:
        f.write(text)
    with open(os.path.join(args.out, "latest.json"), "w") as f:
        json.dump(_strict(results), f, indent=1, default=str)
    print(text)
    if args.quick:
        print("\n".join(compare_with_published(results)))
    print(
        f"wrote {os.path.join(args.out, 'latest.md')} and latest.json in {results['duration_s']:.0f} s", file=sys.stderr
    )
    return 0


def _strict(value: Any) -> Any:
    """NaN and infinity become null, so the file is strict JSON."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dict):
        return {k: _strict(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strict(v) for v in value]
    return value


if __name__ == "__main__":
    sys.exit(main())
