"""OpenAI-compatible servers (vLLM, llama.cpp, LM Studio).

The chat stream is read here, straight from httpx: the SSE lines are split and each
``data:`` event goes through ``json.loads`` into plain dicts. The openai client built a
pydantic model per chunk, which capped a whole run at about 8,000 tokens/s; the model
list (one call per run) still goes through the openai client.

Reasoning arrives in ``delta.reasoning`` (vLLM ≥ 0.11), ``delta.reasoning_content``
(older vLLM, llama.cpp, LM Studio), or inline in ``content`` when the server runs
no reasoning parser; the splitter handles the inline case.
"""

from __future__ import annotations

import json
from contextlib import aclosing
from typing import Any, AsyncIterator, Iterator

import httpx
import openai

from ..events import ContentText, Finished, Notice, ReasoningText, StreamEvent, Usage
from ..i18n import Message
from ..prompt import estimate_tokens, has_images
from .base import ChatRequest, ModelInfo, http_client, metadata_timeout
from .errors import (
    BackendError,
    describe_transport_error,
    error_text_from_json,
    html_error,
    images_refused,
    looks_like_context_overflow,
    looks_like_html,
    looks_like_image_rejection,
)

VLLM_SERVE = (
    "`vllm serve mistralai/Magistral-Small-2509 --reasoning-parser mistral --tokenizer-mode mistral "
    "--config-format mistral --load-format mistral --tool-call-parser mistral --enable-auto-tool-choice`"
)
VLLM_IMAGE_FLAG = """--limit-mm-per-prompt '{"image":10}'"""
# Room left for the prompt when max tokens must shrink to fit the server's context.
PROMPT_TOKEN_ALLOWANCE = 512


