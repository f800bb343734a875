"""A loopback model server that emits tokens at a controlled rate, and a wiretap.

Runs as its own process (``python -m bench.harness``) so that its work never counts
against the code under test, on one asyncio loop:

- **Model server** — speaks Ollama's NDJSON ``/api/chat`` and vLLM's OpenAI SSE
  ``/v1/chat/completions`` (one HTTP chunk per token, as both servers send them). What
  to stream comes from a ``BENCH:`` marker inside the flawed text (see
  ``tokens.marker``): wire form, token count, rate (0 = as fast as the socket takes
  them), a silence before the first token, the verdict line the answer ends with. For each stream it records when each token
  was written and when the client hung up (EOF seen by a reader that waits on the
  socket the whole time, so a hang-up is seen at once whether tokens flow or not).
- **Wiretap** — a TCP proxy in front of the Gradio app that keeps every byte the app
  sends to the client with its arrival time: bytes on the wire per token, and when each
  update reached the client, independent of any client library's own polling.

Control: ``GET /_bench/report`` (``?clear=1``), ``POST /_bench/prepare?protocol=&form=&tokens=``,
``POST /_bench/tap?target=PORT`` (answers the tap's port).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import tokens as tk
from .gradio_wire import sse_messages

CHUNK_END = b"0\r\n\r\n"


def _json_response(obj: Any, status: int = 200) -> bytes:
    body = json.dumps(obj).encode()
    return (
        f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode() + body


def _stream_head(protocol: str) -> bytes:
    ctype = "application/x-ndjson" if protocol == "ollama" else "text/event-stream; charset=utf-8"
    return (
        f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".encode()
    )


class ModelServer:
    def __init__(self) -> None:
        self.sessions: dict[str, dict[str, Any]] = {}
        self._frames: dict[tuple[str, str, int, str], tuple[list[bytes], bytes]] = {}
        self.tap: Tap | None = None

    def frames(self, protocol: str, form: str, count: int, verdict: str = "") -> tuple[list[bytes], bytes]:
        """Per-token chunk-framed frames (token frames first, then the end), and all of them joined."""
        key = (protocol, form, count, verdict)
        if key not in self._frames:
            tokens = tk.stream(count, form, verdict=verdict)
            framed = [tk.chunked(f) for f in tk.frames(protocol, tokens, form)] + [CHUNK_END]
            self._frames[key] = (framed, b"".join(framed))
        return self._frames[key]

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            received = time.monotonic()
            request_line, *header_lines = head.decode("latin-1").split("\r\n")
            method, target, _ = request_line.split(" ", 2)
            headers = {}
            for line in header_lines:
                key, _, value = line.partition(":")
                headers[key.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length") or 0))
            url = urlsplit(target)
            await self.route(method, url.path, parse_qs(url.query), body, received, reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def route(self, method, path, query, body, received, reader, writer) -> None:
        if path == "/api/tags":
            writer.write(_json_response({"models": [{"name": tk.OLLAMA_MODEL, "model": tk.OLLAMA_MODEL, "size": 1}]}))
        elif path == "/api/show":
            writer.write(_json_response({"capabilities": ["completion", "thinking"], "details": {}, "model_info": {}}))
        elif path == "/v1/models":
            writer.write(
                _json_response(
                    {
                        "object": "list",
                        "data": [
                            {"id": tk.OPENAI_MODEL, "object": "model", "owned_by": "vllm", "max_model_len": 1_000_000}
                        ],
                    }
                )
            )
        elif path in ("/api/chat", "/v1/chat/completions"):
            protocol = "ollama" if path == "/api/chat" else "openai"
            await self.stream(protocol, tk.parse_marker(body), received, reader, writer)
            return
        elif path == "/_bench/report":
            since = float(query.get("since", ["0"])[0])
            report = {"sessions": self.sessions, "taps": self.tap.report(since) if self.tap else []}
            if query.get("clear"):
                self.sessions = {}
                if self.tap:
                    self.tap.forget_closed()
            writer.write(_json_response(report))
        elif path == "/_bench/session":
            record = self.sessions.get(query["id"][0])
            writer.write(_json_response(None if record is None else {k: v for k, v in record.items() if k != "emits"}))
        elif path == "/_bench/prepare":
            self.frames(query["protocol"][0], query["form"][0], int(query["tokens"][0]))
            writer.write(_json_response({"ok": True}))
        elif path == "/_bench/tap":
            if self.tap is None:
                self.tap = Tap(int(query["target"][0]))
                await self.tap.start()
            self.tap.target = int(query["target"][0])
            writer.write(_json_response({"port": self.tap.port}))
        else:
            writer.write(_json_response({"error": f"no route {path}"}, 404))
        await writer.drain()

    async def stream(self, protocol, fields, received, reader, writer) -> None:
        sid = fields.get("id") or uuid.uuid4().hex
        form = fields.get("form", "field")
        count = int(fields.get("tokens", "100"))
        rate = float(fields.get("rate", "0"))
        pause = float(fields.get("pause", "0"))
        framed, joined = self.frames(protocol, form, count, fields.get("verdict", ""))
        record: dict[str, Any] = {
            "id": sid,
            "protocol": protocol,
            "form": form,
            "tokens": count,
            "rate": rate,
            "t_request": received,
            "t_first": None,
            "t_end": None,
            "hangup": None,
            "emits": [] if rate else None,
        }
        self.sessions[sid] = record
        eof, hung_up = _watch_for_hangup(reader, record)
        try:
            # Ollama sends its headers with the first token (Go flushes on the first write);
            # vLLM (uvicorn) sends them at once and then computes the prefill.
            if protocol == "openai":
                writer.write(_stream_head(protocol))
            if pause and await hung_up(pause):
                return
            if protocol == "ollama":
                writer.write(_stream_head(protocol))
            record["t_first"] = time.monotonic()
            if not rate:
                writer.write(joined)
                await writer.drain()
            elif not await _paced(writer, framed, count, rate, record["emits"], hung_up):
                return
            record["t_end"] = time.monotonic()
        except ConnectionError:
            if record["hangup"] is None:
                record["hangup"] = time.monotonic()
        finally:
            if not eof.done():
                eof.cancel()


def _watch_for_hangup(reader, record: dict[str, Any]):
    """The read that ends when the client hangs up (marking the record), and a wait of up to
    ``seconds`` that says whether it has: what a paced stream sleeps on between tokens."""

    def on_eof(future: asyncio.Future) -> None:
        if record["t_end"] is None and record["hangup"] is None:
            record["hangup"] = time.monotonic()
        if future.done() and not future.cancelled():
            future.exception()  # a reset is a hang-up too; nothing to report

    eof = asyncio.ensure_future(reader.read(1))  # b"" (or an error) when the client hangs up
    eof.add_done_callback(on_eof)

    async def hung_up(seconds: float) -> bool:
        if eof.done():
            return True
        if seconds > 0:
            await asyncio.wait({eof}, timeout=seconds)
        else:
            await asyncio.sleep(0)  # behind schedule: still let the other streams run
        return eof.done()

    return eof, hung_up


async def _paced(writer, framed: list[bytes], count: int, rate: float, emits: list[float], hung_up) -> bool:
    """The ``count`` token frames at ``rate`` a second, each timestamped in ``emits``, then the
    closing frames; False when the client hung up before the end."""
    start = time.monotonic()
    sent = 0
    while sent < count:
        due = min(count, int((time.monotonic() - start) * rate) + 1)
        if due > sent:
            writer.write(b"".join(framed[sent:due]))
            now = time.monotonic()
            emits.extend([now] * (due - sent))
            sent = due
            if writer.transport.get_write_buffer_size() > 1 << 20:
                await writer.drain()
        if await hung_up(start + sent / rate - time.monotonic()):
            return False
    writer.write(b"".join(framed[count:]))
    await writer.drain()
    return True


class Tap:
    """A TCP proxy that timestamps what the app sends back on each connection."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.port = 0
        self.connections: list[dict[str, Any]] = []

    async def start(self) -> None:
        server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]

    async def handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        conn: dict[str, Any] = {
            "t_open": time.monotonic(),
            "request": "",
            "t_request": None,
            "up_bytes": 0,
            "down_bytes": 0,
            "down": [],
            "t_close": None,
        }
        self.connections.append(conn)
        try:
            app_reader, app_writer = await asyncio.open_connection("127.0.0.1", self.target)
        except OSError:
            client_writer.close()
            return
        for w in (client_writer, app_writer):
            sock = w.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        async def pump(
            reader: asyncio.StreamReader, writer: asyncio.StreamWriter, seen: Callable[[bytes], None]
        ) -> None:
            """Copy one direction, telling ``seen`` of each piece; close the far side at the end."""
            try:
                while data := await reader.read(65536):
                    seen(data)
                    writer.write(data)
                    await writer.drain()
            except ConnectionError:
                pass
            finally:
                writer.close()

        def went_up(data: bytes) -> None:
            if conn["t_request"] is None:
                conn["t_request"] = time.monotonic()
                conn["request"] = data.split(b"\r\n", 1)[0].decode("latin-1")
            conn["up_bytes"] += len(data)

        def came_down(data: bytes) -> None:
            conn["down"].append((time.monotonic(), data))
            conn["down_bytes"] += len(data)

        await asyncio.gather(pump(client_reader, app_writer, went_up), pump(app_reader, client_writer, came_down))
        conn["t_close"] = time.monotonic()

    def report(self, since: float = 0.0) -> list[dict[str, Any]]:
        """Every connection; for Gradio's event streams, the messages that arrived after ``since``."""
        out = []
        for conn in self.connections:
            item = {k: v for k, v in conn.items() if k != "down"}
            if "/queue/data" in conn["request"]:
                header_bytes, messages = sse_messages(conn["down"])
                item["header_bytes"] = header_bytes
                item["messages"] = [m for m in messages if m["t"] >= since]
            out.append(item)
        return out

    def forget_closed(self) -> None:
        self.connections = [c for c in self.connections if c["t_close"] is None]


