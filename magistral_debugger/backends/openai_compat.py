"""OpenAI-compatible servers (vLLM, llama.cpp, LM Studio) through the openai client.

Reasoning arrives in ``delta.reasoning`` (vLLM ≥ 0.11), ``delta.reasoning_content``
(older vLLM, llama.cpp, LM Studio), or inline in ``content`` when the server runs
no reasoning parser; the splitter handles the inline case.
"""

from __future__ import annotations

from typing import AsyncIterator

import httpx
import openai

from ..events import ContentText, Finished, Notice, ReasoningText, StreamEvent, Usage
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

    def missing_model_hint(self, model: str) -> str:
        return f"Serve it, e.g. {VLLM_SERVE}, or pick a model the server lists."

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
            raise BackendError(f"The server at {self.url} lists no models. {VLLM_SERVE}", kind="model_missing")
        return models[0].name

    async def _fit_max_tokens(self, request: ChatRequest) -> tuple[int, str | None]:
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
        return fitted, (
            f"Max tokens lowered from {request.max_tokens:,} to {fitted:,} to fit the server's context of "
            f"{limit:,} tokens (--max-model-len)."
        )

    async def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        max_tokens, notice = await self._fit_max_tokens(request)
        if notice:
            yield Notice(notice)
        async with http_client(self.connect_timeout) as http:
            stream = None
            try:
                stream = await self._client(http).chat.completions.create(
                    model=request.model,
                    messages=request.messages,  # type: ignore[arg-type]
                    temperature=request.temperature,
                    top_p=request.top_p,
                    max_tokens=max_tokens,
                    stream=True,
                    stream_options={"include_usage": True},
                )
                response = stream.response
                if looks_like_html(b"", response.headers.get("content-type", "")):
                    raise html_error(self.url, response.status_code)  # e.g. a captive portal answering 200
                finish: str | None = None
                async for chunk in stream:
                    if chunk.usage is not None:
                        details = chunk.usage.completion_tokens_details
                        yield Usage(
                            prompt_tokens=chunk.usage.prompt_tokens,
                            completion_tokens=chunk.usage.completion_tokens,
                            reasoning_tokens=getattr(details, "reasoning_tokens", None) if details else None,
                        )
                    if not chunk.choices:
                        continue
                    choice = chunk.choices[0]
                    delta = choice.delta
                    if delta is not None:
                        reasoning = getattr(delta, "reasoning", None) or getattr(delta, "reasoning_content", None)
                        if reasoning:
                            yield ReasoningText(reasoning)
                        if delta.content:
                            yield ContentText(delta.content)
                    if choice.finish_reason:
                        finish = choice.finish_reason
            except openai.APIError as exc:
                raise self._describe(exc, request.model, has_images(request.messages)) from None
            except httpx.TransportError as exc:
                raise describe_transport_error(exc, self.url, VLLM_SERVE) from None
            except UnicodeDecodeError:
                raise BackendError(
                    f"The server at {self.url} sent bytes that are not valid UTF-8 text; what arrived is kept. "
                    "Check what is serving that URL, and try again.",
                    kind="protocol",
                ) from None
            except ValueError:  # a data line that is not JSON
                raise BackendError(
                    f"The server at {self.url} sent a stream line that is not JSON. Is that URL an OpenAI-compatible "
                    "server?",
                    kind="protocol",
                ) from None
            except (AttributeError, TypeError, IndexError, KeyError):  # JSON, but not a chat.completion.chunk
                raise BackendError(
                    f"The server at {self.url} sent a stream chunk of an unexpected shape; what arrived is kept. "
                    "Is that URL an OpenAI-compatible server?",
                    kind="protocol",
                ) from None
            finally:
                if stream is not None:
                    await stream.close()
        if finish is None:
            raise BackendError(
                f"The stream from {self.url} ended before the answer was complete; what arrived is kept. Try again.",
                kind="cut",
            )
        yield Finished("length" if finish == "length" else "stop")

    def _describe(self, exc: openai.APIError, model: str, sent_images: bool = False) -> BackendError:
        """The error for a person, with the API key cut out: servers and proxies do quote
        the Authorization header back in their error bodies."""
        error = self._describe_unredacted(exc, model, sent_images)
        key = self._api_key
        if len(key) >= 8 and key in error.message:
            error = BackendError(error.message.replace(key, "[API key hidden]"), kind=error.kind)
        return error

    def _describe_unredacted(self, exc: openai.APIError, model: str, sent_images: bool = False) -> BackendError:
        if isinstance(exc, openai.APITimeoutError):
            return describe_transport_error(httpx.ConnectTimeout("timeout"), self.url, VLLM_SERVE)
        if isinstance(exc, openai.APIConnectionError):
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, httpx.TransportError):
                return describe_transport_error(cause, self.url, VLLM_SERVE)
            return BackendError(f"Cannot reach the model server at {self.url}. Start it with {VLLM_SERVE}.", kind="unreachable")
        if isinstance(exc, openai.APIStatusError):
            response = exc.response
            raw = response.content if response is not None else b""
            if looks_like_html(raw, response.headers.get("content-type", "") if response is not None else ""):
                return html_error(self.url, exc.status_code)
            detail = error_text_from_json(exc.body) if exc.body is not None else exc.message
            if (
                sent_images
                and exc.status_code in (400, 415, 422, 500, 501)
                and looks_like_image_rejection(detail)
                and not looks_like_context_overflow(detail)
            ):
                return images_refused(self.url, model, detail, "vLLM: serve Magistral Small 2509 with "
                                      """--limit-mm-per-prompt '{"image":10}'""")
            if exc.status_code == 401:
                return BackendError(
                    f"The server at {self.url} refused the API key (HTTP 401): set MAGISTRAL_OPENAI_API_KEY.",
                    kind="bad_request",
                )
            if exc.status_code == 404 and not (model and (model in detail or "model" in detail.lower())):
                return BackendError(  # the route itself is missing, e.g. a base URL without /v1
                    f"{self.url} does not look like an OpenAI-compatible API: it answered HTTP 404 ({detail[:80]}). "
                    "Check the URL: vLLM's ends in /v1, e.g. http://localhost:8000/v1.",
                    kind="protocol",
                )
            if exc.status_code == 404:
                return BackendError(
                    f"The server at {self.url} has no model {model!r}: {detail.rstrip('.')}. Pick a model it lists, "
                    f"or serve it with {VLLM_SERVE}.",
                    kind="model_missing",
                )
            if exc.status_code == 400:
                if looks_like_context_overflow(detail) or "context" in detail.lower() or "maximum" in detail.lower():
                    return BackendError(
                        f"The request is too large for the model's context at {self.url}: {detail.rstrip('.')}. "
                        "Shorten the text or lower max tokens.",
                        kind="too_large",
                    )
                return BackendError(
                    f"The server at {self.url} refused the request for {model!r}: {detail.rstrip('.')}. "
                    "Check the model name and the settings in the Backend panel.",
                    kind="bad_request",
                )
            return BackendError(
                f"The server at {self.url} answered HTTP {exc.status_code}: {detail.rstrip('.')}. Try again.", kind="server"
            )
        # An error event inside the stream (HTTP status stayed 200).
        detail = error_text_from_json({"error": exc.body}) if exc.body is not None else exc.message
        return BackendError(
            f"The server at {self.url} reported an error mid-answer: {detail.rstrip('.')}. "
            "What arrived is kept; try again.",
            kind="server",
        )
