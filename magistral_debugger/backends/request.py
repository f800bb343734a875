"""What a run asks of a backend, and what a backend says about a model: plain data that the
backends, recordings and the run share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..i18n import Message
from ..prompting.families import Version
from ..prompting.steps import Proof


@dataclass(frozen=True)
class ChatRequest:
    model: str
    messages: list[dict[str, Any]]
    temperature: float
    top_p: float
    max_tokens: int
    # The person's text as typed: the messages carry it to the server; recordings and exports keep it too.
    argument: str = ""
    # Ask for the reasoning in its own field, where the server makes that a request option (Ollama's think).
    think: bool = False
    # "none" … "high", one of the levels the model takes (ModelInfo.efforts); None: not sent.
    # Ollama gets it as ``think`` (false for "none"), OpenAI-compatible servers as ``reasoning_effort``.
    reasoning_effort: str | None = None
    # The last message is the model's own unfinished turn, to be continued rather than answered
    # ("Answer now": the reasoning so far, closed); OpenAI-compatible servers are told so.
    continue_final: bool = False
    # The conversation this request belongs to, the same for its follow-ups and continuations:
    # a router in front of several replicas keeps it on the one whose prefix cache holds it.
    conversation_id: str = ""
    # The steps as a dataset gave them (None: cut from ``argument``): a replay numbers them the same.
    proof: Proof | None = None


@dataclass(frozen=True)
class ModelInfo:
    """What the server says about one model, asked once per run; None where it does not say."""

    name: str
    context_tokens: int | None = None
    vision: bool | None = None
    thinking: bool | None = None
    # The prompt format the server's own answers point to (its tokenizer, the checkpoint it
    # loaded, its template), and why, in words for the person; None where they say nothing.
    prompt_format: Version | None = None
    prompt_format_reason: Message | None = None
    # The reasoning efforts the model takes here, weakest first (its family's on Mistral's API and
    # vLLM, /api/show's ``thinking.values`` on Ollama; empty: none is ever sent), and the one a
    # run asks for when the person chose none.
    efforts: tuple[str, ...] = ()
    default_effort: str | None = None
    # Its makers say to keep its reasoning in follow-ups.
    keeps_reasoning: bool = False
    # Said once per run where the name is one its server has deprecated: which model replaces it.
    deprecation: Message | None = None
    # Whether a trailing assistant message is continued (a prefill) rather than closed and
    # answered by a new turn. vLLM does so when asked; on Ollama the model's template decides.
    prefill: bool = True

    @property
    def reasoning_effort(self) -> bool:
        """Takes a reasoning effort at all."""
        return bool(self.efforts)

    def takes_images(self, vision_setting: str = "auto") -> bool:
        """``MAGISTRAL_VISION=true/false`` overrides what the server said; unsaid is "no"."""
        if vision_setting != "auto":
            return vision_setting == "true"
        return bool(self.vision)
