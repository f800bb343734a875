"""OpenAI-compatible servers (vLLM, llama.cpp, LM Studio).

The openai client does what it does well here: it lists models, builds and sends the
chat request, and turns an error status into a typed exception with the server's
body already read. The stream's bytes are then decoded by :mod:`.sse` and dispatched
here as plain dicts: the openai client's pydantic model per chunk capped a whole run at
about 8,000 tokens/s.

Reasoning arrives in ``delta.reasoning`` (vLLM ≥ 0.11), ``delta.reasoning_content``
(older vLLM, llama.cpp, LM Studio), or inline in ``content`` when the server runs
no reasoning parser; the splitter handles the inline case.
"""

from __future__ import annotations

from contextlib import aclosing
from typing import Any, AsyncIterator

import httpx
import openai

from ..events import ContentText, Finished, ReasoningText, StreamEvent, Usage
from ..i18n import Message
from ..prompt import detect_version, has_images
from ..settings import Settings
from .base import Backend, ChatRequest, ModelInfo, metadata_timeout
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
from .sse import sse_json

VLLM_SERVE = (
    "`vllm serve mistralai/Magistral-Small-2509 --reasoning-parser mistral --tokenizer-mode mistral "
    "--config-format mistral --load-format mistral --tool-call-parser mistral --enable-auto-tool-choice`"
)
VLLM_IMAGE_FLAG = """--limit-mm-per-prompt '{"image":10}'"""


class OpenAICompatBackend(Backend):
    kind = "openai"

    def __init__(self, base_url: str, api_key: str = "EMPTY", connect_timeout: float = 5.0) -> None:
        self.url = base_url.rstrip("/")
        self._api_key = api_key
        self.connect_timeout = connect_timeout
        self._openai: tuple[httpx.AsyncClient, openai.AsyncOpenAI] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAICompatBackend:
        return cls(settings.openai_base_url, settings.openai_api_key.get_secret_value(), settings.connect_timeout)

    def __repr__(self) -> str:  # never show the key
        return f"OpenAICompatBackend({self.url!r})"

    def missing_model_hint(self, model: str) -> Message:
        return Message("openai_serve_hint", start=VLLM_SERVE)

    def no_vision_message(self, model: str) -> Message:
        return Message("images_off_for_model", model=model, url=self.url, flag=VLLM_IMAGE_FLAG)

    def _client(self) -> openai.AsyncOpenAI:
        """The openai client over this backend's HTTP client (remade with it)."""
        http = self.http()
        if self._openai is None or self._openai[0] is not http:
            client = openai.AsyncOpenAI(
                base_url=self.url, api_key=self._api_key, http_client=http, max_retries=0, timeout=http.timeout
            )
            self._openai = (http, client)
        return self._openai[1]

    async def _models(self) -> list[Any]:
        try:
            page = await self._client().models.list(timeout=metadata_timeout(self.connect_timeout))
        except openai.APIError as exc:
            raise self._describe(exc, "") from None
        return list(page.data)

    async def list_models(self) -> list[str]:
        return [m.id for m in await self._models()]

    async def default_model(self) -> str:
        return (await self.model_info()).name

    async def model_info(self, model: str = "") -> ModelInfo:
        """From one ``/v1/models``: the default model (the first listed) and vLLM's
        ``max_model_len``. Nobody says whether a model sees, so the name decides: of the
        Magistral models only Small 1.2 (2509) has a vision encoder. A server that answers
        the list with an error says nothing here when the model is named: the chat request
        will say what is wrong (and a recording keeps that)."""
        try:
            listed = await self._models()
        except BackendError:
            if not model:
                raise
            listed = []
        if not model:
            if not listed:
                raise BackendError(Message("openai_no_models", url=self.url, start=VLLM_SERVE), kind="model_missing")
            model = listed[0].id
        context = next((getattr(m, "max_model_len", None) for m in listed if m.id == model), None)
        return ModelInfo(name=model, context_tokens=context or None, vision=detect_version(model) == "2509")

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        finish: str | None = None
        sent_images = has_images(request.messages)
        try:
            async with self._client().chat.completions.with_streaming_response.create(
                model=request.model,
                messages=request.messages,  # type: ignore[arg-type]  # thinking chunks are ours to send
                temperature=request.temperature,
                top_p=request.top_p,
                max_tokens=request.max_tokens,
                stream=True,
                stream_options={"include_usage": True},
            ) as response:
                raw = response.http_response
                if looks_like_html(b"", raw.headers.get("content-type", "")):
                    raise html_error(self.url, raw.status_code)  # e.g. a captive portal answering 200
                async with aclosing(sse_json(raw.aiter_bytes())) as chunks:
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
        except openai.APIError as exc:
            raise self._describe(exc, request.model, sent_images) from None
        except BackendError as error:
            raise self._redacted(error) from None
        except httpx.RequestError as exc:  # the stream broke after the answer began
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

    def _redacted(self, error: BackendError) -> BackendError:
        """The error with the API key cut out: servers and proxies do quote the
        Authorization header back in their error bodies."""
        key = self._api_key
        if len(key) >= 8 and key in error.message:
            return BackendError(error.message.with_values(lambda text: text.replace(key, "[API key hidden]")), kind=error.kind)
        return error

    def _mid_stream_error(self, error: object) -> BackendError:
        """An error event inside the stream (HTTP status stayed 200)."""
        detail = error_text_from_json({"error": error})
        return BackendError(Message("openai_error_mid_answer", url=self.url, detail=detail.rstrip(".")), kind="server")

    def _describe(self, exc: openai.APIError, model: str, sent_images: bool = False) -> BackendError:
        """The one translation of the openai client's errors for a person, without the API key."""
        if isinstance(exc, openai.APIStatusError):
            error = self._status_error(exc, model, sent_images)
        elif isinstance(exc, openai.APIConnectionError):  # APITimeoutError included
            cause = exc.__cause__
            if isinstance(cause, httpx.TransportError):
                error = describe_transport_error(cause, self.url, VLLM_SERVE)
            elif isinstance(exc, openai.APITimeoutError):
                error = BackendError(Message("connect_timeout", url=self.url, start=VLLM_SERVE), kind="timeout")
            else:
                error = BackendError(Message("openai_unreachable", url=self.url, start=VLLM_SERVE), kind="unreachable")
        else:
            error = self._mid_stream_error(exc.body if exc.body is not None else exc.message)
        return self._redacted(error)

    def _status_error(self, exc: openai.APIStatusError, model: str, sent_images: bool) -> BackendError:
        """An HTTP error status, from the body as the openai client read it."""
        status = exc.status_code
        if looks_like_html(exc.response.content, exc.response.headers.get("content-type", "")):
            return html_error(self.url, status)
        detail = exc.message if exc.body is None else error_text_from_json(exc.body)
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


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("text field is not a string")
    return value
