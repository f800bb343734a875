"""Measurements 3–7: the real app (``python app.py`` in a subprocess) driven by gradio_client.

Clients reach the app through the harness's wiretap, which timestamps every byte the
app sends back: latency is measured from the model server writing a token to the
token's update arriving on the client's connection (gradio_client's own 50 ms polling
is not counted), and bytes per token are the bytes of the run's messages on the
``/queue/data`` stream, HTTP chunk framing included. App CPU and RSS come from
``/proc/PID/stat`` and ``/proc/PID/status``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from . import tokens as tk
from .gradio_wire import API_OUTPUTS, PAGE_OUTPUTS, pane_updates
from .harness import Harness, _project_root
from .page_client import PageClient
from .stats import percentile, summary

ON_TIME = 0.300  # a token is on time if the client has it within 300 ms of the server writing it
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppProcess:
    """``python app.py`` (or another script) in a subprocess, from a clean directory (no .env)."""

    def __init__(self, env: dict[str, str], argv: list[str] | None = None) -> None:
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="bench-app-")
        root = _project_root()
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("MAGISTRAL_")}
        full_env.update(
            PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
            GRADIO_ANALYTICS_ENABLED="False",
            MAGISTRAL_PORT=str(self.port),
            MAGISTRAL_HOST="127.0.0.1",
            **env,
        )
        self.log = open(os.path.join(self.dir, "app.log"), "wb")
        argv = argv or [sys.executable, os.path.join(root, "app.py")]
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [a.replace("{port}", str(self.port)) for a in argv],
            cwd=self.dir,
            env=full_env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.pid = self.process.pid
        self.url = f"http://127.0.0.1:{self.port}/"

    def wait_until_served(self, timeout: float = 120.0) -> float:
        """Seconds from process start until ``GET /`` answers the page."""
        deadline = self.started + timeout
        with httpx.Client(timeout=2.0) as http:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the app exited with {self.process.returncode}; see {self.log.name}")
                try:
                    response = http.get(self.url)
                    if response.status_code == 200 and b"<html" in response.content[:2000].lower():
                        return time.monotonic() - self.started
                except httpx.HTTPError:
                    pass
                time.sleep(0.02)
        raise TimeoutError(f"the app did not serve its page within {timeout} s; see {self.log.name}")

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def rss_mb(self) -> float:
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class Sampler:
    """Max RSS of the app while a block runs, sampled every 0.2 s."""

    def __init__(self, app: AppProcess) -> None:
        self.app = app
        self.max_rss = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(OSError, ValueError):
                self.max_rss = max(self.max_rss, self.app.rss_mb())
            self._stop.wait(0.2)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()


def make_clients(url: str, n: int) -> list[Any]:
    from gradio_client import Client

    with ThreadPoolExecutor(max_workers=8) as pool:
        # A browser waits for its join request as long as it takes; gradio_client's default gives
        # up after 5 s, which a class of 128 joining at once on a busy 2-core machine can exceed.
        return list(pool.map(lambda _: Client(url, verbose=False, httpx_kwargs={"timeout": 60}), range(n)))


def make_page_clients(url: str, n: int, pool: ThreadPoolExecutor) -> list[PageClient]:
    """Browser tabs on the page; ``pool`` must have a thread per tab (each reads its stream)."""
    with ThreadPoolExecutor(max_workers=8) as joining:
        return list(joining.map(lambda _: PageClient(url, pool), range(n)))


# --- reading one run off the wire ------------------------------------------------------------


def run_on_wire(
    report: dict[str, Any], session_hash: str, sid: str, outputs: tuple[slice, int] = API_OUTPUTS
) -> dict[str, Any]:
    """What one client received for one run, matched with what the model server wrote."""
    record = report["sessions"].get(sid)
    if record is None:
        return {"error": "the model server never saw this run"}
    messages = []
    for conn in report["taps"]:
        if session_hash in conn["request"]:
            messages += conn.get("messages", [])
    # Only this run's event: the one whose messages carry our tokens.
    by_event: dict[str, list] = {}
    for message in messages:
        event_id = message["msg"].get("event_id")
        if event_id:
            by_event.setdefault(event_id, []).append(message)
    count = record["tokens"]
    tokens = tk.stream(count, record["form"])
    index = tk.PaneIndex(tokens)
    best = None
    for event_messages in by_event.values():
        updates = pane_updates(event_messages, outputs)
        if updates and (best is None or len(updates[-1][2]) > len(best[1][-1][2])):
            best = (event_messages, updates)
    if best is None:
        return {"error": "no update reached the client", "record": record}
    event_messages, updates = best
    emits = record["emits"] or []
    latencies: list[float] = []
    shown = {"reasoning": 0, "answer": 0}
    update_times = []
    for t, _kind, reasoning, answer in updates:
        grew = False
        for pane, text in (("reasoning", reasoning), ("answer", answer)):
            now_shown = index.shown(pane, len(text))
            for k in range(shown[pane], now_shown):
                token_id = index.token_ids[pane][k]
                if token_id < len(emits):
                    latencies.append(t - emits[token_id])
            grew |= now_shown > shown[pane]
            shown[pane] = max(shown[pane], now_shown)
        if grew:
            update_times.append(t)
    visible_tokens = len(index.token_ids["reasoning"]) + len(index.token_ids["answer"])
    gaps = [b - a for a, b in zip(update_times, update_times[1:], strict=False)]
    queued_rank = max(
        (m["msg"].get("rank") or 0 for m in event_messages if m["msg"].get("msg") == "estimation"), default=0
    )
    # Time in Gradio's queue: from the first message about this event to "process_starts".
    starts = [m["t"] for m in event_messages if m["msg"].get("msg") == "process_starts"]
    queue_wait = (starts[0] - event_messages[0]["t"]) if starts else float("nan")
    return {
        "tokens": visible_tokens,
        "delivered": len(latencies),
        "latencies": latencies,
        "gaps": gaps,
        "wire_bytes": sum(m["wire"] for m in event_messages),
        "messages": len(event_messages),
        "max_rank": queued_rank,
        "queue_wait": queue_wait,
        "record": {k: v for k, v in record.items() if k != "emits"},
        "model_wire_bytes_per_token": None,
    }


def model_bytes_per_token(protocol: str, form: str, count: int) -> float:
    frames = tk.frames(protocol, tk.stream(count, form), form)
    return sum(len(tk.chunked(f)) for f in frames) / count


# --- measurement 3: through Gradio -------------------------------------------------------------


async def _snapshots_latency(url: str, rate: float, count: int, sid: str) -> list[float]:
    """Baseline: our run loop and its 80 ms coalescing in-process, no Gradio."""
    from magistral_debugger.engine.run import DebugRun, live_snapshots
    from magistral_debugger.settings import Settings

    run = DebugRun(Settings(_env_file=None, ollama_url=url), tk.marker(id=sid, form="field", tokens=count, rate=rate))
    seen_times: list[tuple[float, int]] = []
    async for state in live_snapshots(run):
        seen_times.append((time.monotonic(), state.reasoning_chunks + state.answer_chunks))
    return seen_times


def through_gradio(
    app: AppProcess, harness: Harness, client: Any, quick: bool, pipeline: dict | None, progress: Callable[[str], None]
) -> dict[str, Any]:
    reps = 1 if quick else 3
    plans = [(50, 50 if quick else 300), (1000, 1000 if quick else 6000)]
    out: dict[str, Any] = {}
    for rate, count in plans:
        p50s, p95s, bytes_per_token, cpu_per_token, base_p50, base_p95, gaps95, base_cpu = (
            [],
            [],
            [],
            [],
            [],
            [],
            [],
            [],
        )
        for rep in range(reps):
            sid = f"m3-{rate}-{rep}"
            since = time.monotonic()
            cpu0 = app.cpu_seconds()
            job = client.submit(tk.marker(id=sid, form="field", tokens=count, rate=rate), api_name="/debug")
            job.result(timeout=count / rate + 60)
            time.sleep(0.1)
            cpu1 = app.cpu_seconds()
            wire = run_on_wire(harness.report(since=since), client.session_hash, sid)
            if "error" in wire:
                raise RuntimeError(f"measurement 3 at {rate} tokens/s: {wire['error']}")
            p50s.append(percentile(wire["latencies"], 50))
            p95s.append(percentile(wire["latencies"], 95))
            gaps95.append(percentile(wire["gaps"], 95))
            bytes_per_token.append(wire["wire_bytes"] / wire["tokens"])
            cpu_per_token.append((cpu1 - cpu0) / wire["tokens"])
            # Baseline: the same stream into our run loop in-process (emission → snapshot).
            bid = f"m3b-{rate}-{rep}"
            own0 = os.times()
            base_count = max(count // 2, 50)  # half as long: the baseline is steadier than the app
            seen = asyncio.run(_snapshots_latency(harness.url, rate, base_count, bid))
            own1 = os.times()
            base_cpu.append(((own1.user + own1.system) - (own0.user + own0.system)) / base_count)
            record = harness.report(since=time.monotonic())["sessions"][bid]
            lat = []
            got = 0
            for t, n in seen:
                for k in range(got, min(n, len(record["emits"]))):
                    lat.append(t - record["emits"][k])
                got = max(got, n)
            base_p50.append(percentile(lat, 50))
            base_p95.append(percentile(lat, 95))
        model_bpt = model_bytes_per_token("ollama", "field", count)
        path_cost = None
        if pipeline:
            path = pipeline["path"].get(f"ollama/field/{pipeline['sizes'][0]}")
            if path:
                path_cost = 1 / path["tokens_per_s"]["median"]
        out[str(rate)] = {
            "tokens": count,
            "p50_ms": summary([x * 1000 for x in p50s]),
            "p95_ms": summary([x * 1000 for x in p95s]),
            "baseline_p50_ms": summary([x * 1000 for x in base_p50]),
            "baseline_p95_ms": summary([x * 1000 for x in base_p95]),
            "update_gap_p95_ms": summary([x * 1000 for x in gaps95]),
            "bytes_per_token": summary(bytes_per_token),
            "model_server_bytes_per_token": model_bpt,
            "app_cpu_us_per_token": summary([x * 1e6 for x in cpu_per_token]),
            "pipeline_us_per_token": None if path_cost is None else path_cost * 1e6,
            "in_process_cpu_us_per_token": summary([x * 1e6 for x in base_cpu]),
        }
        progress(
            f"  through Gradio at {rate} tokens/s: p50 {statistics.median(p50s) * 1000:.0f} ms, p95 "
            f"{statistics.median(p95s) * 1000:.0f} ms (in-process {statistics.median(base_p95) * 1000:.0f} ms), "
            f"{statistics.median(bytes_per_token):.1f} B/token, {statistics.median(cpu_per_token) * 1e6:.0f} µs CPU/token"
        )
    return out


# --- measurement 4: a class at once ---------------------------------------------------------


def a_class(
    app: AppProcess,
    harness: Harness,
    clients: list[Any],
    quick: bool,
    progress: Callable[[str], None],
    sizes: tuple[int, ...] | None = None,
    count: int | None = None,
) -> dict[str, Any]:
    """A class pressing Debug at once: ``clients`` are gradio_client Clients on the debug API,
    or PageClients on the page's own event."""
    sizes = sizes or ((1, 4) if quick else (1, 8, 32, 64))
    count, rate = count or (100 if quick else 2000), 50
    on_page = isinstance(clients[0], PageClient)
    outputs = PAGE_OUTPUTS if on_page else API_OUTPUTS
    out: dict[str, Any] = {}
    for n in sizes:
        chosen = clients[:n]
        since = time.monotonic()
        cpu0 = app.cpu_seconds()
        own0 = os.times()
        submitted = {}
        jobs = []
        with Sampler(app) as sampler:
            for i, client in enumerate(chosen):
                sid = f"m4-{n}-{i}"
                submitted[sid] = time.monotonic()
                text = tk.marker(id=sid, form="field", tokens=count, rate=rate)
                jobs.append(client.submit(text) if on_page else client.submit(text, api_name="/debug"))
            for job in jobs:
                job.result(timeout=count / rate * 4 + 120)
            time.sleep(0.1)
        cpu1 = app.cpu_seconds()
        own1 = os.times()
        elapsed = time.monotonic() - since
        report = harness.report(since=since)
        parsed_at = time.monotonic()
        on_time = total = 0
        gap95s, waits, starts, ranks, p95s, per_session = [], [], [], [], [], []
        for i, client in enumerate(chosen):
            sid = f"m4-{n}-{i}"
            wire = run_on_wire(report, client.session_hash, sid, outputs)
            if "error" in wire:
                raise RuntimeError(f"measurement 4, N={n}, session {i}: {wire['error']}")
            total += wire["tokens"]
            session_on_time = sum(1 for x in wire["latencies"] if x <= ON_TIME)
            on_time += session_on_time
            per_session.append(
                {
                    "on_time": session_on_time / max(wire["tokens"], 1),
                    "delivered": wire["delivered"],
                    "latency_p95_ms": percentile(wire["latencies"], 95) * 1000,
                    "latency_max_ms": max(wire["latencies"], default=float("nan")) * 1000,
                    "start_delay_s": wire["record"]["t_request"] - submitted[sid],
                    "t_request": wire["record"]["t_request"] - since,
                    "t_end": (wire["record"]["t_end"] or since) - since,
                }
            )
            gap95s.append(percentile(wire["gaps"], 95))
            p95s.append(percentile(wire["latencies"], 95))
            starts.append(wire["record"]["t_request"] - submitted[sid])
            waits.append(wire["queue_wait"])
            ranks.append(wire["max_rank"])
        # Held behind a limit: the model server saw this run only after another run of the class had ended.
        first_end = min(
            (r["t_end"] for r in report["sessions"].values() if r["id"].startswith(f"m4-{n}-") and r["t_end"]),
            default=float("inf"),
        )
        queued = sum(1 for i in range(n) if report["sessions"][f"m4-{n}-{i}"]["t_request"] > first_end)
        out[str(n)] = {
            "sessions": n,
            "tokens_per_session": count,
            "rate": rate,
            "on_time_share": on_time / total if total else float("nan"),
            "gap_p95_ms": summary([g * 1000 for g in gap95s]),
            "latency_p95_ms": summary([x * 1000 for x in p95s]),
            "queue_wait_s": summary(waits),
            "start_delay_s": summary(starts),
            "queued_sessions": queued,
            "max_rank": max(ranks),
            "app_rss_mb": sampler.max_rss,
            "app_cpu_share": (cpu1 - cpu0) / elapsed,
            "app_cpu_us_per_token": (cpu1 - cpu0) / max(total, 1) * 1e6,
            "bench_cpu_share": ((own1.user + own1.system) - (own0.user + own0.system)) / elapsed,
            "per_session": per_session,
        }
        o = out[str(n)]
        progress(
            f"  a class of {n:2d}: {o['on_time_share']:.1%} on time, p95 gap {o['gap_p95_ms']['median']:.0f} ms "
            f"(worst {o['gap_p95_ms']['max']:.0f}), queued {queued}, RSS {sampler.max_rss:.0f} MB, "
            f"app CPU {o['app_cpu_share']:.0%}, bench clients CPU {o['bench_cpu_share']:.0%} "
            f"[{elapsed:.0f} s streaming, {parsed_at - since - elapsed:.1f} s report]"
        )
    return out


