"""Mistral's hosted API (``MAGISTRAL_BACKEND=mistral``): how a teacher without a GPU box
reaches Mistral's reasoning models.

Its chat stream is OpenAI's, with the reasoning as typed chunks in ``content``, which the
OpenAI-compatible reader takes from any server. What is Mistral's own is here:

- a key is required (MAGISTRAL_MISTRAL_API_KEY, or MISTRAL_API_KEY as Mistral's own tools
  name it), and a refused key names those settings;
- thinking chunks go out in Mistral's documented shape, ``{"type": "thinking", "thinking":
  [{"type": "text", "text": …}]}``: in the system prompt, and in earlier assistant turns,
  which follow-ups resend by default (Mistral's docs: stripping them degrades the answers);
- ``stream_options`` is refused there (HTTP 422); the token counts come unasked;
- the model list says each model's context and vision (``max_context_length``, ``capabilities``);
- no connection at all, on a laptop in a classroom, is most likely no internet: one line says so;
- the Magistral names are deprecated there (Magistral Medium 1.0 retired 2025-11-30): they are
  still sent as asked, and the run says which model Mistral's docs name in their place.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import openai

from ..i18n import Message
from ..prompting.families import family_of
from ..settings import Settings
from .base import ModelInfo
from .openai_compat import OpenAICompatBackend
from .server_errors import BackendError, describe_transport_error, error_text_from_json

# Mistral Large 4, the strongest reasoning model Mistral serves (public preview since 2026-10-06;
# it thinks by default, at reasoning_effort low, medium or high). README, "Model families", says why.
DEFAULT_MODEL = "mistral-large-4-0"
# Names Mistral's docs call deprecated or retired, and the model they point to instead.
REPLACEMENTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^magistral-medium", re.IGNORECASE), "mistral-medium-3-5"),
    (re.compile(r"^magistral-small", re.IGNORECASE), "mistral-small-latest"),
)


def replacement_for(model: str) -> str | None:
    """The model Mistral's docs name in place of a deprecated ``model``; None for a current one."""
    return next((new for old, new in REPLACEMENTS if old.search(model)), None)


class MistralBackend(OpenAICompatBackend):
    kind = "mistral"
    stream_options = openai.omit

    @classmethod
    def from_settings(cls, settings: Settings) -> MistralBackend:
        return cls(
            settings.mistral_base_url,
            settings.mistral_api_key.get_secret_value(),
            settings.connect_timeout,
            settings.busy_retry_s,
        )

    def missing_model_hint(self, model: str) -> Message:
        return Message("mistral_model_hint", default=DEFAULT_MODEL)

    def _client(self) -> openai.AsyncOpenAI:
        if not self._api_key.strip():
            raise BackendError(Message("mistral_no_key"), kind="bad_request")
        return super()._client()

    def _wire_messages(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {**message, "content": [_mistral_chunk(chunk) for chunk in message["content"]]}
            if isinstance(message.get("content"), list)
            else message
            for message in messages
        ]

    async def default_model(self) -> str:
        return DEFAULT_MODEL

    async def model_info(self, model: str = "") -> ModelInfo:
        """From the model list: context and vision. Every model there that thinks takes
        thinking chunks, so a name without a version still gets the [THINK] prompt."""
        model = model or DEFAULT_MODEL
        try:
            listed = await self._models()
        except BackendError as error:
            if error.kind in ("unreachable", "timeout") or error.message.key == "mistral_no_key":
                raise
            listed = []  # the chat request will say what is wrong
        entry = next((m for m in listed if model == m.id or model in (getattr(m, "aliases", None) or ())), None)
        capabilities = getattr(entry, "capabilities", None)
        family = family_of(model)
        vision = capabilities.get("vision") if isinstance(capabilities, dict) else None
        replacement = replacement_for(model)
        return ModelInfo(
            name=model,
            context_tokens=getattr(entry, "max_context_length", None) or None,
            vision=family.version == "2509" if vision is None else bool(vision),
            prompt_format=None if family.version else "2509",
            prompt_format_reason=None if family.version else Message("format_mistral_api", model=model),
            efforts=family.efforts,
            default_effort=family.default_effort,
            keeps_reasoning=True,
            deprecation=Message("mistral_model_deprecated", model=model, replacement=replacement)
            if replacement
            else None,
            # Mistral's API continues a turn through the message's "prefix", not vLLM's flags, and
            # refuses fields it does not know (HTTP 422): "Answer now" asks in a second turn here.
            prefill=False,
        )

    def _transport_error(self, exc: BaseException) -> BackendError:
        if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.ProxyError)) or not isinstance(
            exc, httpx.TransportError
        ):
            return BackendError(Message("mistral_offline", url=self.url), kind="unreachable")
        return describe_transport_error(exc, self.url, self.url)

    def _status_error(self, exc: openai.APIStatusError, model: str, sent_images: bool) -> BackendError:
        status = exc.status_code
        if status == 401:
            return BackendError(Message("mistral_key_refused", url=self.url), kind="bad_request")
        detail = exc.message if exc.body is None else error_text_from_json(exc.body)
        if (status == 404 and model) or "invalid model" in detail.lower():
            message = Message(
                "mistral_model_missing", url=self.url, model=model, detail=detail.rstrip("."), default=DEFAULT_MODEL
            )
            return BackendError(message, kind="model_missing")
        return super()._status_error(exc, model, sent_images)


def _mistral_chunk(chunk: dict[str, Any]) -> dict[str, Any]:
    """mistral-common's ``{"type": "thinking", "thinking": "…", "closed": true}`` as Mistral's API documents it."""
    if chunk.get("type") != "thinking" or not isinstance(chunk.get("thinking"), str):
        return chunk
    return {"type": "thinking", "thinking": [{"type": "text", "text": chunk["thinking"]}]}
