"""Measurement 8: a ProcessBench-sized rehearsal at ``--parallel 64``, our side's cost per item.

The bench writes a synthetic file in ProcessBench's format (four splits of the real sizes,
400/1,000/1,000/1,000 items of 5–9 steps, about 45 % correct) into a temporary folder and
runs the real command on it, ``magistral-debugger rehearse --dataset … --parallel 64``
(``rehearse.main``), in a child process pinned to one core, against the loopback
vLLM-like server (``bench.harness``, OpenAI SSE, reasoning in its own field) pinned to the
other. Each item's reply is a fixed number of tokens of reasoning and answer ending with a
scripted verdict line, sent as fast as the socket takes it, so the run is bound by our side.

The baseline, in a child process measured the same way: the same server bytes for the same
items read by 64 concurrent httpx streams that only read lines ("bare reader"), and that
read lines and ``json.loads`` each event. The measured figure is the child's own CPU time
(user + sys, ``getrusage``) from just before ``main()`` to its return: reading the dataset,
every run, the journal, the recordings and the scorecard. RSS is read from
``/proc/self/status`` as every 340th item ends (``VmHWM`` for the peak).

``python -m bench.rehearsal_bench {rehearse|lines|json|unrecorded} CONFIG.json OUT.json`` is
the child; ``run()`` is the measurement.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import tokens as tk
from .harness import Harness, _project_root
from .stats import summary

SPLITS = (("gsm8k", 400), ("math", 1000), ("olympiadbench", 1000), ("omnimath", 1000))
CORRECT_SHARE = 0.45
PARALLEL = 64
TOKENS = 1000  # generated tokens per item
SAMPLES = 10  # RSS samples over the run: every tenth of the items
READERS = ("lines", "json")
READER_NAMES = {"lines": "httpx lines", "json": "httpx lines + json.loads"}


# --- the dataset ------------------------------------------------------------------------------


def scripted_verdict(index: int, label: int) -> str:
    """What the loopback model answers for an item: mostly right, some misses and false accusations."""
    if label == -1:
        return "1" if index % 10 == 0 else "none"
    return "none" if index % 4 == 0 else str(label + 1)


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(tk._WORDS) for _ in range(rng.randint(low, high))]
    words += [rng.choice(tk._MATH).strip() for _ in range(len(words) // 6)]
    rng.shuffle(words)
    return " ".join(words).capitalize() + "."


def dataset_item(rng: random.Random, split: str, index: int, tokens: int) -> dict[str, Any]:
    """One ProcessBench item; its problem carries the loopback server's marker (what to stream)."""
    steps = [_sentence(rng, 12, 55) for _ in range(rng.randint(5, 9))]
    label = -1 if rng.random() < CORRECT_SHARE else rng.randrange(len(steps))
    marker = tk.marker(form="field", tokens=tokens, verdict=scripted_verdict(index, label))
    return {
        "id": f"{split}-{index}",
        "generator": "bench",
        "problem": f"{marker} {_sentence(rng, 20, 60)}",
        "steps": steps,
        "final_answer_correct": label == -1,
        "label": label,
    }