# --- measurement 7: a bigger class, the update interval adapting or fixed ----------------------


def adaptive_vs_fixed(quick: bool, progress: Callable[[str], None]) -> dict[str, Any]:
    """One session, then a class of 128, on an app whose update interval adapts to the load
    (the default) and on one fixed at today's 80 ms; each app is its own process. The class
    presses the page's Debug, as browsers do (the debug API's cheaper updates are measurement 4)."""
    biggest, count = (4, 100) if quick else (128, 2000)
    out: dict[str, Any] = {}
    for interval in ("adaptive", "0.08"):
        progress(f"  MAGISTRAL_UPDATE_INTERVAL={interval}")
        with Harness() as harness:
            app = AppProcess(
                {
                    "MAGISTRAL_OLLAMA_URL": harness.url,
                    "MAGISTRAL_UPDATE_INTERVAL": interval,
                    "MAGISTRAL_CONCURRENCY_LIMIT": str(biggest),
                    "MAGISTRAL_QUEUE_MAX_SIZE": str(biggest * 2),
                }
            )
            try:
                app.wait_until_served()
                with ThreadPoolExecutor(max_workers=biggest) as tabs:
                    clients = make_page_clients(f"http://127.0.0.1:{harness.tap(app.port)}/", biggest, tabs)
                    out[interval] = a_class(app, harness, clients, quick, progress, sizes=(1, biggest), count=count)
                    for client in clients:
                        client.close()
            finally:
                app.close()
    return out


