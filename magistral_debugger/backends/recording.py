"""Recordings: a run's stream events saved as JSON Lines, so it can be replayed later.

Recording happens at the backend-event level (what the server said, already decoded,
before the splitter): a replay then goes through the same splitter and run state as
the live run did. The format, one JSON object per line (README, "Record and replay"):

- a header: ``{"type": "header", "format": "magistral-debugger-recording", "version": 1,
  "recorded_at": ISO time, "model", "backend": {"kind", "url"}, "settings": {…},
  "request": {"model", "temperature", "top_p", "max_tokens", "reasoning_effort"}, "argument",
  "messages": […]}`` (``reasoning_effort``: the level sent, null for none; older files lack it),
  and ``"proof": {"problem", "steps": […]}`` when the steps were given (a dataset's), not cut from the argument
- one line per stream event, ``t`` in seconds since the request:
  ``{"t": 0.412, "type": "reasoning"|"content", "text": …}``,
  ``{"t", "type": "usage", "prompt_tokens", "completion_tokens", "reasoning_tokens"}``,
  ``{"t", "type": "notice", "message"}``, ``{"t", "type": "finished", "reason": "stop"|"length"}``
- an end line: ``{"t", "type": "end", "outcome": "finished"|"error"|"cancelled"}``, with
  ``"message"`` and ``"kind"`` for an error. A file without it was cut short.

No secret is ever written: the settings are a fixed public list, URLs lose their
credentials, and the API key is scrubbed from every string.
"""

from __future__ import annotations

import contextlib
import json
import math
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, cast

from ..events import ContentText, Finished, Notice, ReasoningText, StreamEvent, Usage
from ..i18n import Message
from ..prompting.steps import Proof
from ..redaction import file_slug
from .request import ChatRequest
from .server_errors import BackendError

FORMAT = "magistral-debugger-recording"
VERSION = 1
SUFFIX = ".jsonl"
Outcome = Literal["finished", "error", "cancelled"]


# --- the format: events to lines and back -------------------------------------------------


def event_line(t: float, event: StreamEvent) -> dict[str, Any]:
    line: dict[str, Any] = {"t": round(t, 4)}
    if isinstance(event, ReasoningText):
        line.update(type="reasoning", text=event.text)
    elif isinstance(event, ContentText):
        line.update(type="content", text=event.text)
    elif isinstance(event, Usage):
        line.update(
            type="usage",
            prompt_tokens=event.prompt_tokens,
            completion_tokens=event.completion_tokens,
            reasoning_tokens=event.reasoning_tokens,
        )
    elif isinstance(event, Notice):
        line.update(type="notice", message=event.message)
    elif isinstance(event, Finished):
        line.update(type="finished", reason=event.reason)
    else:
        raise TypeError(f"not a stream event: {event!r}")
    return line


def argument_of(messages: list[dict[str, Any]]) -> str:
    """The person's text: the last user message's text, however its content is shaped."""
    for message in reversed(messages):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            return content
        if isinstance(content, list):
            return "".join(c.get("text", "") for c in content if isinstance(c, dict) and c.get("type") == "text")
    return ""


@dataclass(frozen=True)
class RecordedEvent:
    t: float
    event: StreamEvent


@dataclass(frozen=True)
class RecordingEnd:
    """How the recorded run ended, so a replay ends the same way (an error replays as that error)."""

    t: float
    outcome: Outcome
    message: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Recording:
    """A whole recording as read back: enough to replay the run and to say what was recorded, where and when."""

    path: Path
    version: int
    recorded_at: datetime
    model: str
    backend_kind: str
    backend_url: str
    settings: dict[str, Any]
    request: ChatRequest
    argument: str
    events: tuple[RecordedEvent, ...]
    end: RecordingEnd

    @property
    def recorded_on(self) -> str:
        """When, as the recording's own clock said it, e.g. ``2025-11-25 20:21``."""
        return f"{self.recorded_at:%Y-%m-%d %H:%M}"

    def describe(self) -> Message:
        return Message("replay_label", date=self.recorded_on, model=self.model)


class _Bad(Exception):
    """A line that breaks the format; the message says how."""


