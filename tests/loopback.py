"""Real HTTP servers on 127.0.0.1 that speak Ollama's NDJSON API and vLLM's
OpenAI-compatible SSE API, scripted per test.

Client code is tested against actual sockets rather than mocks because the
bugs worth catching live in the transport: JSON lines split across TCP
segments, UTF-8 characters cut in half, connections dropped mid-stream, and
whether cancelling really hangs up on the server (see ``ModelServer.hangups``).
"""

from __future__ import annotations

import json
import select
import socket
import struct
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

NDJSON, SSE, JSON = "application/x-ndjson", "text/event-stream", "application/json"
DEFAULT_THINKING = ["Let me check ", "the cancellation ", "step."]
DEFAULT_ANSWER = ["Cancelling x ", "− y ", "divides by zero."]  # U+2212: multi-byte on the wire
POLL = 0.01  # hang-up detection granularity while sleeping
WIRE_EVENTS, WIRE_BYTES = 4096, 1024  # what ModelServer.wire keeps


@dataclass(frozen=True)
class Sleep:
    seconds: float


@dataclass(frozen=True)
class Close:
    """Drop the connection without finishing the reply. ``reset=True`` sends an
    RST (SO_LINGER 0) instead of a FIN, which clients report as a reset rather
    than a premature EOF."""

    reset: bool = False


@dataclass(frozen=True, eq=False)
class Hold:
    """Write nothing more until the test sets ``until`` (at most ``timeout`` s, so a client
    that never reads on does not hang the test): a pause ended by order, not by time."""

    until: threading.Event
    timeout: float = 10.0


Step = bytes | Sleep | Close | Hold


@dataclass
class Reply:
    """A scripted response. Without ``content_type`` it is guessed from the body
    (SSE if it starts with ``data:``, else NDJSON) so builder output can be
    passed straight in. Multi-step, streaming-typed or paced bodies go out with
    chunked encoding, one chunk per bytes step; a single JSON body gets a
    Content-Length like a real server. ``raw=True`` writes the steps verbatim,
    status line included, then closes."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: list[Step] = field(default_factory=list)
    content_type: str | None = None
    raw: bool = False


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]  # keys lower-cased
    body: bytes
    json: Any
    time: float


Responder = Reply | Callable[[Received], Reply]


class _HungUp(Exception):
    pass


def _dumps(obj: Any) -> str:
    # Compact and raw UTF-8, as Go's encoder and pydantic emit it.
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def json_reply(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status=status, headers=headers or {}, body=[_dumps(obj).encode()], content_type=JSON)


def ollama_error(message: str, status: int = 404) -> Reply:
    return json_reply({"error": message}, status)


def openai_error(message: str, type: str = "NotFoundError", status: int = 404, flat: bool = False) -> Reply:
    """``flat=True`` gives the older vLLM shape without the ``error`` wrapper."""
    err = {"message": message, "type": type, "param": None, "code": status}
    return json_reply({"object": "error", **err} if flat else {"error": err}, status)


def sse_error(message: str, type: str = "InternalServerError", code: int = 500) -> bytes:
    err = {"message": message, "type": type, "param": None, "code": code}
    return f"data: {_dumps({'error': err})}\n\n".encode()


def paced(steps: list[Step], seconds_between: float) -> list[Step]:
    out: list[Step] = []
    for i, step in enumerate(steps):
        out += [Sleep(seconds_between), step] if i else [step]
    return out


def _now_rfc3339() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") + "000Z"


def _ollama_done(model: str, done_reason: str, eval_count: int, prompt_eval_count: int) -> dict:
    return {
        "model": model,
        "created_at": _now_rfc3339(),
        "message": {"role": "assistant", "content": ""},
        "done": True,
        "done_reason": done_reason,
        "total_duration": 1_234_000_000,
        "load_duration": 12_000_000,
        "prompt_eval_count": prompt_eval_count,
        "prompt_eval_duration": 45_000_000,
        "eval_count": eval_count,
        "eval_duration": 1_100_000_000,
    }


def ollama_chat_lines(
    thinking: Sequence[str] = (),
    content: Sequence[str] = (),
    done_reason: str = "stop",
    model: str = "magistral",
    eval_count: int | None = None,
    prompt_eval_count: int = 7,
    error: str | None = None,
) -> list[bytes]:
    lines = []
    pieces = [("thinking", t) for t in thinking] + [("content", c) for c in content]
    for kind, text in pieces:
        msg = {"role": "assistant", "content": ""} | {kind: text}
        lines.append({"model": model, "created_at": _now_rfc3339(), "message": msg, "done": False})
    if error is not None:
        lines.append({"error": error})
    else:
        count = len(pieces) if eval_count is None else eval_count
        lines.append(_ollama_done(model, done_reason, count, prompt_eval_count))
    return [(_dumps(line) + "\n").encode() for line in lines]


def _openai_usage(n_reasoning: int, n_content: int, prompt: int = 7) -> dict:
    done = n_reasoning + n_content
    return {
        "prompt_tokens": prompt,
        "completion_tokens": done,
        "total_tokens": prompt + done,
        "completion_tokens_details": {"reasoning_tokens": n_reasoning},
    }


def openai_sse_events(
    reasoning: Sequence[str] = (),
    content: Sequence[str] = (),
    reasoning_field: str | None = "reasoning",
    finish_reason: str | None = "stop",
    usage: dict | None = ...,
    model: str = "mistralai/Magistral-Small-2509",
    done: bool = True,
) -> list[bytes]:
    """``reasoning_field=None`` sends reasoning inline in ``content`` (the
    caller supplies any [THINK] markers); ``usage=...`` derives the usage chunk
    from the piece counts, ``None`` omits it; ``finish_reason=None`` omits the
    finish chunk."""
    cid, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())

    def chunk(choices: list, **extra: Any) -> bytes:
        obj = {
            "id": cid,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": choices,
            **extra,
        }
        return f"data: {_dumps(obj)}\n\n".encode()

    def choice(delta: dict, finish: str | None = None) -> list:
        return [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]

    pieces = [(reasoning_field or "content", r) for r in reasoning] + [("content", c) for c in content]
    events = [
        chunk(choice(({"role": "assistant"} if i == 0 else {}) | {key: text})) for i, (key, text) in enumerate(pieces)
    ]
    if not pieces:
        events.append(chunk(choice({"role": "assistant", "content": ""})))
    if finish_reason is not None:
        events.append(chunk(choice({}, finish_reason)))
    if usage is ...:
        usage = _openai_usage(len(reasoning), len(content))
    if usage is not None:
        events.append(chunk([], usage=usage))
    return events + ([b"data: [DONE]\n\n"] if done else [])


# --- Mistral's hosted API and vLLM's tokenizer ---------------------------------------------


def thinking_chunk(*texts: str) -> dict:
    """Mistral's thinking chunk: its ``thinking`` is itself a list of text chunks."""
    return {"type": "thinking", "thinking": [{"type": "text", "text": text} for text in texts]}