# --- measurement 5: stop ---------------------------------------------------------------------


def _wait_for(predicate: Callable[[], Any], timeout: float, step: float = 0.005) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


async def _direct_stop(harness: Harness, protocol: str, mode: str, sid: str) -> float | None:
    """Baseline: cancel our run loop in-process, as Gradio cancels the task running it."""
    from magistral_debugger.engine.run import DebugRun, live_snapshots
    from magistral_debugger.settings import Settings

    settings = Settings(_env_file=None, backend=protocol, ollama_url=harness.url, openai_base_url=harness.url + "/v1")
    run = DebugRun(settings, _stop_marker(sid, mode))

    async def consume() -> None:
        async for _ in live_snapshots(run):
            pass

    task = asyncio.create_task(consume())
    async with httpx.AsyncClient(timeout=5) as http:

        async def session() -> dict | None:
            return (await http.get(f"{harness.url}/_bench/session", params={"id": sid})).json()

        record = None
        for _ in range(2000):
            record = await session()
            if record and (record["t_first"] if mode == "flowing" else record["t_request"]):
                break
            await asyncio.sleep(0.005)
        await asyncio.sleep(0.5)
        cancelled_at = time.monotonic()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        for _ in range(1000):
            record = await session()
            if record and record["hangup"]:
                return record["hangup"] - cancelled_at
            await asyncio.sleep(0.005)
    return None