def read_recording(path: str | Path) -> Recording:
    """Parse and check a whole recording, so that a broken file fails before the replay starts.

    Raises :class:`BackendError` naming the file and the line.
    """
    path = Path(path)
    where = str(path)
    raw = _read_bytes(path, where)
    lines = raw.split(b"\n")
    cut_last = not raw.endswith(b"\n")  # the writer ends every line: a last line without "\n" was cut
    header, events, end = _parse_lines(lines, cut_last, where)
    if header is None:  # pragma: no cover - a non-blank file always has a first line
        raise BackendError(Message("recording_empty", path=where), kind="protocol")
    if end is None:
        last = max(n for n, line in enumerate(lines, start=1) if line.strip())
        raise BackendError(Message("recording_cut_short", path=where, line=last), kind="protocol")
    return _recording_from(path, header, events, end)


def _read_bytes(path: Path, where: str) -> bytes:
    """The file's bytes; a missing, unreadable or blank file is told apart from a damaged one."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BackendError(Message("recording_missing", path=where), kind="unreachable") from None
    except OSError as error:
        raise BackendError(
            Message("recording_unreadable", path=where, detail=str(error.strerror or error)), kind="unreachable"
        ) from None
    if not raw.strip():
        raise BackendError(Message("recording_empty", path=where), kind="protocol")
    return raw


def _parse_lines(
    lines: list[bytes], cut_last: bool, where: str
) -> tuple[dict[str, Any] | None, list[RecordedEvent], RecordingEnd | None]:
    """The header, the events and the end line, each line checked where it stands: a person
    fixing the file is told which line breaks the format, and how."""
    header: dict[str, Any] | None = None
    events: list[RecordedEvent] = []
    end: RecordingEnd | None = None
    last_t = 0.0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = _json_object(line, cut_off=cut_last and number == len(lines))
            if header is None:
                header = _check_header(data, number)
                continue
            last_t = _event_time(data, last_t, ended=end is not None)
            if data.get("type") == "end":
                end = _end_from(data, last_t)
            else:
                events.append(RecordedEvent(last_t, _event_from(data)))
        except _Bad as error:
            raise BackendError(
                Message("recording_damaged", path=where, line=number, detail=str(error)), kind="protocol"
            ) from None
    return header, events, end


def _json_object(line: bytes, *, cut_off: bool) -> dict[str, Any]:
    """One line as a JSON object; ``cut_off``: the last line of a file that does not end with a
    newline, where broken JSON means the file was truncated rather than edited wrong."""
    try:
        data = json.loads(line.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        if cut_off:
            raise _Bad(
                "is cut off mid-line: the file was truncated (copied or saved while still being written?)"
            ) from None
        raise _Bad(f"is not valid JSON ({_short(error)})") from None
    if not isinstance(data, dict):
        raise _Bad("is not a JSON object")
    return data


def _event_time(data: dict[str, Any], last_t: float, *, ended: bool) -> float:
    """The time offset of a line after the header: a replay plays the events at these times, so
    they must be there and never go back; nothing may follow a second header or the end line."""
    if data.get("type") == "header":
        raise _Bad("is a second header: two recordings were joined into one file")
    if ended:
        raise _Bad("comes after the end line")
    t = data.get("t")
    if isinstance(t, bool) or not isinstance(t, (int, float)) or not math.isfinite(t) or t < 0:
        raise _Bad(f'has no valid time offset "t" (got {t!r})')
    if t + 1e-6 < last_t:
        raise _Bad(f"goes back in time (t = {t} after {last_t})")
    return float(t)


def _recording_from(path: Path, header: dict[str, Any], events: list[RecordedEvent], end: RecordingEnd) -> Recording:
    """The checked lines as one value; its request is what the replay says was asked."""
    request = header["request"]
    return Recording(
        path=path,
        version=header["version"],
        recorded_at=header["_recorded_at"],
        model=header["model"],
        backend_kind=header["backend"]["kind"],
        backend_url=header["backend"]["url"],
        settings=header["settings"],
        request=ChatRequest(
            model=header["model"],
            messages=header["messages"],
            temperature=request["temperature"],
            top_p=request["top_p"],
            max_tokens=request["max_tokens"],
            argument=header["argument"],
            proof=header["_proof"],
            # Recordings made before efforts were said have none: what they ran is unknown.
            reasoning_effort=request.get("reasoning_effort")
            if isinstance(request.get("reasoning_effort"), str)
            else None,
        ),
        argument=header["argument"],
        events=tuple(events),
        end=end,
    )


def _short(error: Exception) -> str:
    return str(error).split("\n")[0][:120]


def _check_header(data: dict[str, Any], number: int) -> dict[str, Any]:
    if data.get("format") != FORMAT or data.get("type") != "header":
        raise _Bad(
            f'is not a recording header (expected "format": "{FORMAT}"): is this a file from MAGISTRAL_RECORD_DIR?'
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _Bad("has no format version")
    if version > VERSION:
        raise _Bad(f"says format version {version}, newer than this app reads ({VERSION}): update the app")
    try:
        # Anything but a str raises TypeError, caught here like a malformed time.
        data["_recorded_at"] = datetime.fromisoformat(cast(str, data.get("recorded_at")))
    except (TypeError, ValueError):
        raise _Bad(f'has no valid "recorded_at" time (got {data.get("recorded_at")!r})') from None
    if not isinstance(data.get("model"), str) or not data["model"]:
        raise _Bad("names no model")
    backend = data.get("backend")
    if (
        not isinstance(backend, dict)
        or not isinstance(backend.get("kind"), str)
        or not isinstance(backend.get("url"), str)
    ):
        raise _Bad('has no "backend" with "kind" and "url"')
    if not isinstance(data.get("messages"), list) or not all(isinstance(m, dict) for m in data["messages"]):
        raise _Bad('has no "messages" list')
    request = data.get("request")
    if not isinstance(request, dict) or not all(
        _is_number(request.get(k)) for k in ("temperature", "top_p", "max_tokens")
    ):
        raise _Bad('has no "request" with temperature, top_p and max_tokens')
    request["max_tokens"] = int(request["max_tokens"])
    if not isinstance(data.get("settings"), dict):
        data["settings"] = {}
    if not isinstance(data.get("argument"), str):
        data["argument"] = argument_of(data["messages"])
    data["_proof"] = _proof(data.get("proof"))
    return data


def _proof(data: Any) -> Proof | None:
    """The dataset's steps the run was asked about; None for a pasted proof (no "proof" field)."""
    if data is None:
        return None
    steps = data.get("steps") if isinstance(data, dict) else None
    if not isinstance(steps, list) or not steps or not all(isinstance(step, str) for step in steps):
        raise _Bad('has a "proof" without a list of "steps" strings')
    problem = data.get("problem", "")
    return Proof(tuple(steps), problem if isinstance(problem, str) else "")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _text(data: dict[str, Any], field: str) -> str:
    value = data.get(field)
    if not isinstance(value, str):
        raise _Bad(f'(a "{data.get("type")}" line) needs a "{field}" string')
    return value


