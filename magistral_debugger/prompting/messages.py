"""Turn the pasted text into the messages a Magistral server expects.

The official system prompts live verbatim under ``prompts/``. For 2507/2509 the
``[THINK]…[/THINK]`` part of the system prompt is a *thinking chunk*: the cards say
these are special tokens, so they must travel as structure for the server's
tokenizer to encode them as such. mistral-common's protocol classes are the
authority for those shapes. User text always travels as a structured message, so
``[/INST]`` or ``[THINK]`` typed by a person stays plain text.

A photo travels as an ``image_url`` chunk with a data URL (Ollama: base64 in the
message's ``images``). Follow-up questions carry the earlier turns: their answers
always, their reasoning only when asked to (as a thinking chunk for the ``[THINK]``
models, ``<think>`` text for 2506, Ollama's ``thinking`` field on Ollama). "Answer now"
sends the reasoning so far back the same way, as the model's own turn to continue.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from mistral_common.protocol.instruct.chunk import ImageURLChunk, TextChunk, ThinkChunk
from mistral_common.protocol.instruct.messages import AssistantMessage, SystemMessage, UserMessage
from mistral_common.protocol.instruct.request import ChatCompletionRequest

from ..i18n import Message
from .families import THINK_CHUNK_VERSIONS, Version, family_of
from .input_errors import InputError
from .own_files import OwnFileError
from .steps import Proof, numbered

try:  # mistral-common ≥ 1.9 asks how an assistant's thinking should be written out
    from mistral_common.protocol.instruct.messages import ReasoningFieldFormat

    _THINKING_CHUNKS: Any = ReasoningFieldFormat.thinking_chunks
except ImportError:  # older versions always keep thinking chunks as chunks
    _THINKING_CHUNKS = "thinking_chunks"

if TYPE_CHECKING:
    from .images import PreparedImage

# The repo's top-level prompts/ folder, installed as this package's data (pyproject.toml maps it).
try:
    PROMPTS_DIR: Traversable = resources.files("magistral_debugger.prompts")
except ModuleNotFoundError:  # an installation without its prompts: reading one says so (OwnFileError)
    PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


def detect_version(model: str, configured: str = "auto", server: Version | None = None) -> Version:
    """Which prompt format a model wants: the setting wins, then what the server said
    (its tokenizer, checkpoint or template), then the model's name.

    Ollama's library ``magistral`` is the 2506 model; names without a version
    (llama.cpp, LM Studio aliases) get the plain-text 2506 prompt, which every
    OpenAI-compatible server can take.
    """
    if configured != "auto":
        return configured  # type: ignore[return-value]
    return server or family_of(model).version or "2506"


@cache
def _prompt_file(name: str) -> str:
    try:
        return PROMPTS_DIR.joinpath(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise OwnFileError(name, error) from error


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


def clean_argument(text: str | None, max_chars: int, *, allow_empty: bool = False) -> str:
    """Validate pasted text before any request is made (``allow_empty``: a photo came with it)."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text or ""))
    text = text.replace("\r\n", "\n").strip()
    if not any(_visible(char) for char in text):  # empty, or only zero-width characters
        if allow_empty:
            return ""
        raise InputError(Message("input_empty"))
    if len(text) > max_chars:
        raise InputError(Message("input_too_long", length=len(text), limit=max_chars))
    return text


def _visible(char: str) -> bool:
    return not char.isspace() and unicodedata.category(char) != "Cf"  # Cf: zero-width joiners, marks, BOM


@lru_cache(maxsize=1)
def flaw_kinds() -> tuple[str, ...]:
    """The kinds of flaw the model may name, in English, as the prompt lists them."""
    lines = _prompt_file("flaw_kinds.txt").splitlines()
    return tuple(line.strip() for line in lines if line.strip())


def user_message_text(argument: str, proof: Proof | None = None) -> str:
    """The first question: the proof as the numbered steps the page shows (``proof``: as a
    dataset gives them, below its problem), and the one English line the app reads the
    verdict from. (Kinds go in first, and the proof's parts in one pass, so a "{kinds}" or
    "{steps}" typed in the proof stays as typed.)"""
    proof = proof or Proof.of(argument)
    template = _prompt_file("user_template.txt").replace("{kinds}", ", ".join(flaw_kinds()))
    if proof.problem:
        template = template.replace("{steps}", _prompt_file("problem_and_steps.txt").strip())
    parts = {"{problem}": proof.problem, "{steps}": numbered(proof.steps)}
    return re.sub(r"\{problem\}|\{steps\}", lambda match: parts[match.group()], template)


def image_message_text(note: str = "") -> str:
    """The request for a photo of a proof, with whatever the person typed beside it."""
    text = _prompt_file("user_template_image.txt")
    if note:
        text += "\n\n" + _prompt_file("user_template_image_note.txt").replace("{note}", note)
    return text


@dataclass(frozen=True)
class Turn:
    """One finished exchange of a conversation, as the next request must repeat it.

    ``question`` is the text as the person typed it (cleaned), ``image`` the photo as
    sent; the first turn of a conversation is the proof, later ones are follow-ups.
    ``proof``: the first turn's steps as a dataset gave them (None: cut from the text).
    """

    question: str
    answer: str
    reasoning: str = ""
    image: PreparedImage | None = None
    proof: Proof | None = None