class OpenAICompatBackend:
    kind = "openai"
    how_to_start = VLLM_SERVE

    def __init__(self, base_url: str, api_key: str = "EMPTY", connect_timeout: float = 5.0) -> None:
        self.url = base_url.rstrip("/")
        self._api_key = api_key
        self.connect_timeout = connect_timeout

    def __repr__(self) -> str:  # never show the key
        return f"OpenAICompatBackend({self.url!r})"

    def missing_model_hint(self, model: str) -> Message:
        return Message("openai_serve_hint", start=VLLM_SERVE)

    def _client(self, http: httpx.AsyncClient) -> openai.AsyncOpenAI:
        return openai.AsyncOpenAI(base_url=self.url, api_key=self._api_key, http_client=http, max_retries=0)

    async def list_models(self) -> list[ModelInfo]:
        async with http_client(self.connect_timeout) as http:
            try:
                page = await self._client(http).models.list(timeout=metadata_timeout(self.connect_timeout))
            except openai.APIError as exc:
                raise self._describe(exc, "") from None
        return [ModelInfo(name=m.id, max_model_len=getattr(m, "max_model_len", None)) for m in page.data]

    async def default_model(self) -> str:
        models = await self.list_models()
        if not models:
            raise BackendError(Message("openai_no_models", url=self.url, start=VLLM_SERVE), kind="model_missing")
        return models[0].name

    async def _fit_max_tokens(self, request: ChatRequest) -> tuple[int, Message | None]:
        """Lower max tokens to what the server's context can hold, instead of a 400."""
        try:
            models = await self.list_models()
        except BackendError:
            return request.max_tokens, None  # the chat request will say what is wrong
        limit = next((m.max_model_len for m in models if m.name == request.model and m.max_model_len), None)
        if limit is None:
            return request.max_tokens, None
        prompt_estimate = estimate_tokens(request.messages) + PROMPT_TOKEN_ALLOWANCE
        room = limit - prompt_estimate
        if request.max_tokens <= room:
            return request.max_tokens, None
        fitted = max(1, room)
        return fitted, Message("openai_max_tokens_lowered", requested=request.max_tokens, fitted=fitted, limit=limit)

    def _redacted(self, error: BackendError) -> BackendError:
        """The error with the API key cut out: servers and proxies do quote the
        Authorization header back in their error bodies."""
        key = self._api_key
        if len(key) >= 8 and key in error.message:
            return BackendError(error.message.with_values(lambda text: text.replace(key, "[API key hidden]")), kind=error.kind)
        return error

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        max_tokens, notice = await self._fit_max_tokens(request)
        if notice:
            yield Notice(notice)
        body = {
            "model": request.model,
            "messages": request.messages,
            "temperature": request.temperature,
            "top_p": request.top_p,
            "max_tokens": max_tokens,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        headers = {"Authorization": f"Bearer {self._api_key}"}
        finish: str | None = None
        async with http_client(self.connect_timeout) as http:
            try:
                async with http.stream("POST", f"{self.url}/chat/completions", json=body, headers=headers) as response:
                    if not response.is_success:
                        raw = await response.aread()
                        raise self._status_error(
                            response.status_code, raw, response.headers.get("content-type", ""), _status_body(response),
                            request.model, has_images(request.messages),
                        )
                    if looks_like_html(b"", response.headers.get("content-type", "")):
                        raise html_error(self.url, response.status_code)  # e.g. a captive portal answering 200
                    async with aclosing(_sse_data(response)) as chunks:
                        async for chunk in chunks:
                            if isinstance(chunk, dict) and (chunk.get("error") or chunk.get("object") == "error"):
                                raise self._mid_stream_error(chunk.get("error") or chunk)
                            usage = chunk.get("usage")
                            if usage is not None:
                                details = usage.get("completion_tokens_details")
                                yield Usage(
                                    prompt_tokens=usage.get("prompt_tokens"),
                                    completion_tokens=usage.get("completion_tokens"),
                                    reasoning_tokens=details.get("reasoning_tokens") if details else None,
                                )
                            choices = chunk.get("choices")
                            if not choices:
                                continue
                            choice = choices[0]
                            delta = choice.get("delta")
                            if delta is not None:
                                reasoning = delta.get("reasoning") or delta.get("reasoning_content")
                                if reasoning:
                                    yield ReasoningText(_text(reasoning))
                                content = delta.get("content")
                                if content:
                                    yield ContentText(_text(content))
                            reason = choice.get("finish_reason")
                            if reason:
                                finish = reason
            except BackendError as error:
                raise self._redacted(error) from None
            except httpx.RequestError as exc:
                raise self._redacted(describe_transport_error(exc, self.url, VLLM_SERVE)) from None
            except UnicodeDecodeError:
                raise BackendError(Message("openai_not_utf8", url=self.url), kind="protocol") from None
            except ValueError:  # a data line that is not JSON
                raise BackendError(Message("openai_not_json", url=self.url), kind="protocol") from None
            except (AttributeError, TypeError, IndexError, KeyError):  # JSON, but not a chat.completion.chunk
                raise BackendError(Message("openai_odd_chunk", url=self.url), kind="protocol") from None
        if finish is None:
            raise BackendError(Message("openai_stream_ended_early", url=self.url), kind="cut")
        yield Finished("length" if finish == "length" else "stop")

    def _mid_stream_error(self, error: object) -> BackendError:
        """An error event inside the stream (HTTP status stayed 200)."""
        detail = error_text_from_json({"error": error})
        return BackendError(Message("openai_error_mid_answer", url=self.url, detail=detail.rstrip(".")), kind="server")

    def _describe(self, exc: openai.APIError, model: str, sent_images: bool = False) -> BackendError:
        """An error of the openai client (the model list), for a person, without the API key."""
        return self._redacted(self._describe_unredacted(exc, model, sent_images))

    def _describe_unredacted(self, exc: openai.APIError, model: str, sent_images: bool = False) -> BackendError:
        if isinstance(exc, openai.APITimeoutError):
            return describe_transport_error(httpx.ConnectTimeout("timeout"), self.url, VLLM_SERVE)
        if isinstance(exc, openai.APIConnectionError):
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, httpx.TransportError):
                return describe_transport_error(cause, self.url, VLLM_SERVE)
            return BackendError(Message("openai_unreachable", url=self.url, start=VLLM_SERVE), kind="unreachable")
        if isinstance(exc, openai.APIStatusError):
            response = exc.response
            raw = response.content if response is not None else b""
            content_type = response.headers.get("content-type", "") if response is not None else ""
            body = exc.body if exc.body is not None else _NO_BODY
            return self._status_error(exc.status_code, raw, content_type, body, model, sent_images, exc.message)
        # An error event inside the stream (HTTP status stayed 200).
        if exc.body is None:
            return self._mid_stream_error(exc.message)
        return self._mid_stream_error(exc.body)

    def _status_error(
        self, status: int, raw: bytes, content_type: str, body: object, model: str, sent_images: bool = False,
        message: str = "",
    ) -> BackendError:
        """An HTTP error status; ``body`` is the answer as the openai client reads it (see ``_status_body``)."""
        if looks_like_html(raw, content_type):
            return html_error(self.url, status)
        detail = (message or f"Error code: {status}") if body is _NO_BODY else error_text_from_json(body)
        if (
            sent_images
            and status in (400, 415, 422, 500, 501)
            and looks_like_image_rejection(detail)
            and not looks_like_context_overflow(detail)
        ):
            return images_refused(self.url, model, detail, Message("vllm_vision_hint", flag=VLLM_IMAGE_FLAG))
        if status == 401:
            return BackendError(Message("openai_key_refused", url=self.url), kind="bad_request")
        if status == 404 and not (model and (model in detail or "model" in detail.lower())):
            # the route itself is missing, e.g. a base URL without /v1
            return BackendError(Message("openai_wrong_url", url=self.url, detail=detail[:80]), kind="protocol")
        if status == 404:
            return BackendError(
                Message("openai_model_missing", url=self.url, model=model, detail=detail.rstrip("."), start=VLLM_SERVE),
                kind="model_missing",
            )
        if status == 400:
            if looks_like_context_overflow(detail) or "context" in detail.lower() or "maximum" in detail.lower():
                return BackendError(Message("openai_too_large", url=self.url, detail=detail.rstrip(".")), kind="too_large")
            return BackendError(
                Message("openai_refused", url=self.url, model=model, detail=detail.rstrip(".")), kind="bad_request"
            )
        return BackendError(Message("openai_http_error", url=self.url, status=status, detail=detail.rstrip(".")), kind="server")


