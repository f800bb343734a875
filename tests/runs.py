"""Helpers for driving a real :class:`DebugRun` against the loopback servers.

Nothing here stands in for the library: runs go through settings, prompt builder,
backend, splitter and run state exactly as the CLI and the UI drive them.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from magistral_debugger.engine.run import DebugRun, Ended, live_snapshots
from magistral_debugger.engine.state import RunState
from magistral_debugger.events import Answer, Reasoning
from magistral_debugger.settings import Settings
from tests.loopback import ModelServer, Sleep

REPO = Path(__file__).resolve().parent.parent


def stop_process(process: subprocess.Popen, timeout: float = 15) -> None:
    """Ask a child to end (SIGTERM: the app shuts down cleanly), and kill it if it will not."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def child_env(**variables: str) -> dict[str, str]:
    """The environment for a process of ours (the CLI, ``app.py``): this one's without the
    machine's own MAGISTRAL_* settings, with the package importable and output unbuffered."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAGISTRAL_") and k != "MISTRAL_API_KEY"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    env.update(variables)
    return env


def run_cli(
    args: list[str], env: dict[str, str], cwd: Path, stdin: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """``python -m magistral_debugger ARGS``, in ``cwd`` (an empty folder: no developer's .env)."""
    feed: dict[str, Any] = {"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}
    return subprocess.run(
        [sys.executable, "-m", "magistral_debugger", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        timeout=timeout,
        **feed,
    )


FLAWED = "Assume x = y. Then x² = xy, so x² − y² = xy − y², (x + y)(x − y) = y(x − y), x + y = y, 2y = y, 2 = 1."
# Long enough that a run which fails to hang up would still be running when the test ends.
SILENCE = 10.0


def backend_url(server: ModelServer | str, backend: str) -> dict[str, str]:
    """The setting that points ``backend`` at a loopback server, or at a root URL where
    something else (or nothing) listens."""
    root = server if isinstance(server, str) else server.url
    if backend == "mistral":
        return {"mistral_base_url": root + "/v1"}
    return {"ollama_url": root} if backend == "ollama" else {"openai_base_url": root + "/v1"}


def settings_for(server: ModelServer | str, backend: str = "ollama", **overrides: Any) -> Settings:
    return Settings(
        _env_file=None, backend=backend, **{"connect_timeout": 2.0, **backend_url(server, backend), **overrides}
    )


def run_to_end(settings: Settings, text: str = FLAWED) -> tuple[list, RunState]:
    async def collect() -> list:
        return [event async for event in DebugRun(settings, text).events()]

    events = asyncio.run(asyncio.wait_for(collect(), 30))
    assert isinstance(events[-1], Ended), events[-1]
    return events, events[-1].state


async def _first_text_event(events) -> object:
    async for event in events:
        if isinstance(event, (Reasoning, Answer)):
            return event
    raise AssertionError("the stream ended before any text arrived")


def _hangup_seen(server: ModelServer) -> float | None:
    """Waits for the server to see the hang-up while *blocking* the event loop: only a
    connection closed by the time stop returned counts, not one that a garbage-collection
    finalizer or loop shutdown would close later (or never, for a stuck reader)."""
    return server.wait_for_hangup(5.0)


def stop_mid_stream_by_aclose(settings: Settings, server: ModelServer) -> tuple[RunState, float | None]:
    """The consumer reads the first piece of text, then stops iterating (what the CLI's
    ``async for`` and Gradio do when a person presses Stop between tokens)."""

    async def go() -> tuple[RunState, float | None]:
        run = DebugRun(settings, FLAWED)
        events = run.events()
        await _first_text_event(events)
        await events.aclose()
        return run.state, _hangup_seen(server)

    return asyncio.run(asyncio.wait_for(go(), 30))


def stop_mid_stream_by_cancel(settings: Settings, server: ModelServer) -> tuple[RunState, float | None]:
    """The task consuming the run is cancelled while it waits for the next token."""

    async def go() -> tuple[RunState, float | None]:
        run = DebugRun(settings, FLAWED)
        got_text = asyncio.Event()

        async def consume() -> None:
            async for event in run.events():
                if isinstance(event, (Reasoning, Answer)):
                    got_text.set()

        task = asyncio.create_task(consume())
        await asyncio.wait_for(got_text.wait(), 10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return run.state, _hangup_seen(server)

    return asyncio.run(asyncio.wait_for(go(), 30))


def stop_while_silent_by_cancel(
    settings: Settings, server: ModelServer, chat_path: str
) -> tuple[RunState, float | None]:
    """The server has the request but has sent no token (model loading, long prefill);
    the task reading the silent socket is cancelled."""

    async def go() -> tuple[RunState, float | None]:
        run = DebugRun(settings, FLAWED)

        async def consume() -> None:
            async for _ in run.events():
                pass

        task = asyncio.create_task(consume())
        await asyncio.to_thread(server.wait_for_request, chat_path, 10)
        await asyncio.sleep(0.1)  # let the client settle into reading the silent stream
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return run.state, _hangup_seen(server)

    return asyncio.run(asyncio.wait_for(go(), 30))


def stop_while_silent_by_closing_snapshots(
    settings: Settings, server: ModelServer, chat_path: str
) -> tuple[RunState, float | None]:
    """The UI's path: live snapshots keep ticking while the server is silent, and the
    consumer closes them (Gradio closes the generator when a person presses Stop)."""

    async def go() -> tuple[RunState, float | None]:
        run = DebugRun(settings, FLAWED)
        snapshots = live_snapshots(run, interval=0.02)
        request_seen = asyncio.create_task(asyncio.to_thread(server.wait_for_request, chat_path, 10))
        async for state in snapshots:
            assert state.reasoning == "" and state.answer == ""
            if request_seen.done():
                break
        await snapshots.aclose()
        await request_seen
        return run.state, _hangup_seen(server)

    return asyncio.run(asyncio.wait_for(go(), 30))


def silent_then(lines: list[bytes]) -> list:
    """A reply whose first token comes only after a long silence."""
    return [Sleep(SILENCE), *lines]


def stalled_after_first(lines: list[bytes]) -> list:
    """A reply that sends one piece, then goes quiet for long."""
    return [lines[0], Sleep(SILENCE), *lines[1:]]


def cut_bytes(lines: list[bytes], every: int) -> list[bytes]:
    """Re-cut a reply into pieces of ``every`` bytes, ignoring line and UTF-8 boundaries,
    as TCP may deliver it."""
    raw = b"".join(lines)
    return [raw[i : i + every] for i in range(0, len(raw), every)]