def _user_message(question: str, image: PreparedImage | None, first: bool, proof: Proof | None = None) -> UserMessage:
    if image is None:
        return UserMessage(content=user_message_text(question, proof) if first else question)
    text = image_message_text(question) if first or not question else question
    return UserMessage(content=[ImageURLChunk(image_url=image.data_url), TextChunk(text=text)])


def _assistant_message(turn: Turn, version: Version, keep_reasoning: bool, thinking_field: bool) -> AssistantMessage:
    if not (keep_reasoning and turn.reasoning):
        return AssistantMessage(content=turn.answer)
    if version in THINK_CHUNK_VERSIONS or thinking_field:
        return AssistantMessage(content=[ThinkChunk(thinking=turn.reasoning, closed=True), TextChunk(text=turn.answer)])
    return AssistantMessage(content=f"<think>\n{turn.reasoning}\n</think>\n\n{turn.answer}")  # the 2506 card's form


def build_messages(
    argument: str,
    version: Version,
    image: PreparedImage | None = None,
    *,
    history: Sequence[Turn] = (),
    keep_reasoning: bool = False,
    thinking_field: bool = False,
    drop_oldest: int = 0,
    proof: Proof | None = None,
) -> list[dict[str, Any]]:
    """OpenAI-format messages for one debugging request, shaped by mistral-common.

    ``argument`` (and ``image``) is the current question: the proof itself when
    ``history`` is empty, else a follow-up. Earlier turns without an answer (stopped
    or failed) are left out: the model has nothing of theirs to build on.
    ``drop_oldest`` leaves out that many of the oldest turns to fit the context; the
    first question of the conversation keeps its template even when others go.
    ``thinking_field`` keeps a 2506 reasoning as a thinking chunk too, for a server that
    takes an assistant's reasoning in a field of its own (Ollama's ``thinking``).
    ``proof``: the current question's steps as a dataset gave them, when it is the first.
    """
    messages: list[Any] = [_system_message(version)]
    for position, turn in enumerate(history):
        if position < drop_oldest or not turn.answer:
            continue
        messages.append(_user_message(turn.question, turn.image, first=position == 0, proof=turn.proof))
        messages.append(_assistant_message(turn, version, keep_reasoning, thinking_field))
    messages.append(_user_message(argument, image, first=not history, proof=proof))
    request: ChatCompletionRequest[Any] = ChatCompletionRequest(messages=messages)
    return cast(list[dict[str, Any]], request.to_openai(reasoning_field_format=_THINKING_CHUNKS)["messages"])


def answer_now_messages(
    messages: list[dict[str, Any]],
    reasoning: str,
    version: Version,
    *,
    thinking_field: bool = False,
    prefill: bool = True,
) -> list[dict[str, Any]]:
    """``messages`` followed by the model's own turn holding ``reasoning``, closed, so that
    what the model writes next is its answer ("Answer now", budget forcing).

    The reasoning is a closed thinking chunk for the ``[THINK]`` models (and for a server
    that takes it in a field of its own, Ollama's ``thinking``), never ``[/THINK]`` as text:
    the tokenizer would encode that as text. 2506 gets its card's ``<think>`` text. With
    ``prefill`` the server continues that turn. Otherwise (a template that closes every
    assistant turn) a user turn follows, asking for the answer. Nothing else is added.
    """
    reasoning = reasoning.strip()
    if version in THINK_CHUNK_VERSIONS or thinking_field:
        turn = AssistantMessage(content=[ThinkChunk(thinking=reasoning, closed=True)])
    else:
        turn = AssistantMessage(content=f"<think>\n{reasoning}\n</think>\n")
    added = [turn.to_openai(reasoning_field_format=_THINKING_CHUNKS)]
    if not prefill:
        added.append(UserMessage(content=_prompt_file("answer_now_turn.txt").strip()).to_openai())
    return [*messages, *added]


def estimate_tokens(messages: list[dict[str, Any]]) -> int:
    """A rough prompt size: a token per three characters of JSON (generous for prose,
    about right for LaTeX), and for an image what the vision encoder makes of its pixels,
    never its base64 length."""
    chars = 0
    image_tokens = 0
    for message in messages:
        content = message.get("content")
        if isinstance(content, list) and any(c.get("type") == "image_url" for c in content):
            for chunk in content:
                if chunk.get("type") == "image_url":
                    image_tokens += _image_url_tokens(chunk["image_url"]["url"])
            message = {**message, "content": [c for c in content if c.get("type") != "image_url"]}
        chars += len(json.dumps(message, ensure_ascii=False))
    return chars // 3 + image_tokens


def _image_url_tokens(url: str) -> int:
    from PIL import Image

    from .images import estimate_image_tokens

    try:
        with Image.open(io.BytesIO(_data_url_bytes(url))) as image:  # reads the header only
            return estimate_image_tokens(*image.size)
    except Exception:
        return estimate_image_tokens(1540, 1540)  # the most one image can cost


def has_images(messages: list[dict[str, Any]]) -> bool:
    return any(
        isinstance(m.get("content"), list) and any(c.get("type") == "image_url" for c in m["content"]) for m in messages
    )


def data_url_payload(url: str) -> str:
    """The base64 part of a ``data:`` URL; anything else (a link) is refused, never dropped."""
    header, sep, payload = url.partition(",")
    if not (sep and header.startswith("data:") and header.endswith(";base64")):
        raise InputError(Message("image_link_refused"))
    return payload


def _data_url_bytes(url: str) -> bytes:
    try:
        return base64.b64decode(data_url_payload(url), validate=True)
    except (binascii.Error, ValueError):
        raise InputError(Message("image_data_damaged")) from None