def _stop_marker(sid: str, mode: str) -> str:
    if mode == "flowing":
        return tk.marker(id=sid, form="field", tokens=100000, rate=50)
    return tk.marker(id=sid, form="field", tokens=10, rate=50, pause=10)


def stop(
    app: AppProcess, harness: Harness, client: Any, quick: bool, progress: Callable[[str], None]
) -> dict[str, Any]:
    reps = 1 if quick else 5
    protocols = ("ollama",) if quick else ("ollama", "openai")
    out: dict[str, Any] = {}
    for protocol in protocols:
        for mode in ("flowing", "silent"):
            from_cancel, from_wire, direct = [], [], []
            for rep in range(reps):
                sid = f"m5-{protocol}-{mode}-{rep}"
                kwargs = {} if protocol == "ollama" else {"backend": "openai", "url": harness.url + "/v1"}
                job = client.submit(_stop_marker(sid, mode), api_name="/debug", **kwargs)
                key = "t_first" if mode == "flowing" else "t_request"
                if not _wait_for(lambda sid=sid, key=key: (harness.session(sid) or {}).get(key), 30):
                    raise RuntimeError(f"measurement 5: the model server never saw {sid}")
                time.sleep(0.5)
                cancelled_at = time.monotonic()
                job.cancel()
                record = _wait_for(lambda sid=sid: (r := harness.session(sid)) and r.get("hangup") and r, 10)
                report = harness.report(since=cancelled_at)
                if not record:
                    from_cancel.append(float("inf"))
                    continue
                from_cancel.append(record["hangup"] - cancelled_at)
                resets = [
                    c["t_request"]
                    for c in report["taps"]
                    if c["t_request"]
                    and c["t_request"] >= cancelled_at
                    and ("/reset" in c["request"] or "/cancel" in c["request"])
                ]
                if resets:
                    from_wire.append(record["hangup"] - min(resets))
                with contextlib.suppress(Exception):
                    job.result(timeout=5)
                direct.append(asyncio.run(_direct_stop(harness, protocol, mode, f"{sid}-direct")))
            entry = {
                "from_cancel_ms": summary([x * 1000 for x in from_cancel]),
                "from_cancel_p95_ms": percentile([x * 1000 for x in from_cancel], 95),
                "from_wire_ms": summary([x * 1000 for x in from_wire]),
                "from_wire_p95_ms": percentile([x * 1000 for x in from_wire], 95) if from_wire else None,
                "direct_ms": summary([x * 1000 for x in direct if x is not None]),
                "direct_p95_ms": percentile([x * 1000 for x in direct if x is not None], 95),
                "missed": sum(1 for x in from_cancel if x == float("inf")) + sum(1 for x in direct if x is None),
            }
            out[f"{protocol}/{mode}"] = entry
            progress(
                f"  stop {protocol:6s} {mode:7s}: p50 {entry['from_cancel_ms']['median']:.0f} ms, p95 "
                f"{entry['from_cancel_p95_ms']:.0f} ms from job.cancel() (in-process {entry['direct_ms']['median']:.0f} ms)"
            )
    return out


