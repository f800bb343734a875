"""Record a run against a loopback server, then replay it through the same pipeline:
the same reasoning, answer and ending, at the recorded pace (or ×2, ×4, instantly);
Stop ends a replay; a damaged file gets a message naming the file and the line.

A replay's pacing is checked on a virtual clock (tests/virtual_clock.py): each event must
come exactly when the recording says, divided by the speed; no wall-clock time is measured.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from magistral_debugger.backends import (
    BackendError,
    RecordingBackend,
    ReplayBackend,
    check_health,
    make_backend,
    read_recording,
)
from magistral_debugger.cli import main as cli_main
from magistral_debugger.engine.run import DebugRun, Ended, live_snapshots
from magistral_debugger.events import Answer, AnswerWasReasoning, Reasoning
from magistral_debugger.settings import Settings
from tests.loopback import (
    Close,
    ModelServer,
    Reply,
    Sleep,
    chat_path,
    chat_stream,
    ollama_chat_lines,
    paced,
)
from tests.runs import FLAWED, settings_for
from tests.virtual_clock import run_on_virtual_clock

THINKING = ["Step 5 divides ", "by x − y, ", "which is 0 ", "since x = y."]
ANSWER = ["**Step 5** divides ", "by zero: ", "x − y = 0, ", "so 2 = 1 does not follow."]
PACE = 0.06  # seconds between pieces: a run of about half a second


def paced_reply(backend: str, pace: float = PACE) -> Reply:
    return Reply(body=paced(chat_stream(backend, THINKING, ANSWER), pace))


def collect(run: DebugRun) -> list:
    async def go() -> list:
        return [event async for event in run.events()]

    return asyncio.run(asyncio.wait_for(go(), 30))


def record(srv: ModelServer, directory: Path, backend: str = "ollama", reply: Reply | None = None, **overrides):
    """A live run with MAGISTRAL_RECORD_DIR set; returns the run, its events and the recording."""
    srv.route("POST", chat_path(backend), reply or paced_reply(backend))
    settings = settings_for(srv, backend, record_dir=str(directory), **overrides)
    run = DebugRun(settings, FLAWED)
    assert isinstance(run.backend, RecordingBackend)
    events = collect(run)
    assert run.backend.path is not None and run.backend.path.parent == directory
    return run, events, run.backend.path


def replay_settings(path: Path, speed: str | float = 1.0, **overrides) -> Settings:
    return Settings(_env_file=None, backend="replay", replay_file=str(path), replay_speed=speed, **overrides)


def text_events(events: list) -> list:
    return [e for e in events if isinstance(e, (Reasoning, Answer, AnswerWasReasoning))]


def timed_stream(backend: ReplayBackend) -> list[float]:
    """When each event of a replay arrives, in seconds since the stream was opened, on a
    virtual clock: the times the replay waited for, not how long the machine took."""
    request = backend.recording().request  # read here: the stream then waits on nothing but its clock

    async def go() -> list[float]:
        loop = asyncio.get_running_loop()
        start = loop.time()
        return [loop.time() - start async for _ in backend.stream(request)]

    return run_on_virtual_clock(go())


def lines_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- what a recording holds ---------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["ollama", "openai"])
def test_a_recording_is_a_header_then_one_line_per_stream_event_then_an_end_line(srv, tmp_path, backend):
    run, _, path = record(srv, tmp_path, backend, temperature=0.3, top_p=0.9, max_tokens=2048)
    assert path.suffix == ".jsonl"
    header, *events, end = lines_of(path)

    assert header["type"] == "header"
    assert (header["format"], header["version"]) == ("magistral-debugger-recording", 1)
    assert header["recorded_at"][:4].isdigit() and "T" in header["recorded_at"]
    assert header["model"] == run.state.model
    assert header["backend"] == {"kind": backend, "url": run.backend.url}
    # reasoning_effort: the level sent (None: the default magistral takes none)
    assert header["request"] == {"temperature": 0.3, "top_p": 0.9, "max_tokens": 2048, "reasoning_effort": None}
    assert header["settings"]["temperature"] == 0.3 and header["settings"]["backend"] == backend
    assert header["argument"] == FLAWED
    assert header["messages"] == run.request.messages  # what the prompt builder made, exactly

    kinds = [line["type"] for line in events]
    assert kinds == ["reasoning"] * 4 + ["content"] * 4 + ["usage", "finished"]
    assert "".join(line["text"] for line in events if line["type"] == "reasoning") == "".join(THINKING)
    assert "".join(line["text"] for line in events if line["type"] == "content") == "".join(ANSWER)
    times = [line["t"] for line in [*events, end]]
    assert times == sorted(times) and times[0] > 0
    # the server paced the pieces: the recorded offsets span at least that much
    assert times[-1] - times[0] >= PACE * (len(THINKING) + len(ANSWER) - 1) * 0.9
    assert end == {"t": end["t"], "type": "end", "outcome": "finished"}


def test_each_run_gets_its_own_file_named_by_time_and_model(srv, tmp_path):
    _, _, first = record(srv, tmp_path)
    _, _, second = record(srv, tmp_path)
    assert first != second
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first.name, second.name])
    assert "-magistral-" in first.name and first.name[:8].isdigit()


def test_without_a_record_dir_nothing_is_wrapped_or_written(srv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    backend = make_backend(settings_for(srv))
    assert not isinstance(backend, RecordingBackend)
    assert list(tmp_path.iterdir()) == []


def test_a_record_dir_that_cannot_be_written_leaves_the_run_alone_and_says_so(srv, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    run, events, _ = record(srv, blocker / "runs")
    assert run.state.ok and run.state.answer == "".join(ANSWER)
    assert any("not being recorded" in note and str(blocker) in note for note in run.state.notices)


def test_a_run_stopped_while_recording_ends_its_file_as_cancelled(srv, tmp_path):
    srv.route("POST", "/api/chat", Reply(body=[*ollama_chat_lines(THINKING, ANSWER)[:2], Sleep(10)]))
    run = DebugRun(settings_for(srv, record_dir=str(tmp_path)), FLAWED)

    async def stop_after_first_text() -> None:
        events = run.events()
        async for event in events:
            if isinstance(event, Reasoning):
                break
        await events.aclose()

    asyncio.run(asyncio.wait_for(stop_after_first_text(), 30))
    assert srv.wait_for_hangup(5) is not None
    assert run.state.finish_reason == "cancelled"
    end = lines_of(run.backend.path)[-1]
    assert end["type"] == "end" and end["outcome"] == "cancelled"


def test_a_run_that_failed_while_recording_keeps_the_error_in_its_end_line(srv, tmp_path):
    cut = Reply(body=[*ollama_chat_lines(THINKING, ANSWER)[:3], Close()])
    run, _, path = record(srv, tmp_path, reply=cut)
    assert run.state.finish_reason == "error"
    end = lines_of(path)[-1]
    assert end["outcome"] == "error" and end["message"] == run.state.error and end["kind"] == "cut"


# --- replaying it -----------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["ollama", "openai"])
def test_a_replay_gives_the_same_reasoning_answer_and_ending_through_the_same_pipeline(srv, tmp_path, backend):
    live, live_events, path = record(srv, tmp_path, backend)
    replay = DebugRun(replay_settings(path, "instant"), "")
    replay_events = collect(replay)

    assert isinstance(replay.backend, ReplayBackend)
    assert text_events(replay_events) == text_events(live_events)
    assert (replay.state.reasoning, replay.state.answer) == (live.state.reasoning, live.state.answer)
    assert replay.state.reasoning == "".join(THINKING) and replay.state.answer == "".join(ANSWER)
    assert (replay.state.finish_reason, replay.state.outcome()) == ("stop", "Finished.")
    assert replay.state.usage == live.state.usage
    assert replay.state.model == live.state.model
    assert replay.request.messages == live.request.messages  # the request the recorded run sent
    assert isinstance(replay_events[-1], Ended)


def test_a_replay_plays_the_recorded_model_and_text_whatever_the_settings_say(srv, tmp_path):
    live, _, path = record(srv, tmp_path, max_tokens=777)
    replay = DebugRun(replay_settings(path, "instant", model="some-other-model", max_tokens=5), "")
    collect(replay)
    assert replay.state.model == live.state.model == "magistral"
    assert replay.state.max_tokens == 777
    assert replay.argument == FLAWED  # nothing typed: the recorded text
    assert replay.state.answer == "".join(ANSWER)


def test_a_replay_keeps_the_recorded_pace(srv, tmp_path):
    """Each event comes when it came in the recorded run, counted from the start (so late
    wake-ups do not add up), not all at once nor spaced from the previous one."""
    _, _, path = record(srv, tmp_path)
    recorded = [item.t for item in read_recording(path).events]
    assert recorded[-1] >= PACE * (len(THINKING) + len(ANSWER) - 1)  # a paced recording, not one instant

    assert timed_stream(ReplayBackend(path, 1)) == pytest.approx(recorded, abs=1e-6)


def test_faster_replays_take_a_half_a_quarter_and_none_of_the_time(srv, tmp_path):
    _, _, path = record(srv, tmp_path)
    recorded = [item.t for item in read_recording(path).events]

    for speed in (2, 4):
        assert timed_stream(ReplayBackend(path, speed)) == pytest.approx([t / speed for t in recorded], abs=1e-6)
    assert timed_stream(ReplayBackend(path, None)) == [0.0] * len(recorded)


def test_replay_speed_comes_from_the_settings(tmp_path, monkeypatch):
    path = tmp_path / "run.jsonl"
    monkeypatch.setenv("MAGISTRAL_BACKEND", "replay")
    monkeypatch.setenv("MAGISTRAL_REPLAY_FILE", str(path))
    for text, speed in (("1", 1.0), ("2", 2.0), ("4", 4.0), ("instant", None)):
        monkeypatch.setenv("MAGISTRAL_REPLAY_SPEED", text)
        backend = make_backend(Settings(_env_file=None))
        assert isinstance(backend, ReplayBackend)
        assert (backend.speed, backend.path, backend.url) == (speed, path, str(path))
    for bad in ("0", "-2", "fast"):
        monkeypatch.setenv("MAGISTRAL_REPLAY_SPEED", bad)
        with pytest.raises(ValueError):
            Settings(_env_file=None)


def test_a_replay_is_never_recorded_again(srv, tmp_path):
    _, _, path = record(srv, tmp_path / "runs")
    backend = make_backend(replay_settings(path, record_dir=str(tmp_path / "again")))
    assert isinstance(backend, ReplayBackend)


def test_the_replay_describes_itself_with_the_recording_date_and_model(srv, tmp_path):
    live, _, path = record(srv, tmp_path)
    recording = read_recording(path)
    label = ReplayBackend(path).recording().describe()
    assert label == f"Replay of a run recorded on {recording.recorded_at:%Y-%m-%d %H:%M} with magistral"
    assert label.startswith("Replay of a run recorded on 20")


def test_health_of_a_replay_is_ready_with_its_model_or_says_what_is_wrong(srv, tmp_path):
    _, _, path = record(srv, tmp_path)
    health = asyncio.run(check_health(ReplayBackend(path), ""))
    assert (health.state, health.models) == ("ready", ("magistral",))
    missing = asyncio.run(check_health(ReplayBackend(tmp_path / "nope.jsonl"), ""))
    assert missing.state == "unreachable" and "nope.jsonl" in missing.message


def test_a_replay_of_a_failed_run_fails_the_same_way(srv, tmp_path):
    live, _, path = record(srv, tmp_path, reply=Reply(body=[*ollama_chat_lines(THINKING, ANSWER)[:3], Close()]))
    replay = DebugRun(replay_settings(path, "instant"), "")
    collect(replay)
    assert replay.state.finish_reason == "error"
    assert replay.state.error == f"In the recording: {live.state.error}"
    assert replay.state.reasoning == live.state.reasoning == "".join(THINKING[:3])


def test_a_replay_of_a_stopped_run_ends_where_it_was_stopped(srv, tmp_path):
    srv.route("POST", "/api/chat", Reply(body=[*ollama_chat_lines(THINKING, ANSWER)[:2], Sleep(10)]))
    live = DebugRun(settings_for(srv, record_dir=str(tmp_path)), FLAWED)

    async def stop_after_two() -> None:
        seen = 0
        events = live.events()
        async for event in events:
            seen += isinstance(event, Reasoning)
            if seen == 2:
                break
        await events.aclose()

    asyncio.run(asyncio.wait_for(stop_after_two(), 30))
    replay = DebugRun(replay_settings(live.backend.path, "instant"), "")
    collect(replay)
    assert replay.state.reasoning == "".join(THINKING[:2])
    assert replay.state.finish_reason == "error" and "was stopped after" in replay.state.error


# --- Stop during a replay --------------------------------------------------------------------


def long_recording(path: Path, gap: float = 30.0) -> Path:
    """A hand-written recording: two pieces of reasoning, then a long silence before the answer."""
    lines = [
        {
            "type": "header",
            "format": "magistral-debugger-recording",
            "version": 1,
            "recorded_at": "2025-11-25T20:21:03+01:00",
            "model": "magistral",
            "backend": {"kind": "ollama", "url": "http://gpu-box:11434"},
            "settings": {},
            "request": {"temperature": 0.7, "top_p": 0.95, "max_tokens": 40960},
            "argument": FLAWED,
            "messages": [{"role": "user", "content": FLAWED}],
        },
        {"t": 0.05, "type": "reasoning", "text": "Step 5 "},
        {"t": 0.1, "type": "reasoning", "text": "divides by zero."},
        {"t": gap, "type": "content", "text": "never shown"},
        {"t": gap, "type": "finished", "reason": "stop"},
        {"t": gap, "type": "end", "outcome": "finished"},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_stop_during_a_replay_ends_it_at_once_as_the_ui_stops_a_run(tmp_path):
    path = long_recording(tmp_path / "long.jsonl")

    async def go() -> tuple[DebugRun, float]:
        loop = asyncio.get_running_loop()
        run = DebugRun(replay_settings(path), "")
        snapshots = live_snapshots(run, interval=0.02)
        async for state in snapshots:
            if state.reasoning:
                break
        stopped = loop.time()
        run.cancel()  # what the Stop button does
        await snapshots.aclose()
        return run, loop.time() - stopped

    # On a virtual clock: what is measured is how long the replay waited once stopped, not the machine.
    run, waited = run_on_virtual_clock(go())
    assert run.state.finish_reason == "cancelled"
    assert run.state.outcome() == "Stopped by you."
    assert run.state.reasoning.startswith("Step 5") and run.state.answer == ""
    assert waited < 1, f"Stop waited {waited} s of the recording's 30 s silence"


def test_closing_a_replay_stream_closes_it(tmp_path):
    backend = ReplayBackend(long_recording(tmp_path / "long.jsonl"))

    async def go():
        stream = backend.stream(backend.recording().request)
        first = await stream.__anext__()
        await stream.aclose()
        return first, stream

    first, stream = asyncio.run(asyncio.wait_for(go(), 10))
    assert first.text == "Step 5 "
    assert stream.ag_frame is None  # finished: nothing left to play

    async def after_close():
        return [event async for event in stream]

    assert asyncio.run(after_close()) == []


# --- damaged files -------------------------------------------------------------------------------


def test_a_truncated_recording_names_the_file_and_the_line_where_it_was_cut(srv, tmp_path):
    _, _, path = record(srv, tmp_path)
    raw = path.read_bytes()
    lines = raw.splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:5]) + lines[5][: len(lines[5]) // 2])  # cut in the middle of line 6

    with pytest.raises(BackendError) as caught:
        read_recording(path)
    message = caught.value.message
    assert str(path) in message and "line 6" in message and "cut off" in message

    replay = DebugRun(replay_settings(path, "instant"), "")
    collect(replay)
    assert replay.state.finish_reason == "error"
    assert str(path) in replay.state.error and "line 6" in replay.state.error
    assert replay.state.reasoning == ""  # nothing of a damaged file is played


def test_a_recording_cut_at_a_line_boundary_says_it_lacks_its_end_line(srv, tmp_path):
    _, _, path = record(srv, tmp_path)
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:-1]))
    with pytest.raises(BackendError) as caught:
        read_recording(path)
    assert str(path) in caught.value.message
    assert f"line {len(lines) - 1}" in caught.value.message and "without its end line" in caught.value.message


@pytest.mark.parametrize(
    "change, line, words",
    [
        (lambda lines: lines.__setitem__(2, "{not json"), 3, "is not valid JSON"),
        (lambda lines: lines.__setitem__(2, '["a list"]'), 3, "is not a JSON object"),
        (lambda lines: lines.__setitem__(2, '{"t": 0.2, "type": "shout", "text": "x"}'), 3, "unknown type 'shout'"),
        (lambda lines: lines.__setitem__(2, '{"t": 0.2, "type": "reasoning"}'), 3, 'needs a "text" string'),
        (lambda lines: lines.__setitem__(2, '{"type": "reasoning", "text": "x"}'), 3, 'no valid time offset "t"'),
        (lambda lines: lines.__setitem__(2, '{"t": 0.01, "type": "reasoning", "text": "x"}'), 3, "goes back in time"),
        (lambda lines: lines.__setitem__(4, '{"t": 30, "type": "finished", "reason": "tired"}'), 5, "unknown reason"),
        (lambda lines: lines.insert(3, lines[0]), 4, "second header"),
        (lambda lines: lines.append('{"t": 31, "type": "content", "text": "late"}'), 7, "after the end line"),
        (lambda lines: lines.__setitem__(0, '{"hello": "world"}'), 1, "not a recording header"),
        (
            lambda lines: lines.__setitem__(0, lines[0].replace('"version": 1', '"version": 9')),
            1,
            "newer than this app",
        ),
        (
            lambda lines: lines.__setitem__(0, lines[0].replace('"model": "magistral"', '"model": ""')),
            1,
            "names no model",
        ),
        (lambda lines: lines.__setitem__(5, '{"t": 30, "type": "end", "outcome": "error"}'), 6, 'has no "message"'),
    ],
)
def test_a_malformed_line_gets_a_message_naming_the_file_and_the_line(tmp_path, change, line, words):
    path = long_recording(tmp_path / "damaged.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    change(lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(BackendError) as caught:
        read_recording(path)
    message = caught.value.message
    assert str(path) in message and f"line {line} " in message and words in message, message


@pytest.mark.parametrize(
    "content, words",
    [
        (None, "There is no recording at"),
        (b"", "is empty"),
        (b"\n\n", "is empty"),
        (b"\xff\xfe\n", "line 1 is not valid JSON"),
    ],
)
def test_a_missing_empty_or_binary_file_says_so(tmp_path, content, words):
    path = tmp_path / "run.jsonl"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(BackendError) as caught:
        read_recording(path)
    assert words in caught.value.message and str(path) in caught.value.message


def test_replay_without_a_file_says_which_setting_to_set():
    run = DebugRun(Settings(_env_file=None, backend="replay"), "")
    collect(run)
    assert run.state.finish_reason == "error" and "MAGISTRAL_REPLAY_FILE" in run.state.error


# --- the command line ------------------------------------------------------------------------------


def test_the_cli_replays_a_recording(srv, tmp_path, capsys):
    _, _, path = record(srv, tmp_path)
    assert cli_main(["--replay", str(path), "--speed", "instant", ""]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "".join(ANSWER).strip()
    assert "".join(THINKING).strip() in err


def test_the_cli_reports_a_damaged_recording_in_one_line(tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text("{not json\n", encoding="utf-8")
    assert cli_main(["--backend", "replay", "--url", str(path), ""]) == 1
    _, err = capsys.readouterr()
    assert err.startswith("error: The recording") and "line 1" in err and "Traceback" not in err