class Harness:
    """The harness process, seen from the bench: start it, ask it things, stop it."""

    def __init__(self, cpu: int | None = None) -> None:
        import subprocess

        env = dict(os.environ)
        if cpu is not None:
            env["BENCH_HARNESS_CPU"] = str(cpu)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.harness"], stdout=subprocess.PIPE, env=env, cwd=_project_root()
        )
        info = json.loads(self.process.stdout.readline())
        self.port = info["port"]
        self.pid = info["pid"]
        self.url = f"http://127.0.0.1:{self.port}"

    def _call(self, method: str, path: str, timeout: float = 120.0) -> Any:
        import httpx

        response = httpx.request(method, self.url + path, timeout=timeout)
        response.raise_for_status()
        return response.json()

    def report(self, clear: bool = True, since: float = 0.0) -> dict[str, Any]:
        return self._call("GET", f"/_bench/report?since={since!r}" + ("&clear=1" if clear else ""))

    def session(self, sid: str) -> dict[str, Any] | None:
        return self._call("GET", f"/_bench/session?id={sid}")

    def prepare(self, protocol: str, form: str, count: int) -> None:
        self._call("POST", f"/_bench/prepare?protocol={protocol}&form={form}&tokens={count}")

    def tap(self, target_port: int) -> int:
        return self._call("POST", f"/_bench/tap?target={target_port}")["port"]

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except Exception:
            self.process.kill()

    def __enter__(self) -> Harness:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _project_root() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


async def serve(port: int) -> None:
    model = ModelServer()
    server = await asyncio.start_server(model.handle, "127.0.0.1", port, backlog=512)
    print(json.dumps({"port": server.sockets[0].getsockname()[1], "pid": os.getpid()}), flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    cpu = os.environ.get("BENCH_HARNESS_CPU")
    if cpu:
        try:
            os.sched_setaffinity(0, {int(cpu)})
        except (OSError, ValueError):
            pass
    try:
        asyncio.run(serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