# --- measurement 6: cold start ----------------------------------------------------------------


def cold_start(quick: bool, progress: Callable[[str], None]) -> dict[str, Any]:
    reps = 1 if quick else 3
    dead = free_port()  # nothing listens here: the backend is down
    ours, minimal = [], []
    for _ in range(reps):
        app = AppProcess(
            {
                "MAGISTRAL_OLLAMA_URL": f"http://127.0.0.1:{dead}",
                "MAGISTRAL_OPENAI_BASE_URL": f"http://127.0.0.1:{dead}/v1",
            }
        )
        try:
            ours.append(app.wait_until_served())
        finally:
            app.close()
        base = AppProcess({}, argv=[sys.executable, "-m", "bench.minimal_app", "{port}"])
        try:
            minimal.append(base.wait_until_served())
        finally:
            base.close()
        progress(f"  cold start: app {ours[-1]:.2f} s, minimal Gradio app {minimal[-1]:.2f} s")
    return {
        "app_s": summary(ours),
        "minimal_gradio_s": summary(minimal),
        "ratio": summary([a / b for a, b in zip(ours, minimal, strict=False)]),
    }


# --- all of it ---------------------------------------------------------------------------------


def run(
    quick: bool,
    pipeline: dict | None,
    progress: Callable[[str], None] = print,
    only: set[int] = frozenset({3, 4, 5, 6, 7}),
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if 6 in only:
        progress("6. cold start")
        out["cold_start"] = cold_start(quick, progress)
    if 7 in only:
        progress("7. a class of 128, update interval adaptive vs fixed at 80 ms")
        out["interval"] = adaptive_vs_fixed(quick, progress)
    if not only & {3, 4, 5}:
        return out
    biggest = 4 if quick else 64
    with Harness() as harness:
        app = AppProcess(
            {
                "MAGISTRAL_OLLAMA_URL": harness.url,
                "MAGISTRAL_OPENAI_BASE_URL": harness.url + "/v1",
                # A class of 64 at once: let every run start (the default limit is 16).
                "MAGISTRAL_CONCURRENCY_LIMIT": str(biggest),
                "MAGISTRAL_QUEUE_MAX_SIZE": str(biggest * 2),
            }
        )
        try:
            app.wait_until_served()
            tap_port = harness.tap(app.port)
            url = f"http://127.0.0.1:{tap_port}/"
            out["app_settings"] = {"concurrency_limit": biggest, "queue_max_size": biggest * 2}
            clients = make_clients(url, biggest if 4 in only else 1)
            out["idle_rss_mb"] = app.rss_mb()
            if 3 in only:
                progress("3. through Gradio")
                out["gradio"] = through_gradio(app, harness, clients[0], quick, pipeline, progress)
                harness.report(clear=True, since=time.monotonic())
            if 4 in only:
                progress("4. a class at once")
                out["class"] = a_class(app, harness, clients, quick, progress)
                harness.report(clear=True, since=time.monotonic())
            if 5 in only:
                progress("5. stop")
                out["stop"] = stop(app, harness, clients[0], quick, progress)
            for client in clients:
                with contextlib.suppress(Exception):
                    client.close()
        finally:
            app.close()
    return out
