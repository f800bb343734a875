"""Server-sent events, decoded apart from what they mean: bytes → lines → events → JSON.

The OpenAI-compatible backend feeds the response body through :class:`SSEDecoder` and
dispatches the JSON it gets back; nothing here knows about chat completions.

Lines end in LF, CRLF or CR and are split on those alone (httpx's ``aiter_lines`` would
also split on U+2028 and friends, which JSON strings may carry raw, and would replace
bytes that are not UTF-8 instead of refusing them). Comments and fields other than
``data`` are ignored, as is an event the stream ends inside. Cost per read is O(read):
only the unfinished last line is held across reads.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterable
from typing import Any

DONE = object()  # the ``data: [DONE]`` sentinel


class SSEDecoder:
    def __init__(self) -> None:
        self._data: list[str] = []  # the data lines of the event being read
        self._held: list[bytes] = []  # the unfinished last line, across reads

    def feed(self, chunk: bytes) -> list[Any]:
        """The events this read completes: each one's JSON, or :data:`DONE`.

        Raises ``UnicodeDecodeError`` or ``ValueError`` (not JSON) for a broken stream."""
        held = self._held
        if b"\n" not in chunk and b"\r" not in chunk:
            held.append(chunk)
            return []
        if held:
            held.append(chunk)
            chunk = b"".join(held)
            held.clear()
        if b"\r" in chunk:
            if chunk.endswith(b"\r"):  # maybe the first half of a CRLF: wait for the next read
                held.append(b"\r")
                chunk = chunk[:-1]
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        lines = chunk.split(b"\n")
        rest = lines.pop()
        if rest:
            held.insert(0, rest)
        return self._events(lines)

    def end(self) -> list[Any]:
        """The stream ended: events still complete in what was held. An unfinished last
        line is no event, but must still be text."""
        if not self._held:
            return []
        lines = b"".join(self._held).replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
        self._held.clear()
        lines.pop().decode("utf-8")
        return self._events(lines)

    def _events(self, lines: list[bytes]) -> list[Any]:
        data = self._data
        events: list[Any] = []
        for raw in lines:
            line = raw.decode("utf-8")
            if line:
                if line.startswith("data:"):
                    data.append(line[6:] if line.startswith("data: ") else line[5:])
                elif line == "data":
                    data.append("")
                continue  # a comment (":…") or another field
            if not data:
                continue
            payload = data[0] if len(data) == 1 else "\n".join(data)
            data.clear()
            if payload.startswith("[DONE]"):
                events.append(DONE)
                return events
            events.append(json.loads(payload))
        return events


async def sse_json(chunks: AsyncIterable[bytes]) -> AsyncGenerator[Any, None]:
    """The JSON ``data`` of each event in a byte stream, up to ``[DONE]``."""
    decoder = SSEDecoder()
    async for chunk in chunks:
        for payload in decoder.feed(chunk):
            if payload is DONE:
                return
            yield payload
    for payload in decoder.end():
        if payload is DONE:
            return
        yield payload
