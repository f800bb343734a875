"""Soak: 8 sessions streaming in a loop against ``python app.py`` for N minutes.

    python tests/soak.py --minutes 10

Not a pytest module (pytest collects only ``test_*.py``) and not in CI: it takes as
long as you ask. The app runs in its own process against a loopback model server that
streams each run over about two seconds. Each session submits run after run through
gradio_client (``job.result()``, never ``for out in job``); every 7th run it cancels
mid-stream and every 11th run the model server drops the connection mid-answer, so the
cleanup paths are soaked too. Every ``--interval`` seconds it prints the app's RSS,
open file descriptors and threads; at the end it compares the start with the end and
exits 1 if either grew beyond noise.

Cancelled runs use a fresh gradio_client each, i.e. a new Gradio session, as a new
browser tab would be. Gradio keeps a copy of the page config per session (about 60 KB
here) until ``launch(state_session_capacity=…)`` sessions exist (default 10,000, so
about 1 GB), which this soak shows as steady RSS growth unless the app lowers that cap.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.loopback import Close, ModelServer, Reply, ollama_chat_lines, paced  # noqa: E402
from tests.ui.test_load import App, new_client, open_fds, rss_mb  # noqa: E402

THINKING = [f"Checking step {i}. " for i in range(10)]
ANSWER = [f"Sentence {i} of the answer. " for i in range(10)]
FULL = ("".join(THINKING).strip(), "".join(ANSWER).strip())


def reply_for(request) -> Reply:
    """Scripted by the text the session sent: ``drop`` cuts the stream mid-answer."""
    lines = ollama_chat_lines(THINKING, ANSWER)
    if "drop" in str(request.json):
        return Reply(body=paced([*lines[:14], Close()], 0.1))
    return Reply(body=paced(lines, 0.1))


def threads_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return 0


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts = {"complete": 0, "cancelled": 0, "dropped_and_explained": 0, "wrong": 0}
        self.wrong: list[str] = []

    def add(self, key: str, detail: str = "") -> None:
        with self.lock:
            self.counts[key] += 1
            if key == "wrong" and len(self.wrong) < 5:
                self.wrong.append(detail[:300])


def session(number: int, url: str, until: float, tally: Tally) -> None:
    client = new_client(url)
    run = 0
    while time.monotonic() < until:
        run += 1
        if run % 7 == 0:
            # A client of its own: gradio_client's cancel can race with the same client's next
            # submit (seen once in ~2,600 runs as a CancelledError on the following run).
            job = new_client(url).submit(f"session {number} run {run}: x = y so 2 = 1", api_name="/debug")
            time.sleep(0.6)
            job.cancel()
            deadline = time.monotonic() + 10
            while not job.done() and time.monotonic() < deadline:
                time.sleep(0.05)
            tally.add("cancelled")
            continue
        drop = run % 11 == 0
        text = f"session {number} run {run}: {'drop' if drop else 'x = y'} so 2 = 1"
        try:
            reasoning, answer, status, *_ = client.submit(text, api_name="/debug").result(timeout=60)
        except Exception as error:  # noqa: BLE001 - counted, the soak goes on
            tally.add("wrong", f"{type(error).__name__}: {error}")
            continue
        if drop and status.startswith("❌") and "broke off" in status:
            tally.add("dropped_and_explained")
        elif not drop and status.startswith("✅") and (reasoning, answer) == FULL:
            tally.add("complete")
        else:
            tally.add("wrong", status)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--interval", type=float, default=30.0, help="seconds between samples")
    args = parser.parse_args()

    with ModelServer() as server:
        server.route("POST", "/api/chat", reply_for)
        app = App(server.url)
        pid = app.process.pid
        tally = Tally()
        try:
            began = time.monotonic()
            until = began + args.minutes * 60
            workers = [
                threading.Thread(target=session, args=(n, app.url, until, tally), daemon=True)
                for n in range(args.sessions)
            ]
            for worker in workers:
                worker.start()
            samples = []
            print(f"{'min':>6} {'RSS MB':>8} {'fds':>5} {'threads':>7}  runs", flush=True)
            while time.monotonic() < until:
                time.sleep(max(0.1, min(args.interval, until - time.monotonic())))
                if app.process.poll() is not None:
                    print("the app exited!", "".join(app.output)[-3000:])
                    return 1
                sample = ((time.monotonic() - began) / 60, rss_mb(pid), open_fds(pid), threads_of(pid))
                samples.append(sample)
                print(f"{sample[0]:6.1f} {sample[1]:8.1f} {sample[2]:5d} {sample[3]:7d}  {tally.counts}", flush=True)
            for worker in workers:
                worker.join(timeout=70)
        finally:
            app.stop()

    print(f"runs: {tally.counts}; hang-ups seen by the model server: {len(server.hangups)}")
    for detail in tally.wrong:
        print("  unexpected:", detail)
    if len(samples) < 4:
        print("too short to judge growth (need at least 4 samples)")
        return 0 if not tally.counts["wrong"] else 1
    # Skip the first sample (warm-up: imports, first connections), then compare thirds.
    steady = samples[1:]
    third = max(1, len(steady) // 3)
    start_rss = statistics.median(s[1] for s in steady[:third])
    end_rss = statistics.median(s[1] for s in steady[-third:])
    start_fds = statistics.median(s[2] for s in steady[:third])
    end_fds = statistics.median(s[2] for s in steady[-third:])
    rss_growth, fd_growth = end_rss - start_rss, end_fds - start_fds
    rss_ok = rss_growth <= max(20.0, 0.10 * start_rss)
    fds_ok = fd_growth <= 10
    print(
        f"RSS {start_rss:.1f} → {end_rss:.1f} MB ({rss_growth:+.1f} MB) {'ok' if rss_ok else 'GROWING'}; "
        f"fds {start_fds:.0f} → {end_fds:.0f} ({fd_growth:+.0f}) {'ok' if fds_ok else 'GROWING'}"
    )
    return 0 if rss_ok and fds_ok and not tally.counts["wrong"] else 1


if __name__ == "__main__":
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    raise SystemExit(main())
