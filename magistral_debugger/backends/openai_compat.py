"""OpenAI-compatible servers (vLLM, llama.cpp, LM Studio).

The openai client does what it does well here: it lists models, builds and sends the
chat request, and turns an error status into a typed exception with the server's
body already read. The stream's bytes are then decoded by :mod:`.sse` and dispatched
here as plain dicts: the openai client's pydantic model per chunk capped a whole run at
about 8,000 tokens/s.

Reasoning arrives in ``delta.reasoning`` (vLLM ≥ 0.11), ``delta.reasoning_content``
(older vLLM, llama.cpp, LM Studio), inline in ``content`` when the server runs no
reasoning parser (the splitter handles that case), or as Mistral's typed chunks: a
``content`` that is a list of ``{"type": "thinking", "thinking": [{"type": "text", …}]}``
and ``{"type": "text", "text": …}``, where one list may hold the end of the thinking and
the start of the answer.

Which prompt format a model wants is asked of the server before its name is read:
vLLM's ``/tokenize`` says whether ``[THINK]`` is one control token of the tokenizer, and
``/v1/models``' ``root`` names the checkpoint behind an alias.
A continuation ("Answer now") carries vLLM's ``continue_final_message`` and
``add_generation_prompt`` in the body. Every chat request names its conversation in an
``X-Session-ID`` header, which vLLM's router reads to keep a conversation on one replica.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import random
from collections.abc import AsyncGenerator, Iterator
from contextlib import aclosing
from typing import Any, ClassVar

import httpx
import openai

from ..events import ContentText, Finished, Notice, ReasoningText, StreamEvent, Usage
from ..i18n import Message
from ..prompting.families import THINK_CHUNK_VERSIONS, UNKNOWN, Family, Version, family_of, format_label
from ..prompting.messages import has_images
from ..settings import Settings
from .base import Backend, ChatRequest, ModelInfo, metadata_timeout
from .server_errors import (
    BackendError,
    describe_transport_error,
    error_text_from_json,
    html_error,
    looks_like_context_overflow,
    looks_like_html,
    rate_limited,
    refused_images,
    seconds_to_wait,
)
from .sse import sse_json

VLLM_SERVE = (
    "`vllm serve mistralai/Magistral-Small-2509 --reasoning-parser mistral --tokenizer-mode mistral "
    "--config-format mistral --load-format mistral --tool-call-parser mistral --enable-auto-tool-choice`"
)
VLLM_IMAGE_FLAG = """--limit-mm-per-prompt '{"image":10}'"""
# What each server's tokenizer said about [THINK], by (base URL, model): asked once, as a
# tokenizer does not change while its server runs. Only the answer is kept, never ModelInfo:
# what else a server says (its context, its models) is read afresh for every run.
THINK_TOKENS: dict[tuple[str, str], bool | None] = {}
# A system prompt with a thinking chunk, for the tokenizer to encode.
_THINK_PROBE = [
    {
        "role": "system",
        "content": [{"type": "text", "text": "Think."}, {"type": "thinking", "thinking": "x", "closed": True}],
    },
    {"role": "user", "content": "?"},
]
# vLLM's fields for "continue the last, assistant message" (it refuses both flags true with a 400).
CONTINUE_FINAL = {"continue_final_message": True, "add_generation_prompt": False}
# Where the conversation's id goes: vLLM's router (vllm-router) sends every request with the
# same value to the same replica under its sticky policies; servers without a router ignore it.
SESSION_HEADER = "X-Session-ID"
# Statuses that say "busy, ask again": rate limited, a server error, or a gateway without a free
# server behind it (Mistral's API answers all of them under load).
BUSY_STATUSES = (429, 500, 502, 503, 504)


class OpenAICompatBackend(Backend):
    kind = "openai"
    # Ask for token counts at the end of the stream (Mistral's API sends them unasked and refuses this).
    stream_options: ClassVar[Any] = {"include_usage": True}

    def __init__(
        self, base_url: str, api_key: str = "EMPTY", connect_timeout: float = 5.0, busy_retry_s: float = 0.0
    ) -> None:
        self.url = base_url.rstrip("/")
        self._api_key = api_key
        self.connect_timeout = connect_timeout
        # At most this long a busy server (429, 502-504, before any token) is waited for, once.
        self.busy_retry_s = busy_retry_s
        self._openai: tuple[httpx.AsyncClient, openai.AsyncOpenAI] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAICompatBackend:
        return cls(
            settings.openai_base_url,
            settings.openai_api_key.get_secret_value(),
            settings.connect_timeout,
            settings.busy_retry_s,
        )

    def __repr__(self) -> str:  # never show the key
        return f"{type(self).__name__}({self.url!r})"

    def missing_model_hint(self, model: str) -> Message:
        return Message("openai_serve_hint", start=VLLM_SERVE)

    def no_vision_message(self, model: str) -> Message:
        return Message("images_off_for_model", model=model, url=self.url, flag=VLLM_IMAGE_FLAG)

    def _client(self) -> openai.AsyncOpenAI:
        """The openai client over this backend's HTTP client (remade with it)."""
        http = self.http()
        if self._openai is None or self._openai[0] is not http:
            client = openai.AsyncOpenAI(
                base_url=self.url,
                api_key=self._api_key,
                # openai takes an httpx client at runtime; its annotations name only httpx2's.
                http_client=http,  # type: ignore[arg-type, unused-ignore]
                max_retries=0,
                timeout=http.timeout,  # type: ignore[arg-type, unused-ignore]
            )
            self._openai = (http, client)
        return self._openai[1]

    def _wire_messages(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The messages as this server takes them (mistral-common's OpenAI shapes here)."""
        return messages

    async def _models(self) -> list[Any]:
        try:
            # An httpx Timeout, which openai takes at runtime though annotated httpx2's.
            page = await self._client().models.list(timeout=metadata_timeout(self.connect_timeout))  # type: ignore[arg-type, unused-ignore]
        except openai.APIError as exc:
            raise self._describe(exc, "") from None
        return list(page.data)

    async def list_models(self) -> list[str]:
        return [m.id for m in await self._models()]

    async def default_model(self) -> str:
        return (await self.model_info()).name

    async def model_info(self, model: str = "") -> ModelInfo:
        """From one ``/v1/models``: the default model (the first listed), vLLM's
        ``max_model_len`` and ``root`` (the checkpoint behind the name), and from the
        server's tokenizer the prompt format. Nobody says whether a model sees, so the
        checkpoint or the name decides: of the Magistral models only Small 1.2 (2509) has a
        vision encoder. A server that answers the list with an error says nothing here when
        the model is named: the chat request will say what is wrong (and a recording keeps that)."""
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
        entry = next((m for m in listed if m.id == model), None)
        root = str(getattr(entry, "root", None) or "")
        checkpoint = family_of(root) if root and root != model else UNKNOWN
        family = checkpoint if checkpoint != UNKNOWN else family_of(model)
        version, reason = await self._prompt_format(model, root, checkpoint, family)
        return ModelInfo(
            name=model,
            context_tokens=getattr(entry, "max_model_len", None) or None,
            vision=(version or family.version) == "2509",
            prompt_format=version,
            prompt_format_reason=reason,
            efforts=family.efforts,
            default_effort=family.default_effort,
            keeps_reasoning=family.keeps_reasoning,
        )

    async def _prompt_format(
        self, model: str, root: str, checkpoint: Family, family: Family
    ) -> tuple[Version | None, Message | None]:
        """The format the server's tokenizer points to, else the checkpoint it loaded."""
        think = await self._tokenizer_has_think_tokens(model)
        if think:
            version: Version = family.version if family.version in THINK_CHUNK_VERSIONS else "2507"
            return version, Message("format_tokenizer_think", model=model)
        if think is False:
            return "2506", Message("format_tokenizer_plain", model=model)
        if checkpoint.version:
            label = format_label(checkpoint.version)
            return checkpoint.version, Message("format_checkpoint", format=label, model=model, checkpoint=root)
        return None, None

    async def _tokenizer_has_think_tokens(self, model: str) -> bool | None:
        """Whether ``[THINK]`` is one control token of the model's tokenizer, by vLLM's
        ``/tokenize`` (beside ``/v1``) asked to encode a thinking chunk; None where the server
        cannot say (llama.cpp, LM Studio, a tokenizer that refuses thinking chunks). A
        failure to connect is not kept: the next run asks again."""
        key = (self.url, model)
        if key in THINK_TOKENS:
            return THINK_TOKENS[key]
        try:
            response = await self.http().post(
                f"{self.url.removesuffix('/v1')}/tokenize",
                json={"model": model, "messages": _THINK_PROBE, "return_token_strs": True},
                headers={"Authorization": f"Bearer {self._api_key}"},
                timeout=metadata_timeout(self.connect_timeout),
            )
        except httpx.HTTPError:
            return None
        if response.status_code >= 500:
            return None
        try:
            pieces = response.json().get("token_strs") if response.status_code == 200 else None
        except (ValueError, AttributeError):  # not JSON, or not an object
            pieces = None
        answer = THINK_TOKENS[key] = "[THINK]" in pieces if isinstance(pieces, list) else None
        return answer

    async def stream(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        finish: str | None = None
        sent_images = has_images(request.messages)
        try:
            async with contextlib.AsyncExitStack() as opened:
                response = None
                for attempt in (1, 2):
                    try:
                        response = await opened.enter_async_context(self._open_stream(request))
                        break
                    except openai.APIStatusError as exc:
                        wait = self._busy_wait(exc) if attempt == 1 else None
                        if wait is None:
                            raise
                        status = exc.status_code
                    yield Notice(Message("server_busy_retrying", url=self.url, status=status, seconds=math.ceil(wait)))
                    await asyncio.sleep(wait)
                assert response is not None
                raw = response.http_response
                if looks_like_html(b"", raw.headers.get("content-type", "")):
                    raise html_error(self.url, raw.status_code)  # e.g. a captive portal answering 200
                async with aclosing(sse_json(raw.aiter_bytes())) as chunks:
                    async for chunk in chunks:
                        for event in self._chunk_events(chunk):
                            yield event
                        finish = _finish_reason(chunk) or finish
        except openai.APIError as exc:
            raise self._describe(exc, request.model, sent_images) from None
        except BackendError as error:
            raise self._redacted(error) from None
        except httpx.RequestError as exc:  # the stream broke after the answer began
            raise self._redacted(self._transport_error(exc)) from None
        except UnicodeDecodeError:
            raise BackendError(Message("openai_not_utf8", url=self.url), kind="protocol") from None
        except ValueError:  # a data line that is not JSON
            raise BackendError(Message("openai_not_json", url=self.url), kind="protocol") from None
        except (AttributeError, TypeError, IndexError, KeyError):  # JSON, but not a chat.completion.chunk
            raise BackendError(Message("openai_odd_chunk", url=self.url), kind="protocol") from None
        if finish is None:
            raise BackendError(Message("openai_stream_ended_early", url=self.url), kind="cut")
        yield Finished("length" if finish == "length" else "stop")

    def _busy_wait(self, exc: openai.APIStatusError) -> float | None:
        """Seconds to wait before asking a busy server once more (429, 500, or a gateway's 502,
        503, 504), or None not to: no second try is set (``busy_retry_s`` 0), or the server asks for
        a longer wait than that, which the person is then told. Without a Retry-After the wait
        is 1 to 2 s, spread so that a crowd refused together does not come back together."""
        if exc.status_code not in BUSY_STATUSES or self.busy_retry_s <= 0:
            return None
        asked = seconds_to_wait(exc.response.headers.get("retry-after"))
        wait = float(asked) if asked is not None else random.uniform(1.0, 2.0)
        return wait if wait <= self.busy_retry_s else None

    def _open_stream(self, request: ChatRequest) -> Any:
        """The chat request, its body left unread: the openai client sends it and reads an error
        status, while :mod:`.sse` reads the stream (its pydantic model per chunk was too slow)."""
        return self._client().chat.completions.with_streaming_response.create(
            model=request.model,
            messages=self._wire_messages(request.messages),  # type: ignore[arg-type]  # ours: thinking chunks
            temperature=request.temperature,
            top_p=request.top_p,
            max_tokens=request.max_tokens,
            stream=True,
            stream_options=self.stream_options,
            reasoning_effort=request.reasoning_effort or openai.omit,  # type: ignore[arg-type]
            extra_body=CONTINUE_FINAL if request.continue_final else None,
            extra_headers={SESSION_HEADER: request.conversation_id} if request.conversation_id else None,
        )

    def _chunk_events(self, chunk: Any) -> Iterator[StreamEvent]:
        """One chunk's token counts, reasoning and content; an error the server sent inside the
        stream (its HTTP status stayed 200) is raised as one."""
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
            return
        delta = choices[0].get("delta")
        if delta is None:
            return
        reasoning = delta.get("reasoning") or delta.get("reasoning_content")
        if reasoning:
            yield ReasoningText(_text(reasoning))
        content = delta.get("content")
        if content:
            if type(content) is str:
                yield ContentText(content)
            else:
                yield from _typed_chunks(content)

    def _redacted(self, error: BackendError) -> BackendError:
        """The error with the API key cut out: servers and proxies do quote the
        Authorization header back in their error bodies."""
        key = self._api_key
        if len(key) >= 8 and key in error.message:
            return BackendError(
                error.message.with_values(lambda text: text.replace(key, "[API key hidden]")), kind=error.kind
            )
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
            error = self._transport_error(cause if isinstance(cause, httpx.TransportError) else exc)
        else:
            error = self._mid_stream_error(exc.body if exc.body is not None else exc.message)
        return self._redacted(error)

    def _transport_error(self, exc: BaseException) -> BackendError:
        """No HTTP answer (``exc`` is httpx's error, or the openai client's where it had none)."""
        if isinstance(exc, httpx.TransportError):
            return describe_transport_error(exc, self.url, VLLM_SERVE)
        if isinstance(exc, openai.APITimeoutError):
            return BackendError(Message("connect_timeout", url=self.url, start=VLLM_SERVE), kind="timeout")
        return BackendError(Message("openai_unreachable", url=self.url, start=VLLM_SERVE), kind="unreachable")

    def _status_error(self, exc: openai.APIStatusError, model: str, sent_images: bool) -> BackendError:
        """An HTTP error status, from the body as the openai client read it."""
        status = exc.status_code
        if looks_like_html(exc.response.content, exc.response.headers.get("content-type", "")):
            return html_error(self.url, status)
        detail = exc.message if exc.body is None else error_text_from_json(exc.body)
        hint = Message("vllm_vision_hint", flag=VLLM_IMAGE_FLAG)
        refused = refused_images(
            self.url, model, status, detail, sent_images=sent_images, statuses=(400, 415, 422, 500, 501), how=hint
        )
        if refused is not None:
            return refused
        if status == 401:
            return BackendError(Message("openai_key_refused", url=self.url), kind="bad_request")
        if status == 429:
            return rate_limited(self.url, exc.response.headers.get("retry-after"), detail)
        if status == 404 and not (model and (model in detail or "model" in detail.lower())):
            # the route itself is missing, e.g. a base URL without /v1
            return BackendError(Message("openai_wrong_url", url=self.url, detail=detail[:80]), kind="protocol")
        if status == 404:
            return BackendError(
                Message("openai_model_missing", url=self.url, model=model, detail=detail.rstrip("."), start=VLLM_SERVE),
                kind="model_missing",
            )
        if status in (400, 422) and "reasoning_effort" in detail.lower():  # Mistral's API: a level the model lacks
            return BackendError(
                Message("effort_refused", url=self.url, model=model, detail=detail.rstrip(".")), kind="bad_request"
            )
        if status in (400, 422):  # 422: a request the server's schema refuses (Mistral's API)
            if looks_like_context_overflow(detail) or "context" in detail.lower() or "maximum" in detail.lower():
                return BackendError(
                    Message("openai_too_large", url=self.url, detail=detail.rstrip(".")), kind="too_large"
                )
            return BackendError(
                Message("openai_refused", url=self.url, model=model, detail=detail.rstrip(".")), kind="bad_request"
            )
        return BackendError(
            Message("openai_http_error", url=self.url, status=status, detail=detail.rstrip(".")), kind="server"
        )


def _finish_reason(chunk: Any) -> str | None:
    """Why the server ended, in the chunk that says it (None in every other chunk)."""
    choices = chunk.get("choices")
    return choices[0].get("finish_reason") or None if choices else None


def _typed_chunks(chunks: Any) -> Iterator[StreamEvent]:
    """Mistral's chunk list: thinking chunks (their ``thinking`` a list of text chunks, or a
    string) are reasoning, text chunks are content; other kinds (references) carry no text."""
    if not isinstance(chunks, list):
        raise TypeError("content is neither a string nor a list of chunks")
    for chunk in chunks:
        kind = chunk.get("type")
        if kind == "thinking":
            thinking = chunk.get("thinking")
            parts = [thinking] if isinstance(thinking, str) else [part.get("text") for part in thinking or ()]
            for text in parts:
                if text:
                    yield ReasoningText(_text(text))
        elif kind == "text" and chunk.get("text"):
            yield ContentText(_text(chunk["text"]))


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("text field is not a string")
    return value
