"""Failures explained for a person: what happened, what to do, which URL or model.

Backends raise :class:`BackendError` with a :class:`Message` (English, and sayable in the
reader's language); no message may contain a traceback, a header or the API key.
"""

from __future__ import annotations

import json
import math
import socket
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal, get_args

import httpx

from ..i18n import Message

ErrorKind = Literal[
    "unreachable",  # no server answered at the URL
    "model_missing",  # the server answered, but has no such model
    "too_large",  # the prompt and max tokens do not fit the context
    "bad_request",  # the server refused the request (or the key)
    "images_refused",  # the model takes no images
    "server",  # the server failed (5xx, or an error inside the stream)
    "protocol",  # the answer is not the API we speak
    "timeout",  # no answer in time
    "cut",  # the stream broke off
    "error",  # anything else
]
ERROR_KINDS: tuple[str, ...] = get_args(ErrorKind)


class BackendError(Exception):
    """A failure with a message fit to show in the UI and on the CLI's stderr."""

    def __init__(self, message: Message, *, kind: ErrorKind = "error", retry_after_s: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.kind: ErrorKind = kind
        self.retry_after_s = retry_after_s  # a 429's Retry-After: what a batch waits before it asks again


def describe_transport_error(exc: BaseException, url: str, how_to_start: str) -> BackendError:
    """A connection-level failure (no HTTP answer, or the stream broke)."""
    if isinstance(exc, httpx.ConnectTimeout):
        return BackendError(Message("connect_timeout", url=url, start=how_to_start), kind="timeout")
    if isinstance(exc, httpx.ConnectError):
        if _is_name_resolution_failure(exc):
            return BackendError(Message("host_unknown", host=httpx.URL(url).host, url=url), kind="unreachable")
        return BackendError(Message("connection_refused", url=url, start=how_to_start), kind="unreachable")
    if isinstance(exc, httpx.RemoteProtocolError) and "without sending a response" in str(exc):
        return BackendError(Message("closed_without_answer", url=url, start=how_to_start), kind="cut")
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return BackendError(Message("connection_broke", url=url), kind="cut")
    if isinstance(exc, httpx.TimeoutException):
        return BackendError(Message("server_went_silent", url=url), kind="timeout")
    return BackendError(Message("talking_failed", url=url, detail=type(exc).__name__), kind="protocol")


def _is_name_resolution_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return True
        text = str(seen).lower()
        if "name or service not known" in text or "nodename nor servname" in text or "name resolution" in text:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def looks_like_context_overflow(detail: str) -> bool:
    """Server wording for "prompt plus max tokens do not fit" (vLLM, OpenAI, llama.cpp, Ollama)."""
    lowered = detail.lower()
    return any(
        phrase in lowered
        for phrase in (
            "context length",
            "context window",
            "context size",
            "max_model_len",
            "too long",
            "maximum context",
            "exceeds the context",
        )
    )


def looks_like_image_rejection(detail: str) -> bool:
    """Server wording for "this model takes no images": vLLM's "… is not a multimodal model" or
    "At most 0 image(s) may be provided", Ollama's "this model does not support image input"."""
    lowered = detail.lower()
    return any(word in lowered for word in ("image", "multimodal", "multi-modal", "vision", "mm_processor"))


def images_refused(url: str, model: str, detail: str, how: str) -> BackendError:
    return BackendError(
        Message("images_refused", url=url, detail=detail.rstrip("."), model=model, start=how), kind="images_refused"
    )


def refused_images(
    url: str, model: str, status: int, detail: str, *, sent_images: bool, statuses: tuple[int, ...], how: str
) -> BackendError | None:
    """The error for a status that says the model takes no images, if it does (None otherwise):
    only for a request that sent some, with one of the statuses the server refuses them with,
    and not when the wording is of a context overflow, which may well mention the images."""
    if (
        sent_images
        and status in statuses
        and looks_like_image_rejection(detail)
        and not looks_like_context_overflow(detail)
    ):
        return images_refused(url, model, detail, how)
    return None


def looks_like_html(body: bytes | str, content_type: str = "") -> bool:
    head = body[:200].lstrip().lower() if isinstance(body, str) else body[:200].lstrip().lower().decode("latin-1")
    return "html" in content_type.lower() or head.startswith("<!doctype") or head.startswith("<html")


def error_text_from_body(body: bytes) -> str:
    """The server's own error message, from any of the JSON shapes servers use."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return body.decode("utf-8", "replace").strip()[:300]
    return error_text_from_json(data)


def error_text_from_json(data: object) -> str:
    """Read tolerantly: OpenAI's ``{"error": {"message"}}``, Ollama's ``{"error": "…"}``, older
    vLLM's and Mistral's ``{"object": "error", "message": …}`` (whose message may itself be a
    validation report, as a dict, a list or JSON text), FastAPI's ``{"detail": …}``."""
    return _error_text(data)[:500]


def _error_text(data: object) -> str:
    if isinstance(data, str):
        text = data.strip()
        if text[:1] in "{[":  # a report quoted as JSON text
            try:
                return _error_text(json.loads(text))
            except ValueError:
                pass
        return text
    if isinstance(data, list):  # a validation report: [{"loc": [...], "msg": "..."}]
        return "; ".join(_error_text(item) for item in data)
    if isinstance(data, dict):
        if isinstance(data.get("msg"), str):
            where = ".".join(str(part) for part in data.get("loc") or ())
            return f"{where}: {data['msg']}" if where else data["msg"]
        for key in ("error", "message", "detail"):
            if data.get(key):
                return _error_text(data[key])
    return str(data)


def rate_limited(url: str, retry_after: str | None, detail: str) -> BackendError:
    """HTTP 429, with how long the server asks to wait (``Retry-After``: seconds or a date)."""
    seconds = seconds_to_wait(retry_after)
    if seconds is None:
        return BackendError(Message("rate_limited_no_wait", url=url, detail=detail.rstrip(".")), kind="server")
    return BackendError(
        Message("rate_limited", url=url, seconds=seconds, detail=detail.rstrip(".")),
        kind="server",
        retry_after_s=seconds,
    )


def seconds_to_wait(retry_after: str | None) -> int | None:
    """A ``Retry-After`` header's wait in whole seconds (at least 1); None where it says none."""
    text = (retry_after or "").strip()
    if not text:
        return None
    try:
        return max(1, math.ceil(float(text)))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(1, math.ceil((when - datetime.now(UTC)).total_seconds()))


def html_error(url: str, status: int) -> BackendError:
    return BackendError(Message("web_page_not_api", url=url, status=status), kind="protocol")