def write_dataset(folder: Path, scale: float, tokens: int, seed: int = 8) -> tuple[list[Path], list[dict[str, Any]]]:
    """The four splits as ProcessBench's JSON files in ``folder``: their paths, and every item."""
    rng = random.Random(seed)
    paths, items = [], []
    folder.mkdir(parents=True, exist_ok=True)
    for split, size in SPLITS:
        mine = [dataset_item(rng, split, i, tokens) for i in range(round(size * scale))]
        path = folder / f"{split}.json"
        path.write_text(json.dumps(mine, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
        items += mine
    return paths, items


def wire_bytes(tokens: int) -> int:
    """One reply as the loopback server sends it, HTTP chunk framing included (headers not)."""
    frames = tk.frames("openai", tk.stream(tokens, "field", verdict="3"), "field")
    return sum(len(tk.chunked(f)) for f in frames)


def expected_correct(items: list[dict[str, Any]]) -> int:
    """How many runs the scorecard must count as correct, from the script."""
    correct = 0
    for item in items:
        verdict = scripted_verdict(int(item["id"].rsplit("-", 1)[1]), item["label"])
        correct += verdict == ("none" if item["label"] == -1 else str(item["label"] + 1))
    return correct


# --- the measured child -------------------------------------------------------------------------


def rss_mb(field: str = "VmRSS") -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Samples:
    """RSS as every ``every``-th item ends."""

    def __init__(self, every: int) -> None:
        self.every = max(every, 1)
        self.done = 0
        self.rss: list[tuple[int, float]] = []

    def item_done(self) -> None:
        self.done += 1
        if self.done % self.every == 0:
            self.rss.append((self.done, rss_mb()))


def child_rehearse(config: dict[str, Any], samples: Samples, recorded: bool = True) -> dict[str, Any]:
    """The real command, ``rehearse.main``; the progress callback also samples RSS."""
    from magistral_debugger.rehearsal import rehearse

    class SampledProgress(rehearse.Progress):
        def __call__(self, result: Any) -> None:
            super().__call__(result)
            samples.item_done()

    rehearse.Progress = SampledProgress  # type: ignore[misc]
    if not recorded:
        rehearse.RecordingBackend = _Unrecorded  # type: ignore[misc, assignment]
    argv = ["--dataset", *config["dataset"], "--parallel", str(PARALLEL), "--out", config["out"]]
    argv += ["--backend", "openai", "--url", config["url"] + "/v1", "--model", tk.OPENAI_MODEL, "--retries", "0"]
    code = rehearse.main(argv)
    return {"exit_code": code}


class _Unrecorded:
    """Bench only, to weigh the recordings: the server's stream passed through, nothing written."""

    def __init__(self, inner: Any, *args: Any, **kwargs: Any) -> None:
        self.inner = inner
        self.path = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


async def _read_all(config: dict[str, Any], how: str, samples: Samples) -> int:
    """64 streams at once, each item's request read to its end: lines only, or lines + json.loads."""
    import httpx

    bodies = iter(config["bodies"])
    url = config["url"] + "/v1/chat/completions"
    events = 0

    async def reader(http: httpx.AsyncClient) -> None:
        nonlocal events
        loads = json.loads
        for body in bodies:
            async with http.stream("POST", url, json=body) as response:
                if how == "lines":
                    async for _line in response.aiter_lines():
                        pass
                else:
                    async for line in response.aiter_lines():
                        if line.startswith("data: {"):
                            loads(line[6:])
                            events += 1
            samples.item_done()

    async with httpx.AsyncClient(timeout=httpx.Timeout(None, connect=5.0)) as http:
        async with asyncio.TaskGroup() as group:
            for _ in range(PARALLEL):
                group.create_task(reader(http))
    return events


def reader_bodies(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The chat requests a bare reader sends: the same prompt text, so the server streams the same bytes."""
    bodies = []
    for item in items:
        numbered = "\n".join(f"{n}. {step}" for n, step in enumerate(item["steps"], 1))
        text = f"{item['problem']}\n\n{numbered}"
        bodies.append({"model": tk.OPENAI_MODEL, "messages": [{"role": "user", "content": text}], "stream": True})
    return bodies


def child(kind: str, config: dict[str, Any]) -> dict[str, Any]:
    """One measured run in this process: CPU, wall time and RSS around it alone."""
    samples = Samples(config["items"] // SAMPLES)
    if kind in READERS:
        import httpx  # noqa: F401  (imported before the clock starts, as rehearse's imports are)

        config["bodies"] = reader_bodies(config["items_data"])
    else:
        import magistral_debugger.rehearsal.rehearse  # noqa: F401
    start_rss = rss_mb()
    cpu0, wall0 = cpu_s(), time.perf_counter()
    if kind in READERS:
        out: dict[str, Any] = {"events": asyncio.run(_read_all(config, kind, samples))}
    else:
        out = child_rehearse(config, samples, recorded=kind == "rehearse")
    cpu1, wall1 = cpu_s(), time.perf_counter()
    return out | {
        "cpu_s": cpu1 - cpu0,
        "wall_s": wall1 - wall0,
        "items_done": samples.done,
        "rss_start_mb": start_rss,
        "rss_end_mb": rss_mb(),
        "rss_peak_mb": rss_mb("VmHWM"),
        "rss_samples": samples.rss,
    }


def main() -> None:
    kind, config_path, target = sys.argv[1:4]
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, {0})
    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    result = child(kind, config)
    with contextlib.suppress(AttributeError, OSError):
        result["pinned_cpus"] = sorted(os.sched_getaffinity(0))
    Path(target).write_text(json.dumps(result), encoding="utf-8")


# --- the measurement, from the parent ------------------------------------------------------------


def _proc_cpu_s(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_child(kind: str, config: dict[str, Any], folder: Path, harness: Harness) -> dict[str, Any]:
    """Run one child from a clean folder (no .env, no MAGISTRAL_ settings) and read what it measured."""
    root = _project_root()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAGISTRAL_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    config_path, target = folder / f"{kind}-config.json", folder / f"{kind}-result.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    server0 = _proc_cpu_s(harness.pid)
    with open(folder / f"{kind}.log", "wb") as log:
        done = subprocess.run(
            [sys.executable, "-m", "bench.rehearsal_bench", kind, str(config_path), str(target)],
            cwd=folder,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    if done.returncode != 0:
        tail = (folder / f"{kind}.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"measurement 8, {kind}: the child exited with {done.returncode}:\n{tail}")
    result = json.loads(target.read_text(encoding="utf-8"))
    result["server_cpu_s"] = _proc_cpu_s(harness.pid) - server0
    return result


def files_written(out: Path) -> dict[str, int]:
    """Bytes the rehearsal wrote: recordings, the journal, the scorecard and plan."""
    recordings = list((out / "recordings").rglob("*.jsonl")) if (out / "recordings").exists() else []
    sizes = {"recordings": sum(p.stat().st_size for p in recordings), "recording_files": len(recordings)}
    sizes["runs_jsonl"] = (out / "runs.jsonl").stat().st_size
    sizes["scorecard"] = sum(
        (out / name).stat().st_size for name in ("scorecard.json", "scorecard.md", "scorecard.html")
    )
    return sizes


def check_scorecard(out: Path, items: list[dict[str, Any]]) -> dict[str, Any]:
    """The run did what the script says: every item ran, none erred, as many correct as scripted."""
    data = json.loads((out / "scorecard.json").read_text(encoding="utf-8"))
    totals = data["configurations"][0]["totals"]["outcomes"]
    runs = data["throughput"]["runs"]
    if runs != len(items) or totals["error"] or totals["correct"] != expected_correct(items):
        raise AssertionError(f"measurement 8: the rehearsal did not score as scripted: {runs} runs, {totals}")
    return data["throughput"]


def one_rehearsal(
    kind: str, harness: Harness, paths: list[Path], items: list[dict[str, Any]], folder: Path
) -> dict[str, Any]:
    """One run of the command over every item, its files weighed and then removed."""
    out = folder / f"{kind}-out"
    config = {"dataset": [str(p) for p in paths], "out": str(out), "url": harness.url, "items": len(items)}
    result = measure_child(kind, config, folder, harness)
    result["throughput"] = check_scorecard(out, items)
    result["files"] = files_written(out)
    shutil.rmtree(out, ignore_errors=True)
    return result


def one_reader(how: str, harness: Harness, items: list[dict[str, Any]], folder: Path) -> dict[str, Any]:
    config = {"url": harness.url, "items": len(items), "items_data": items}
    return measure_child(how, config, folder, harness)


def run(quick: bool, progress: Callable[[str], None] = print, scale: float | None = None) -> dict[str, Any]:
    """The bare readers and the rehearsal over every item, one after the other against one server;
    then, on a tenth of the items, the rehearsal with and without its recordings, three times (what they cost).
    ``scale``: a share of ProcessBench's sizes (1: all 3,400 items; ``--quick``: 6 %, shorter replies)."""
    tokens = 250 if quick else TOKENS
    scale = scale or (0.06 if quick else 1.0)
    folder = Path(tempfile.mkdtemp(prefix="bench-rehearse-"))
    try:
        paths, items = write_dataset(folder / "all", scale, tokens)
        runs: dict[str, list[dict[str, Any]]] = {}
        with Harness(cpu=1) as harness:
            for kind in ("lines", "json", "rehearse"):
                runs[kind] = [_one(kind, harness, paths, items, folder, progress)]
            if not quick:
                tenth_paths, tenth = write_dataset(folder / "tenth", scale / 10, tokens)
                for _ in range(3):  # side by side, three times: their difference is small beside the noise
                    for kind in ("rehearse", "unrecorded"):
                        runs.setdefault(f"tenth/{kind}", []).append(
                            _one(kind, harness, tenth_paths, tenth, folder, progress)
                        )
        return summarise(runs, items)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _one(
    kind: str,
    harness: Harness,
    paths: list[Path],
    items: list[dict[str, Any]],
    folder: Path,
    progress: Callable[[str], None],
) -> dict[str, Any]:
    if kind in READERS:
        result = one_reader(kind, harness, items, folder)
    else:
        result = one_rehearsal(kind, harness, paths, items, folder)
    result["items"] = len(items)
    harness.report(clear=True)
    progress(_line(kind, result, len(items)))
    return result


def _line(kind: str, result: dict[str, Any], n: int) -> str:
    name = READER_NAMES.get(kind, "rehearse" if kind == "rehearse" else "rehearse, recordings off (bench only)")
    return (
        f"  {name:37s} {n:5,} items: {result['cpu_s'] / n * 1000:6.2f} ms CPU/item, "
        f"{n * 3600 / result['wall_s']:9,.0f} items/h, RSS {result['rss_start_mb']:.0f} → "
        f"{result['rss_peak_mb']:.0f} (peak) → {result['rss_end_mb']:.0f} MB, server CPU {result['server_cpu_s'] / n * 1000:.2f} ms/item"
    )


def _growth(result: dict[str, Any]) -> dict[str, float]:
    """RSS from the first sample (a tenth of the items done: warmed up) to the last, in all and per item."""
    samples = result["rss_samples"]
    if len(samples) < 2:
        return {"mb": float("nan"), "kb_per_item": float("nan")}
    (n0, rss0), (n1, rss1) = samples[0], samples[-1]
    return {"mb": rss1 - rss0, "kb_per_item": (rss1 - rss0) * 1024 / max(n1 - n0, 1)}


def summarise(runs: dict[str, list[dict[str, Any]]], items: list[dict[str, Any]]) -> dict[str, Any]:
    first = runs["rehearse"][0]["throughput"]
    tokens_per_item = first["generated_tokens"] / first["runs"]
    out: dict[str, Any] = {
        "items": len(items),
        "splits": {split: sum(1 for i in items if i["id"].startswith(split + "-")) for split, _ in SPLITS},
        "correct_items": sum(1 for i in items if i["label"] == -1),
        "parallel": PARALLEL,
        "tokens_per_item": tokens_per_item,
        "protocol": "OpenAI SSE (vLLM), reasoning in its own field",
        "wire_bytes_per_item": wire_bytes(round(tokens_per_item)),
        "kinds": {kind: _kind_summary(results, tokens_per_item) for kind, results in runs.items()},
    }
    kinds = out["kinds"]
    for how in READERS:
        pairs = zip(runs["rehearse"], runs[how], strict=False)
        kinds["rehearse"][f"ratio_to_{how}"] = summary([a["cpu_s"] / b["cpu_s"] for a, b in pairs])
    if "tenth/unrecorded" in runs:
        pairs = zip(runs["tenth/rehearse"], runs["tenth/unrecorded"], strict=False)
        out["recordings_share"] = summary([1 - b["cpu_s"] / a["cpu_s"] for a, b in pairs])
    return out


def _kind_summary(results: list[dict[str, Any]], tokens_per_item: float) -> dict[str, Any]:
    n = results[0]["items"]
    out: dict[str, Any] = {
        "items": n,
        "cpu_ms_per_item": summary([r["cpu_s"] / n * 1000 for r in results]),
        "cpu_ms_per_1k_tokens": summary([r["cpu_s"] / n * 1000 * 1000 / tokens_per_item for r in results]),
        "items_per_hour": summary([n * 3600 / r["wall_s"] for r in results]),
        "cpu_share": summary([r["cpu_s"] / r["wall_s"] for r in results]),
        "server_cpu_ms_per_item": summary([r["server_cpu_s"] / n * 1000 for r in results]),
        "rss_start_mb": summary([r["rss_start_mb"] for r in results]),
        "rss_peak_mb": summary([r["rss_peak_mb"] for r in results]),
        "rss_end_mb": summary([r["rss_end_mb"] for r in results]),
        "rss_growth_mb": summary([_growth(r)["mb"] for r in results]),
        "rss_growth_kb_per_item": summary([_growth(r)["kb_per_item"] for r in results]),
        "rss_samples": results[-1]["rss_samples"],
        "pinned_cpus": results[-1].get("pinned_cpus"),
    }
    if "files" in results[0]:
        files = results[0]["files"]
        out["files_bytes_per_item"] = {k: v / n for k, v in files.items() if k != "recording_files"}
        out["recording_files"] = files["recording_files"]
        out["scorecard_throughput"] = results[-1]["throughput"]
    return out


if __name__ == "__main__":
    main()
