"""Ollama's native API: ``POST /api/chat`` streaming NDJSON.

Reasoning comes in ``message.thinking`` when ``think`` is on (only for models with
the ``thinking`` capability); the library ``magistral`` also prints inline
``<think>`` tags in ``content``, which the splitter handles.
"""

from __future__ import annotations

import json
from typing import Any, AsyncIterator

import httpx

from ..events import ContentText, Finished, Notice, ReasoningText, StreamEvent, Usage
from ..prompt import flatten_for_ollama
from .base import ChatRequest, ModelInfo, http_client, metadata_timeout
from .errors import (
    BackendError,
    describe_transport_error,
    error_text_from_body,
    error_text_from_json,
    html_error,
    images_refused,
    looks_like_context_overflow,
    looks_like_html,
    looks_like_image_rejection,
)

HOW_TO_START = "`ollama serve`"


class OllamaBackend:
    kind = "ollama"
    how_to_start = HOW_TO_START

    def __init__(self, url: str, connect_timeout: float = 5.0) -> None:
        self.url = url.rstrip("/")
        self.connect_timeout = connect_timeout

    def missing_model_hint(self, model: str) -> str:
        return f"Download it with `ollama pull {model}`."

    async def default_model(self) -> str:
        return "magistral"

    async def list_models(self) -> list[ModelInfo]:
        data = await self._get_json("GET", "/api/tags")
        return [ModelInfo(name=m.get("name") or m.get("model", "")) for m in data.get("models", []) if isinstance(m, dict)]

    async def capabilities(self, model: str) -> tuple[str, ...]:
        """From ``/api/show``; empty when the server is too old to say."""
        try:
            data = await self._get_json("POST", "/api/show", {"model": model})
        except BackendError as error:
            # No server, or no model: say so now rather than wait out a second connect.
            if error.kind in ("model_missing", "unreachable", "timeout"):
                raise
            return ()
        return tuple(data.get("capabilities") or ())

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        capabilities = await self.capabilities(request.model)
        think = "thinking" in capabilities
        messages = flatten_for_ollama(request.messages)
        sent_images = any(m.get("images") for m in messages)
        body: dict[str, Any] = {
            "model": request.model,
            "messages": messages,
            "stream": True,
            "options": {"temperature": request.temperature, "top_p": request.top_p, "num_predict": request.max_tokens},
        }
        if think:
            body["think"] = True
        async with http_client(self.connect_timeout) as client:
            try:
                async with client.stream("POST", f"{self.url}/api/chat", json=body) as response:
                    if response.status_code == 400 and think:
                        detail = error_text_from_body(await response.aread())
                        if "does not support thinking" in detail:
                            body.pop("think")
                            yield Notice(f"{request.model} does not support thinking mode; running without it.")
                            async with client.stream("POST", f"{self.url}/api/chat", json=body) as retry:
                                async for event in self._read(retry, request.model, sent_images):
                                    yield event
                            return
                        raise self._status_error(400, detail, request.model, sent_images)
                    async for event in self._read(response, request.model, sent_images):
                        yield event
            except httpx.TransportError as exc:
                raise describe_transport_error(exc, self.url, HOW_TO_START) from None

    async def _read(self, response: httpx.Response, model: str, sent_images: bool = False) -> AsyncIterator[StreamEvent]:
        if response.status_code != 200:
            raw = await response.aread()
            if looks_like_html(raw, response.headers.get("content-type", "")):
                raise html_error(self.url, response.status_code)
            raise self._status_error(response.status_code, error_text_from_body(raw), model, sent_images)
        async for line in response.aiter_lines():
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError:
                if looks_like_html(line, response.headers.get("content-type", "")):
                    raise html_error(self.url, response.status_code) from None
                raise BackendError(
                    f"Ollama at {self.url} sent a line that is not JSON ({line[:60]!r}…). "
                    "Is that URL really an Ollama server?",
                    kind="protocol",
                ) from None
            if not isinstance(data, dict) or not isinstance(data.get("message") or {}, dict):
                raise BackendError(
                    f"Ollama at {self.url} sent a line of an unexpected shape ({line[:60]!r}…). "
                    "Is that URL really an Ollama server?",
                    kind="protocol",
                )
            if "error" in data:
                raise BackendError(
                    f"Ollama at {self.url} reported an error mid-answer: {error_text_from_json(data).rstrip('.')}. "
                    "What arrived is kept; try again.",
                    kind="server",
                )
            message = data.get("message") or {}
            thinking = message.get("thinking")
            if thinking:
                yield ReasoningText(thinking)
            content = message.get("content")
            if content:
                yield ContentText(content)
            if data.get("done"):
                yield Usage(
                    prompt_tokens=data.get("prompt_eval_count"),
                    completion_tokens=data.get("eval_count"),
                )
                yield Finished("length" if data.get("done_reason") == "length" else "stop")
                return
        raise BackendError(
            f"The stream from Ollama at {self.url} ended before the answer was complete; what arrived is kept. "
            "Try again.",
            kind="cut",
        )

    def _status_error(self, status: int, detail: str, model: str, sent_images: bool = False) -> BackendError:
        lowered = detail.lower()
        if sent_images and status in (400, 500) and looks_like_image_rejection(detail) and not looks_like_context_overflow(detail):
            return images_refused(self.url, model, detail, "`ollama pull` a model with the vision capability")
        if status == 404 and "model" not in lowered:  # the route itself is missing: not Ollama's API
            return BackendError(
                f"{self.url} does not look like an Ollama server: it answered HTTP 404 ({detail[:80]}). Check the URL "
                "(Ollama's is usually http://localhost:11434, without /v1), or choose the OpenAI-compatible server.",
                kind="protocol",
            )
        if status == 404 or ("model" in lowered and "not found" in lowered):
            return BackendError(
                f"Ollama at {self.url} does not have the model {model!r}. Download it with `ollama pull {model}`.",
                kind="model_missing",
            )
        if status in (400, 413, 500) and looks_like_context_overflow(detail):
            return BackendError(
                f"The request is too large for the context of {model!r} at {self.url}: {detail.rstrip('.')}. "
                "Shorten the text, lower max tokens, or give Ollama a larger context (OLLAMA_CONTEXT_LENGTH).",
                kind="too_large",
            )
        if status == 400:
            return BackendError(
                f"Ollama at {self.url} refused the request for {model!r}: {detail.rstrip('.')}. "
                "Check the model name and the settings in the Backend panel.",
                kind="bad_request",
            )
        return BackendError(f"Ollama at {self.url} answered HTTP {status}: {detail.rstrip('.')}. Try again.", kind="server")

    async def _get_json(self, method: str, path: str, payload: dict | None = None) -> dict:
        async with http_client(self.connect_timeout) as client:
            try:
                response = await client.request(method, f"{self.url}{path}", json=payload, timeout=metadata_timeout(self.connect_timeout))
            except httpx.TransportError as exc:
                raise describe_transport_error(exc, self.url, HOW_TO_START) from None
        if response.status_code != 200:
            if looks_like_html(response.content, response.headers.get("content-type", "")):
                raise html_error(self.url, response.status_code)
            raise self._status_error(response.status_code, error_text_from_body(response.content), str((payload or {}).get("model", "")))
        try:
            data = response.json()
        except ValueError:
            raise html_error(self.url, response.status_code) from None
        if not isinstance(data, dict):
            raise BackendError(f"{self.url}{path} answered something that is not Ollama's API.", kind="protocol")
        return data

