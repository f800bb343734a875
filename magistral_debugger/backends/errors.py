"""Failures explained for a person: what happened, what to do, which URL or model.

Backends raise :class:`BackendError`; everything above shows its message as is,
so no message here may contain a traceback, a header or the API key.
"""

from __future__ import annotations

import json
import socket

import httpx


class BackendError(Exception):
    """A failure with a message fit to show in the UI and on the CLI's stderr."""

    def __init__(self, message: str, *, kind: str = "error") -> None:
        super().__init__(message)
        self.message = message
        # unreachable | model_missing | too_large | bad_request | images_refused | server | protocol | timeout | cut
        self.kind = kind


def describe_transport_error(exc: BaseException, url: str, how_to_start: str) -> BackendError:
    """A connection-level failure (no HTTP answer, or the stream broke)."""
    if isinstance(exc, httpx.ConnectTimeout):
        return BackendError(
            f"Connecting to {url} timed out: nothing answered. Check the URL and that the server is up "
            f"({how_to_start}); a firewall may be dropping the connection.",
            kind="timeout",
        )
    if isinstance(exc, httpx.ConnectError):
        if _is_name_resolution_failure(exc):
            host = httpx.URL(url).host
            return BackendError(
                f"The host name {host!r} in {url} does not resolve. Check the URL for a typo.",
                kind="unreachable",
            )
        return BackendError(
            f"Cannot reach the model server at {url} (connection refused). Start it with {how_to_start}, "
            "or set the right URL.",
            kind="unreachable",
        )
    if isinstance(exc, httpx.RemoteProtocolError) and "without sending a response" in str(exc):
        return BackendError(
            f"The server at {url} closed the connection without answering. Check that this URL is the model "
            f"server ({how_to_start}) and try again.",
            kind="cut",
        )
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return BackendError(
            f"The connection to {url} broke off mid-stream; what arrived is kept. Try again.",
            kind="cut",
        )
    if isinstance(exc, httpx.TimeoutException):
        return BackendError(f"The server at {url} stopped answering (timeout). Try again.", kind="timeout")
    return BackendError(f"Talking to {url} failed: {type(exc).__name__}. Try again.", kind="protocol")


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
        f"The server at {url} refused the photo: {detail.rstrip('.')}. The model {model!r} there does not take "
        f"images. Remove the photo and type the proof, or serve a model that can see ({how}).",
        kind="images_refused",
    )


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
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict):  # OpenAI/vLLM nested form
            return str(error.get("message") or error)[:500]
        if error:  # Ollama's flat {"error": "..."}
            return str(error)[:500]
        if data.get("object") == "error" or "message" in data:  # older vLLM
            return str(data.get("message"))[:500]
        if isinstance(data.get("detail"), str):  # FastAPI's own errors, e.g. an unknown route
            return data["detail"][:500]
    return str(data)[:300]


def html_error(url: str, status: int) -> BackendError:
    return BackendError(
        f"{url} answered with a web page (HTTP {status}), not the model API: a proxy or another program is in the "
        "way, or the URL is wrong. Check the URL, and that the model server behind any proxy is running.",
        kind="protocol",
    )