def text_chunk(text: str) -> dict:
    return {"type": "text", "text": text}


def mistral_sse_events(
    contents: Sequence[str | list],
    finish_reason: str = "stop",
    model: str = "mistral-small-latest",
    prompt_tokens: int = 7,
) -> list[bytes]:
    """Mistral's stream: each item is one chunk's ``delta.content`` (a string, or a list of
    typed chunks); no ``reasoning`` field; the last chunk carries the finish reason and the
    usage together, which Mistral sends without ``stream_options``."""
    cid, created = uuid.uuid4().hex, int(time.time())

    def chunk(delta: dict, finish: str | None = None, **extra: Any) -> bytes:
        obj = {
            "id": cid,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            **extra,
        }
        return f"data: {_dumps(obj)}\n\n".encode()

    events = [chunk({"role": "assistant", "content": ""})]
    events += [chunk({"content": content}) for content in contents]
    usage = {
        "prompt_tokens": prompt_tokens,
        "total_tokens": prompt_tokens + len(contents),
        "completion_tokens": len(contents),
    }
    events.append(chunk({"content": ""}, finish_reason, usage=usage))
    return events + [b"data: [DONE]\n\n"]


def mistral_models(*entries: dict) -> Reply:
    """Mistral's ``/v1/models``: each model's context, capabilities and aliases."""
    return json_reply(
        {
            "object": "list",
            "data": [
                {
                    "object": "model",
                    "created": int(time.time()),
                    "owned_by": "mistralai",
                    "description": "",
                    "capabilities": {"completion_chat": True, "function_calling": True, "vision": False},
                    "max_context_length": 131072,
                    "aliases": [],
                    "deprecation": None,
                    "type": "base",
                    **entry,
                }
                for entry in entries
            ],
        }
    )


