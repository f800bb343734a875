"""Turn the pasted text into the messages a Magistral server expects.

The official system prompts live verbatim under ``prompts/``. For 2507/2509 the
``[THINK]…[/THINK]`` part of the system prompt is a *thinking chunk*: the cards say
these are special tokens, so they must travel as structure for the server's
tokenizer to encode them as such. mistral-common's protocol classes are the
authority for those shapes. User text always travels as a structured message, so
``[/INST]`` or ``[THINK]`` typed by a person stays plain text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from mistral_common.protocol.instruct.chunk import TextChunk, ThinkChunk
from mistral_common.protocol.instruct.messages import SystemMessage, UserMessage
from mistral_common.protocol.instruct.request import ChatCompletionRequest

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
Version = Literal["2506", "2507", "2509"]
THINK_CHUNK_VERSIONS = ("2507", "2509")


class InputError(ValueError):
    """The pasted text cannot be sent; the message says what to do instead."""


def detect_version(model: str, configured: str = "auto") -> Version:
    """Which prompt format a model wants: the setting wins, else the model's name.

    Ollama's library ``magistral`` is the 2506 model; names without a version
    (llama.cpp, LM Studio aliases) get the plain-text 2506 prompt, which every
    OpenAI-compatible server can take.
    """
    if configured != "auto":
        return configured  # type: ignore[return-value]
    for version in ("2509", "2507", "2506"):
        if version in model:
            return version  # type: ignore[return-value]
    if re.search(r"magistral[-_ ]?small[-_ ]?1\.2", model, re.IGNORECASE):
        return "2509"
    if re.search(r"magistral[-_ ]?small[-_ ]?1\.1", model, re.IGNORECASE):
        return "2507"
    return "2506"


@lru_cache(maxsize=None)
def _prompt_file(name: str) -> str:
    return (PROMPTS_DIR / name).read_text(encoding="utf-8")


def system_prompt_text(version: Version) -> str:
    """The official system prompt as the card prints it (tags as text)."""
    return _prompt_file("system_2506.txt" if version == "2506" else "system_2507.txt")


def _system_message(version: Version) -> SystemMessage:
    text = system_prompt_text(version)
    if version not in THINK_CHUNK_VERSIONS:
        return SystemMessage(content=text)
    before, _, rest = text.partition("[THINK]")
    thinking, _, after = rest.partition("[/THINK]")
    chunks: list[TextChunk | ThinkChunk] = [TextChunk(text=before), ThinkChunk(thinking=thinking, closed=True)]
    if after:
        chunks.append(TextChunk(text=after))
    return SystemMessage(content=chunks)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_argument(text: str | None, max_chars: int) -> str:
    """Validate pasted text before any request is made."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text or ""))
    text = text.replace("\r\n", "\n").strip()
    if not any(_visible(char) for char in text):  # empty, or only zero-width characters
        raise InputError("Paste a flawed argument or proof first (or pick an example).")
    if len(text) > max_chars:
        raise InputError(
            f"The text is {len(text):,} characters long; the limit is {max_chars:,} "
            "(MAGISTRAL_MAX_INPUT_CHARS). Paste the part with the suspected flaw."
        )
    return text


def _visible(char: str) -> bool:
    return not char.isspace() and unicodedata.category(char) != "Cf"  # Cf: zero-width joiners, marks, BOM


def user_message_text(argument: str) -> str:
    return _prompt_file("user_template.txt").replace("{argument}", argument)


def build_messages(argument: str, version: Version) -> list[dict[str, Any]]:
    """OpenAI-format messages for one debugging request, shaped by mistral-common."""
    request = ChatCompletionRequest(messages=[_system_message(version), UserMessage(content=user_message_text(argument))])
    return request.to_openai()["messages"]


def flatten_for_ollama(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ollama's /api/chat takes string content; its template renders the tags itself.

    A thinking chunk becomes ``[THINK]…[/THINK]`` in the system text, exactly as the
    card prints the prompt, which is what Ollama's Magistral templates expect.
    """
    flat = []
    for message in messages:
        content = message.get("content")
        if isinstance(content, list):
            pieces = []
            for chunk in content:
                if chunk.get("type") == "thinking":
                    pieces.append(f"[THINK]{chunk['thinking']}[/THINK]")
                else:
                    pieces.append(chunk.get("text", ""))
            content = "".join(pieces)
        flat.append({"role": message["role"], "content": content})
    return flat
