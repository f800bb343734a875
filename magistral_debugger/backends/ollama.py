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
from ..i18n import Message
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

    def missing_model_hint(self, model: str) -> Message:
        return Message("ollama_pull_hint", model=model)

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
                            yield Notice(Message("ollama_no_thinking", model=request.model))
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
                raise BackendError(Message("ollama_not_json", url=self.url, line=repr(line[:60])), kind="protocol") from None
            if not isinstance(data, dict) or not isinstance(data.get("message") or {}, dict):
                raise BackendError(Message("ollama_odd_line", url=self.url, line=repr(line[:60])), kind="protocol")
            if "error" in data:
                detail = error_text_from_json(data).rstrip(".")
                raise BackendError(Message("ollama_error_mid_answer", url=self.url, detail=detail), kind="server")
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
        raise BackendError(Message("ollama_stream_ended_early", url=self.url), kind="cut")

    def _status_error(self, status: int, detail: str, model: str, sent_images: bool = False) -> BackendError:
        lowered = detail.lower()
        if sent_images and status in (400, 500) and looks_like_image_rejection(detail) and not looks_like_context_overflow(detail):
            return images_refused(self.url, model, detail, Message("ollama_vision_hint"))
        if status == 404 and "model" not in lowered:  # the route itself is missing: not Ollama's API
            return BackendError(Message("ollama_wrong_url", url=self.url, detail=detail[:80]), kind="protocol")
        if status == 404 or ("model" in lowered and "not found" in lowered):
            return BackendError(Message("ollama_model_missing", url=self.url, model=model), kind="model_missing")
        if status in (400, 413, 500) and looks_like_context_overflow(detail):
            return BackendError(
                Message("ollama_too_large", model=model, url=self.url, detail=detail.rstrip(".")), kind="too_large"
            )
        if status == 400:
            return BackendError(
                Message("ollama_refused", url=self.url, model=model, detail=detail.rstrip(".")), kind="bad_request"
            )
        return BackendError(Message("ollama_http_error", url=self.url, status=status, detail=detail.rstrip(".")), kind="server")

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
            raise BackendError(Message("ollama_not_its_api", url=f"{self.url}{path}"), kind="protocol")
        return data

