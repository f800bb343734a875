"""Read what a Gradio client received on its ``/queue/data`` stream, byte for byte.

The wiretap keeps every read from the app's side of the connection with the time it
arrived. Here the HTTP response is taken apart (headers, chunked framing) and its
server-sent events are returned with the moment their last byte arrived and how many
bytes on the wire they took, framing included.
"""

from __future__ import annotations

import bisect
import json
from typing import Any


def sse_messages(reads: list[tuple[float, bytes]]) -> tuple[int, list[dict[str, Any]]]:
    """``(header_bytes, [{"t", "wire", "msg"}])`` for one HTTP response carrying SSE."""
    raw = b"".join(data for _, data in reads)
    read_ends, times = [], []
    offset = 0
    for t, data in reads:
        offset += len(data)
        read_ends.append(offset)
        times.append(t)

    def arrival(raw_pos: int) -> float:
        """When the byte at ``raw_pos`` arrived."""
        return times[min(bisect.bisect_right(read_ends, raw_pos), len(times) - 1)]

    head_end = raw.find(b"\r\n\r\n")
    if head_end < 0:
        return len(raw), []
    head = raw[:head_end].lower()
    position = head_end + 4
    payload = bytearray()
    payload_to_raw: list[tuple[int, int]] = []  # (payload offset, raw offset) at each piece start
    if b"transfer-encoding: chunked" in head:
        while position < len(raw):
            line_end = raw.find(b"\r\n", position)
            if line_end < 0:
                break
            size = int(raw[position:line_end].split(b";")[0], 16)
            if size == 0:
                break
            start = line_end + 2
            payload_to_raw.append((len(payload), start))
            payload += raw[start : start + size]
            position = start + size + 2
    else:
        payload_to_raw.append((0, position))
        payload += raw[position:]
    starts = [p for p, _ in payload_to_raw]

    def raw_position(payload_pos: int) -> int:
        k = bisect.bisect_right(starts, payload_pos) - 1
        piece_payload, piece_raw = payload_to_raw[k]
        return piece_raw + payload_pos - piece_payload

    messages = []
    cursor = 0
    previous_raw_end = head_end + 4
    while True:
        end = payload.find(b"\n\n", cursor)
        if end < 0:
            break
        block = bytes(payload[cursor:end])
        raw_end = raw_position(end + 1) + 1
        cursor = end + 2
        data = b"".join(line[5:].lstrip() for line in block.split(b"\n") if line.startswith(b"data:"))
        wire = raw_end - previous_raw_end
        previous_raw_end = raw_end
        if not data:
            continue
        try:
            msg = json.loads(data)
        except ValueError:
            msg = {"msg": "unparsed"}
        messages.append({"t": arrival(raw_end - 1), "wire": wire, "msg": msg})
    return head_end + 4, messages


def apply_diff(value: Any, diff: Any) -> Any:
    """Gradio's streaming diff (a list of ``[action, path, value]`` edits) applied to ``value``."""
    for action, path, new in diff:
        if not path:
            if action == "replace":
                value = new
            elif action == "append":
                value = value + new
            continue
        target = value
        for key in path[:-1]:
            target = target[key]
        last = path[-1]
        if action == "replace":
            target[last] = new
        elif action == "append":
            target[last] += new
        elif action == "add":
            if isinstance(target, list):
                target.insert(int(last), new)
            else:
                target[last] = new
        elif action == "delete":
            del target[last]
    return value


# Where a run event's outputs hold the reasoning and the answer: the debug API's
# (reasoning, answer, …), and the page's (answer, status, header, thread, notes, verdict, *shelves).
API_OUTPUTS = (slice(0, 1), 1)
PAGE_OUTPUTS = (slice(6, None), 0)


def pane_updates(
    messages: list[dict[str, Any]], outputs: tuple[slice, int] = API_OUTPUTS
) -> list[tuple[float, str, str, str]]:
    """``(t, msg kind, reasoning, answer)`` after each output message, diffs applied as the client does."""
    reasoning_at, answer_at = outputs
    values: list[Any] | None = None
    out = []
    for message in messages:
        msg = message["msg"]
        kind = msg.get("msg")
        if kind not in ("process_generating", "process_completed"):
            continue
        data = (msg.get("output") or {}).get("data")
        if not data:
            continue
        if kind == "process_completed" or values is None:
            values = list(data)
        else:
            for i, diff in enumerate(data):
                while i >= len(values):
                    values.append(None)
                values[i] = apply_diff(values[i], diff)
        reasoning = "".join(v for v in values[reasoning_at] if isinstance(v, str))
        answer = values[answer_at] if len(values) > answer_at and isinstance(values[answer_at], str) else ""
        out.append((message["t"], kind, reasoning, answer))
    return out