def vllm_tokenize(think_tokens: bool) -> Callable[[Received], Reply]:
    """vLLM's ``/tokenize`` for a chat request with ``return_token_strs``: a tokenizer with
    think tokens encodes a thinking chunk as one ``[THINK]`` piece, one without spells it out."""
    think = ["[THINK]"] if think_tokens else ["[", "TH", "INK", "]"]
    end = ["[/THINK]"] if think_tokens else ["[/", "TH", "INK", "]"]

    def reply(request: Received) -> Reply:
        pieces = [
            "<s>",
            "[SYSTEM_PROMPT]",
            "Think",
            ".",
            *think,
            "x",
            *end,
            "[/SYSTEM_PROMPT]",
            "[INST]",
            "?",
            "[/INST]",
        ]
        strs = pieces if (request.json or {}).get("return_token_strs") else None
        return json_reply(
            {"count": len(pieces), "max_model_len": 40960, "tokens": list(range(len(pieces))), "token_strs": strs}
        )

    return reply


def chat_path(backend: str) -> str:
    """Where each API streams its chat replies from."""
    return "/api/chat" if backend == "ollama" else "/v1/chat/completions"


def chat_stream(
    backend: str, reasoning: Sequence[str] = (), content: Sequence[str] = (), *, complete: bool = True
) -> list[bytes]:
    """A streamed reply in the backend's own format; ``complete=False`` leaves off the
    final done line (Ollama) or the finish chunk, usage and ``[DONE]`` (OpenAI)."""
    if backend == "ollama":
        lines = ollama_chat_lines(reasoning, content)
        return lines if complete else lines[:-1]
    if complete:
        return openai_sse_events(reasoning, content)
    return openai_sse_events(reasoning, content, finish_reason=None, usage=None, done=False)


def user_text(received: Received) -> str:
    """The text of the request's last user message (a string, or the text parts of a list)."""
    for message in reversed((received.json or {}).get("messages") or []):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, list):
                return "".join(part.get("text", "") for part in content if isinstance(part, dict))
            return content or ""
    return ""


class PerRequest:
    """A responder whose reply depends on the request: ``key(received)`` says which entry of
    ``replies`` answers it; a list there answers that key's requests in turn (its last reply
    repeats), for a question asked again that gets another answer. ``asked`` counts by key."""

    def __init__(self, key: Callable[[Received], Any], replies: dict[Any, Responder | list[Responder]]):
        self.key, self.replies = key, replies
        self.asked: dict[Any, int] = {}
        self._lock = threading.Lock()

    def __call__(self, received: Received) -> Reply:
        key = self.key(received)
        with self._lock:
            turn = self.asked[key] = self.asked.get(key, 0) + 1
        replies = self.replies[key]
        reply = replies[min(turn, len(replies)) - 1] if isinstance(replies, list) else replies
        return reply(received) if callable(reply) else reply


