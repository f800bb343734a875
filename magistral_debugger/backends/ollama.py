"""Ollama's native API: ``POST /api/chat`` streaming NDJSON.

Reasoning comes in ``message.thinking`` when ``think`` is on (only for models with
the ``thinking`` capability, which ``/api/show`` lists); the library ``magistral``
also prints inline ``<think>`` tags in ``content``, which the splitter handles. A model
without the capability (the library ``ministral-3`` is the instruct model) runs without
``think``, and the person is told. ``/api/show``'s template says which think tags the
model was made for, which decides the prompt format before the model's name does, and its
``thinking: {values, default}`` (Ollama ≥ the release with ollama#18473) which reasoning efforts
the model takes: ``think`` then carries the level (a string), or false for "none", or true
where the model's thinking is only on or off.
Every request goes through :meth:`OllamaBackend._send`, the one place where transport
failures and error statuses become a :class:`BackendError`. A trailing assistant message is
continued where the model's template leaves it open (``template_continues_last_turn``).
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

import httpx

from ..events import ContentText, Finished, Notice, ReasoningText, StreamEvent, Usage
from ..i18n import Message
from ..prompting.families import EFFORTS, THINK_CHUNK_VERSIONS, Family, Version, family_of, format_label
from ..prompting.messages import data_url_payload
from ..settings import Settings
from .base import Backend, ChatRequest, ModelInfo, metadata_timeout
from .server_errors import (
    BackendError,
    describe_transport_error,
    error_text_from_body,
    error_text_from_json,
    html_error,
    looks_like_context_overflow,
    looks_like_html,
    refused_images,
)

HOW_TO_START = "`ollama serve`"


class OllamaBackend(Backend):
    kind = "ollama"
    thinking_field = True

    def __init__(self, url: str, connect_timeout: float = 5.0) -> None:
        self.url = url.rstrip("/")
        self.connect_timeout = connect_timeout
        # Models whose /api/show says their thinking is only on or off: "high" goes out as true.
        self._on_off_thinking: set[str] = set()

    @classmethod
    def from_settings(cls, settings: Settings) -> OllamaBackend:
        return cls(settings.ollama_url, settings.connect_timeout)

    def __repr__(self) -> str:
        return f"OllamaBackend({self.url!r})"

    def missing_model_hint(self, model: str) -> Message:
        return Message("ollama_pull_hint", model=model)

    def no_vision_message(self, model: str) -> Message:
        return Message("images_ollama_no_vision", model=model, url=self.url)

    def stop_before_first_token(self) -> Message:
        return Message("ollama_stop_during_prompt", url=self.url)

    async def default_model(self) -> str:
        return "magistral"

    async def list_models(self) -> list[str]:
        data = await self._get_json("GET", "/api/tags")
        return [m.get("name") or m.get("model", "") for m in data.get("models", []) if isinstance(m, dict)]

    async def model_info(self, model: str = "") -> ModelInfo:
        """From ``/api/show``'s capabilities and template (the prompt format it writes, and whether
        it lets the model continue its own last turn). Ollama does not report the context it runs
        a model with, so that stays unknown. A server too old to list capabilities says nothing of
        vision and thinking."""
        model = model or await self.default_model()
        try:
            data = await self._get_json("POST", "/api/show", {"model": model})
        except BackendError as error:
            # No server, or no model: say so now rather than wait out a second connect.
            if error.kind in ("model_missing", "unreachable", "timeout"):
                raise
            return ModelInfo(name=model, prefill=False)
        capabilities = data.get("capabilities") or None
        family = family_of(model)
        template = str(data.get("template") or "")
        version = _template_format(template, family)
        reason = Message("format_ollama_template", format=format_label(version), model=model) if version else None
        efforts, default, on_off = thinking_levels(data.get("thinking"))
        (self._on_off_thinking.add if on_off else self._on_off_thinking.discard)(model)
        return ModelInfo(
            name=model,
            vision=None if capabilities is None else "vision" in capabilities,
            thinking=None if capabilities is None else "thinking" in capabilities,
            prompt_format=version,
            prompt_format_reason=reason,
            efforts=efforts,
            default_effort=default,
            keeps_reasoning=family.keeps_reasoning,
            prefill=template_continues_last_turn(template),
        )

    async def stream(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        messages = flatten_for_ollama(request.messages)
        sent_images = any(m.get("images") for m in messages)
        body: dict[str, Any] = {
            "model": request.model,
            "messages": messages,
            "stream": True,
            "options": {"temperature": request.temperature, "top_p": request.top_p, "num_predict": request.max_tokens},
        }
        think = self._think(request)
        if think is not None:
            body["think"] = think
        try:
            async with self._send("POST", "/api/chat", body, request.model, sent_images) as response:
                async for event in self._read(response):
                    yield event
        except BackendError as error:
            if not (think and error.kind == "bad_request" and "does not support thinking" in error.message):
                raise self._effort_refused(error, request) from None
            # The capability list said "thinking" but the model refuses it: run without.
            body.pop("think")
            yield Notice(Message("ollama_no_thinking", model=request.model))
            async with self._send("POST", "/api/chat", body, request.model, sent_images) as response:
                async for event in self._read(response):
                    yield event

    def _effort_refused(self, error: BackendError, request: ChatRequest) -> BackendError:
        """A 400 that names ``think`` when an effort was asked is the level refused: said as such."""
        if request.reasoning_effort and error.kind == "bad_request" and "think" in error.message.lower():
            detail = str(error.message.values.get("detail") or error.message)
            return BackendError(
                Message("effort_refused", url=self.url, model=request.model, detail=detail), kind="bad_request"
            )
        return error

    def _think(self, request: ChatRequest) -> bool | str | None:
        """What ``think`` says: the effort asked (false for "none", true for "high" where the model's
        thinking is only on or off), else true where the model thinks; None leaves it out."""
        effort = request.reasoning_effort
        if effort is None:
            return True if request.think else None
        if effort == "none":
            return False
        return True if request.model in self._on_off_thinking else effort

    @asynccontextmanager
    async def _send(
        self, method: str, path: str, payload: dict | None, model: str, sent_images: bool = False, **options: Any
    ) -> AsyncIterator[httpx.Response]:
        """A streamed request whose answer is known to be a success; any failure on the way,
        of the transport or an error status, is a :class:`BackendError`."""
        try:
            async with self.http().stream(method, f"{self.url}{path}", json=payload, **options) as response:
                if response.status_code != 200:
                    raw = await response.aread()
                    if looks_like_html(raw, response.headers.get("content-type", "")):
                        raise html_error(self.url, response.status_code)
                    raise self._status_error(response.status_code, error_text_from_body(raw), model, sent_images)
                yield response
        except httpx.TransportError as exc:
            raise describe_transport_error(exc, self.url, HOW_TO_START) from None

    async def _read(self, response: httpx.Response) -> AsyncIterator[StreamEvent]:
        async for line in response.aiter_lines():
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError:
                if looks_like_html(line, response.headers.get("content-type", "")):
                    raise html_error(self.url, response.status_code) from None
                raise BackendError(
                    Message("ollama_not_json", url=self.url, line=repr(line[:60])), kind="protocol"
                ) from None
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
                yield Usage(prompt_tokens=data.get("prompt_eval_count"), completion_tokens=data.get("eval_count"))
                yield Finished("length" if data.get("done_reason") == "length" else "stop")
                return
        raise BackendError(Message("ollama_stream_ended_early", url=self.url), kind="cut")

    def _status_error(self, status: int, detail: str, model: str, sent_images: bool = False) -> BackendError:
        lowered = detail.lower()
        hint = Message("ollama_vision_hint")
        refused = refused_images(
            self.url, model, status, detail, sent_images=sent_images, statuses=(400, 500), how=hint
        )
        if refused is not None:
            return refused
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
        return BackendError(
            Message("ollama_http_error", url=self.url, status=status, detail=detail.rstrip(".")), kind="server"
        )

    async def _get_json(self, method: str, path: str, payload: dict | None = None) -> dict:
        model = str((payload or {}).get("model", ""))
        async with self._send(method, path, payload, model, timeout=metadata_timeout(self.connect_timeout)) as response:
            raw = await response.aread()
        try:
            data = json.loads(raw)
        except ValueError:
            raise html_error(self.url, response.status_code) from None
        if not isinstance(data, dict):
            raise BackendError(Message("ollama_not_its_api", url=f"{self.url}{path}"), kind="protocol")
        return data


def thinking_levels(thinking: object) -> tuple[tuple[str, ...], str | None, bool]:
    """From ``/api/show``'s ``thinking: {values, default}``: the efforts the model takes (false is
    "none"; true is "high" where the values are only true and false, a level's name otherwise),
    the one a run asks for when the person chose none ("high" where taken, a proof is debugged by
    reasoning; else the model's own default), and whether its thinking is only on or off. A
    server or model without the field: no efforts (``think`` stays on for a thinking model)."""
    values = thinking.get("values") if isinstance(thinking, dict) else None
    if not isinstance(values, list) or not values:
        return (), None, False
    on_off = all(isinstance(value, bool) for value in values)
    named = {"none" if value is False else "high" if value is True and on_off else value for value in values}
    efforts = tuple(level for level in EFFORTS if level in named)
    own = thinking.get("default") if isinstance(thinking, dict) else None
    own_name = "none" if own is False else "high" if own is True and on_off else str(own)
    default = "high" if "high" in efforts else own_name if own_name in efforts else (efforts[-1] if efforts else None)
    return efforts, default, on_off


def _template_format(template: str, family: Family) -> Version | None:
    """The think tags a model's Ollama template writes: ``[THINK]`` for the 2507/2509 format,
    ``<think>`` for 2506; neither says nothing."""
    if "[THINK]" in template:
        return family.version if family.version in THINK_CHUNK_VERSIONS else "2507"
    if "<think>" in template:
        return "2506"
    return None


# How a Go template tells the last message apart: ``$last := eq (len (slice $.Messages $i)) 1``.
_LAST_MESSAGE_TEST = re.compile(r"\$last\b|slice \$\.Messages\b")


def template_continues_last_turn(template: str) -> bool:
    """Whether a trailing assistant message with ``thinking`` is rendered as an open turn the
    model goes on with (a prefill): the template must write an assistant's ``.Thinking`` and
    treat the last message apart, as Ollama's Magistral and Qwen 3 templates do to leave the
    end-of-turn token off it. Any other template closes the turn, and the model would start a
    new one."""
    return ".Thinking" in template and bool(_LAST_MESSAGE_TEST.search(template))


# Ollama tokenizes special-token text inside message content as real control tokens
# (ollama/ollama#15931); vLLM's mistral tokenizer does not. In what a person typed, a word
# joiner after the first character keeps "[/INST]" or "<think>" readable but inert.
_CONTROL_TOKEN_TEXT = re.compile(
    r"\[/?(?:INST|THINK|SYSTEM_PROMPT|AVAILABLE_TOOLS|TOOL_CALLS|TOOL_RESULTS|IMG|IMG_BREAK|IMG_END)\]|</?s>|</?think>"
)
WORD_JOINER = "\u2060"


def neutralize_control_tokens(text: str) -> str:
    return _CONTROL_TOKEN_TEXT.sub(lambda m: m.group()[0] + WORD_JOINER + m.group()[1:], text)


def flatten_for_ollama(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ollama's /api/chat takes string content; its template renders the tags itself.

    A thinking chunk becomes ``[THINK]…[/THINK]`` in the system text, exactly as the
    card prints the prompt, which is what Ollama's Magistral templates expect. In an
    assistant message it is the ``thinking`` field, which Ollama's templates render
    as the model's own reasoning. An image chunk's data URL becomes plain base64 in
    the message's ``images``.
    """
    flat = []
    for message in messages:
        content = message.get("content")
        out: dict[str, Any] = {"role": message["role"]}
        images: list[str] = []
        thinking: list[str] = []
        if isinstance(content, list):
            pieces = []
            for chunk in content:
                kind = chunk.get("type")
                if kind == "thinking" and message["role"] == "assistant":
                    thinking.append(chunk["thinking"])
                elif kind == "thinking":
                    pieces.append(f"[THINK]{chunk['thinking']}[/THINK]")
                elif kind == "image_url":
                    url = chunk["image_url"]["url"] if isinstance(chunk["image_url"], dict) else chunk["image_url"]
                    images.append(data_url_payload(url))
                else:
                    pieces.append(chunk.get("text", ""))
            content = "".join(pieces)
        # A user message's content is text, or chunks joined into text above.
        out["content"] = neutralize_control_tokens(cast(str, content)) if message["role"] == "user" else content
        if thinking:
            out["thinking"] = "\n".join(thinking)
        if images:
            out["images"] = images
        flat.append(out)
    return flat