_NO_BODY = object()
_DONE = object()


def _status_body(response: httpx.Response) -> object:
    """An error answer's body as the openai client hands it on: the JSON (unwrapped from
    ``{"error": ...}``) or, when it is not JSON, the text."""
    text = response.text.strip()
    try:
        body = json.loads(text)
    except ValueError:
        return text
    body = body.get("error", body) if isinstance(body, dict) else body
    return _NO_BODY if body is None else body


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("text field is not a string")
    return value


async def _sse_data(response: httpx.Response) -> AsyncIterator[Any]:
    """The ``data`` of each server-sent event, parsed as JSON, up to ``[DONE]``.

    Lines end in LF, CRLF or CR and are split on those alone (``aiter_lines`` would also
    split on U+2028 and friends, which JSON strings may carry raw, and would replace bytes
    that are not UTF-8 instead of refusing them). Comments and fields other than ``data``
    are ignored, as is an event the stream ends inside.
    """
    data: list[str] = []  # the data lines of the event being read
    held: list[bytes] = []  # the unfinished last line, across reads
    async for chunk in response.aiter_bytes():
        if b"\n" not in chunk and b"\r" not in chunk:
            held.append(chunk)
            continue
        if held:
            held.append(chunk)
            chunk = b"".join(held)
            held = []
        if b"\r" in chunk:
            if chunk.endswith(b"\r"):  # maybe the first half of a CRLF: wait for the next read
                held.append(b"\r")
                chunk = chunk[:-1]
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        lines = chunk.split(b"\n")
        rest = lines.pop()
        if rest:
            held.insert(0, rest)
        for payload in _events(lines, data):
            if payload is _DONE:
                return
            yield payload
    if held:
        lines = b"".join(held).replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
        lines.pop().decode("utf-8")  # an unfinished line is no event, but must still be text
        for payload in _events(lines, data):
            if payload is _DONE:
                return
            yield payload


def _events(lines: list[bytes], data: list[str]) -> Iterator[Any]:
    """Feed whole lines; yields each event ended by a blank line (its JSON, or _DONE)."""
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
            yield _DONE
            return
        yield json.loads(payload)