def _peer_gone(sock: socket.socket) -> bool:
    """EOF (or a reset) from the client is the only way it tells us it has
    cancelled, so peek without consuming anything the client may have sent."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        return bool(readable) and sock.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked, like Ollama and uvicorn
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.owner._track(self.connection, True)

    def finish(self) -> None:
        self.server.owner._track(self.connection, False)
        try:
            super().finish()
        except OSError:
            pass

    def log_message(self, *args: Any) -> None:
        pass

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while size := int(self.rfile.readline().split(b";")[0], 16):
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass
            return b"".join(parts)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _dispatch(self) -> None:
        body = self._read_body()
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = None
        received = Received(
            self.command,
            urlsplit(self.path).path,
            {k.lower(): v for k, v in self.headers.items()},
            body,
            parsed,
            time.monotonic(),
        )
        owner = self.server.owner
        owner._record(owner.requests, received)
        reply = owner._reply_for(received)
        try:
            self._send(reply)
        except _HungUp:
            if not owner._stopping.is_set():
                owner._record(owner.wire, ("hangup", b""))
                owner._record(owner.hangups, time.monotonic())
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = _dispatch

    def _send(self, reply: Reply) -> None:
        steps = [s for s in reply.body if s != b""]  # an empty chunk would end the body
        ctype = reply.content_type or (
            SSE if steps and isinstance(steps[0], bytes) and steps[0].startswith(b"data:") else NDJSON
        )
        chunked = not reply.raw and (ctype in (NDJSON, SSE) or len(steps) != 1 or not isinstance(steps[0], bytes))
        if not reply.raw:
            head = [
                f"HTTP/1.1 {reply.status} {self.responses.get(reply.status, ('',))[0]}",
                f"Date: {self.date_time_string()}",
                f"Content-Type: {ctype}",
            ]
            head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {sum(len(s) for s in steps)}")
            head += [f"{k}: {v}" for k, v in reply.headers.items()]
            self._write("\r\n".join(head).encode() + b"\r\n\r\n")
        for step in steps:
            if isinstance(step, Sleep):
                self._sleep(step.seconds)
            elif isinstance(step, Hold):
                self._hold(step)
            elif isinstance(step, Close):
                self._close(step.reset)
                return
            else:
                self._write(b"%x\r\n%s\r\n" % (len(step), step) if chunked else step)
        if chunked:
            self._write(b"0\r\n\r\n")
        if reply.raw:
            self._close(False)

    def _write(self, data: bytes) -> None:
        self.server.owner._record(self.server.owner.wire, ("write", data[:WIRE_BYTES]))
        if self.server.owner._stopping.is_set() or _peer_gone(self.connection):
            raise _HungUp
        try:
            self.connection.sendall(data)
        except OSError as exc:
            raise _HungUp from exc

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while True:
            if self.server.owner._stopping.is_set() or _peer_gone(self.connection):
                raise _HungUp
            if (left := end - time.monotonic()) <= 0:
                return
            time.sleep(min(POLL, left))

    def _hold(self, hold: Hold) -> None:
        end = time.monotonic() + hold.timeout
        while not hold.until.wait(POLL) and time.monotonic() < end:
            if self.server.owner._stopping.is_set() or _peer_gone(self.connection):
                raise _HungUp

    def _close(self, reset: bool) -> None:
        self.close_connection = True
        sock = self.connection
        try:
            if reset:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.rfile.close()  # the makefile reference would otherwise defer the close
                sock.close()
            else:
                sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    owner: ModelServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that closes a kept-alive connection with bytes still unread (the
        # chunked terminator after Ollama's done line) makes Linux send an RST, which
        # lands here while waiting for the next request: normal, not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


# What Ollama says of a pulled Magistral in /api/tags and /api/show.
OLLAMA_DETAILS = {
    "parent_model": "",
    "format": "gguf",
    "family": "llama",
    "families": ["llama"],
    "parameter_size": "23.6B",
    "quantization_level": "Q4_K_M",
}


class ModelServer:
    """One loopback server answering both APIs. Routes fall back to sensible
    defaults so a test only scripts the exchange it is about."""

    def __init__(
        self,
        ollama_models: tuple[str, ...] = ("magistral:latest",),
        openai_model: str = "mistralai/Magistral-Small-2509",
        max_model_len: int = 40960,
        openai_root: str | None = None,
    ):
        """``openai_root``: the checkpoint vLLM's /v1/models names behind ``openai_model`` (itself by default)."""
        self.ollama_models, self.openai_model, self.max_model_len = ollama_models, openai_model, max_model_len
        self.openai_root = openai_root or openai_model
        self.requests: list[Received] = []
        self.hangups: list[float] = []
        # In order: each write the server set out to make (before it looks for a hang-up; its
        # first WIRE_BYTES bytes), and each hang-up it saw, so a test can tell whether a hang-up
        # was seen before the next write. The latest WIRE_EVENTS only: a soak runs for hours.
        self.wire: deque[tuple[str, bytes]] = deque(maxlen=WIRE_EVENTS)
        self._cond = threading.Condition()
        self._stopping = threading.Event()
        self._open: set[socket.socket] = set()
        self._handlers: list[threading.Thread] = []
        self._hangups_taken = 0
        self._requests_taken: set[int] = set()
        self._routes: dict[tuple[str, str], list] = {}  # key -> [responders, next index]
        for method, path, fn in [
            ("GET", "/api/tags", self._tags),
            ("POST", "/api/show", self._show),
            ("POST", "/api/chat", self._ollama_chat),
            ("GET", "/v1/models", self._models),
            ("POST", "/v1/chat/completions", self._openai_chat),
        ]:
            self.route(method, path, fn)
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(POLL,), daemon=True)

    def __enter__(self) -> ModelServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        with self._cond:
            for sock in list(self._open):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        self._httpd.server_close()
        self._thread.join(timeout=5)
        for thread in self._handlers:  # the stdlib only joins non-daemon handler threads
            thread.join(timeout=5)

    def route(self, method: str, path: str, reply: Responder | list[Responder]) -> None:
        with self._cond:
            self._routes[(method.upper(), path)] = [reply if isinstance(reply, list) else [reply], 0]

    def wait_for_hangup(self, timeout: float = 2.0) -> float | None:
        """Returns the next hang-up not yet returned by an earlier call, so a
        hang-up that lands before the test starts waiting is not missed."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.hangups) > self._hangups_taken, timeout):
                return None
            self._hangups_taken += 1
            return self.hangups[self._hangups_taken - 1]

    def wait_for_request(self, path: str, timeout: float = 2.0) -> Received:
        """Returns the earliest request to ``path`` not yet returned by this method."""

        def pending() -> int | None:
            return next(
                (i for i, r in enumerate(self.requests) if r.path == path and i not in self._requests_taken), None
            )

        with self._cond:
            if not self._cond.wait_for(lambda: pending() is not None, timeout):
                raise TimeoutError(f"no request to {path} within {timeout}s")
            i = pending()
            self._requests_taken.add(i)
            return self.requests[i]

    def _reply_for(self, received: Received) -> Reply:
        with self._cond:
            entry = self._routes.get((received.method, received.path))
            if entry is None:
                return Reply(404, body=[b"404 page not found"], content_type="text/plain")
            responders, i = entry
            entry[1] = i + 1
            responder = responders[min(i, len(responders) - 1)]
        return responder(received) if callable(responder) else responder

    def _record(self, log: list, item: Any) -> None:
        with self._cond:
            log.append(item)
            self._cond.notify_all()

    def _track(self, sock: socket.socket, is_open: bool) -> None:
        with self._cond:
            (self._open.add if is_open else self._open.discard)(sock)
            if is_open:
                self._handlers.append(threading.current_thread())

    # Default routes ---------------------------------------------------------

    def _ollama_name(self, name: str) -> str | None:
        return next((m for m in self.ollama_models if name in (m, m.removesuffix(":latest"))), None)

    def _tags(self, _: Received) -> Reply:
        return json_reply(
            {
                "models": [
                    {
                        "name": m,
                        "model": m,
                        "modified_at": "2025-09-18T10:00:00.000000000Z",
                        "size": 14_333_928_000,
                        "digest": uuid.uuid5(uuid.NAMESPACE_URL, m).hex * 2,
                        "details": OLLAMA_DETAILS,
                    }
                    for m in self.ollama_models
                ]
            }
        )

    def _show(self, req: Received) -> Reply:
        name = (req.json or {}).get("model") or (req.json or {}).get("name", "")
        if not self._ollama_name(name):
            return ollama_error(f"model '{name}' not found")
        return json_reply(
            {
                "modelfile": f"FROM {name}\n",
                "parameters": "temperature 0.7\ntop_p 0.95",
                "template": "{{- range .Messages }}[INST]{{ .Content }}[/INST]{{ end }}",
                "details": OLLAMA_DETAILS,
                "model_info": {
                    "general.architecture": "llama",
                    "general.parameter_count": 23_572_403_200,
                    "llama.context_length": 131072,
                },
                "capabilities": ["completion", "thinking"],
                "modified_at": "2025-09-18T10:00:00Z",
            }
        )

    def _ollama_chat(self, req: Received) -> Reply:
        body = req.json or {}
        name = body.get("model", "")
        if not self._ollama_name(name):
            return ollama_error(f'model "{name}" not found, try pulling it first')
        lines = ollama_chat_lines(DEFAULT_THINKING, DEFAULT_ANSWER, model=name)
        if body.get("stream", True):
            return Reply(body=lines, content_type=NDJSON)
        done = json.loads(lines[-1])
        done["message"] = {
            "role": "assistant",
            "content": "".join(DEFAULT_ANSWER),
            "thinking": "".join(DEFAULT_THINKING),
        }
        return json_reply(done)

    def _models(self, _: Received) -> Reply:
        return json_reply(
            {
                "object": "list",
                "data": [
                    {
                        "id": self.openai_model,
                        "object": "model",
                        "created": int(time.time()),
                        "owned_by": "vllm",
                        "root": self.openai_root,
                        "parent": None,
                        "max_model_len": self.max_model_len,
                    }
                ],
            }
        )

    def _openai_chat(self, req: Received) -> Reply:
        body = req.json or {}
        if body.get("model") != self.openai_model:
            return openai_error(f"The model `{body.get('model')}` does not exist.")
        if body.get("stream"):
            usage = ... if (body.get("stream_options") or {}).get("include_usage") else None
            return Reply(
                body=openai_sse_events(DEFAULT_THINKING, DEFAULT_ANSWER, usage=usage, model=self.openai_model),
                content_type=SSE,
            )
        message = {"role": "assistant", "content": "".join(DEFAULT_ANSWER), "reasoning": "".join(DEFAULT_THINKING)}
        return json_reply(
            {
                "id": f"chatcmpl-{uuid.uuid4().hex}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": self.openai_model,
                "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}],
                "usage": _openai_usage(len(DEFAULT_THINKING), len(DEFAULT_ANSWER)),
            }
        )


def free_port() -> int:
    """A loopback port nothing listens on right now, for an app to bind."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dead_url() -> str:
    """A loopback URL where nothing listens: connecting is refused at once."""
    return f"http://127.0.0.1:{free_port()}"