def _count(data: dict[str, Any], field: str) -> int | None:
    value = data.get(field)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _Bad(f'(a "usage" line) has an invalid "{field}" ({value!r})')
    return value


def _event_from(data: dict[str, Any]) -> StreamEvent:
    kind = data.get("type")
    if kind == "reasoning":
        return ReasoningText(_text(data, "text"))
    if kind == "content":
        return ContentText(_text(data, "text"))
    if kind == "usage":
        return Usage(_count(data, "prompt_tokens"), _count(data, "completion_tokens"), _count(data, "reasoning_tokens"))
    if kind == "notice":
        return Notice(_text(data, "message"))
    if kind == "finished":
        reason = data.get("reason")
        if reason not in ("stop", "length"):
            raise _Bad(f'(a "finished" line) has an unknown reason {reason!r}')
        return Finished(reason)
    raise _Bad(f"has an unknown type {kind!r}")


def _end_from(data: dict[str, Any], t: float) -> RecordingEnd:
    outcome = data.get("outcome")
    if outcome not in ("finished", "error", "cancelled"):
        raise _Bad(f"(the end line) has an unknown outcome {outcome!r}")
    message = data.get("message")
    kind = data.get("kind")
    if outcome == "error" and not isinstance(message, str):
        raise _Bad('(the end line of a failed run) has no "message"')
    return RecordingEnd(
        t, outcome, message if isinstance(message, str) else None, kind if isinstance(kind, str) else None
    )


# --- recording ------------------------------------------------------------------------------


def recording_name(recorded_at: datetime, model: str) -> str:
    """``20251125-202103-magistral-latest-3f9a1c.jsonl``: sorts by time, says the model, never collides."""
    return f"{recorded_at:%Y%m%d-%H%M%S}-{file_slug(model)}-{secrets.token_hex(3)}{SUFFIX}"


class _Writer:
    """One recording file. Best effort: a full disk stops the recording, never the run."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.failure: str | None = None
        self._file = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(path, "x", encoding="utf-8", newline="\n")
        except OSError as error:
            self.failure = error.strerror or str(error)

    def write(self, line: dict[str, Any]) -> None:
        if self._file is None:
            return
        try:
            self._file.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
            self._file.flush()  # a crash leaves every event so far on disk
        except (OSError, ValueError) as error:
            self.failure = getattr(error, "strerror", None) or str(error)
            self.close()

    def close(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None
