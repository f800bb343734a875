"""What a run asks of a backend, and what a backend says about a model: plain data that the
backends, recordings and the run share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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


@dataclass(frozen=True)
class ModelInfo:
    """What the server says about one model, asked once per run; None where it does not say."""

    name: str
    context_tokens: int | None = None
    vision: bool | None = None
    thinking: bool | None = None

    def takes_images(self, vision_setting: str = "auto") -> bool:
        """``MAGISTRAL_VISION=true/false`` overrides what the server said; unsaid is "no"."""
        if vision_setting != "auto":
            return vision_setting == "true"
        return bool(self.vision)
