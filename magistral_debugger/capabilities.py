"""What the model behind a backend can take: images, and how much context.

Ollama says whether a model sees through ``/api/show`` (``capabilities`` lists
``vision``). OpenAI-compatible servers do not say, so ``auto`` trusts the model
name: of the Magistral models only Small 1.2 (2509) has a vision encoder.
``MAGISTRAL_VISION=true/false`` overrides both. A server that still refuses a photo
gets a readable error from its backend; an image is never dropped silently.
"""

from __future__ import annotations

from .backends import Backend, BackendError
from .backends.openai_compat import VLLM_IMAGE_FLAG
from .i18n import Message
from .prompt import detect_version
from .settings import Settings


async def vision_support(backend: Backend, model: str, settings: Settings) -> bool:
    """Whether to send images to ``model``; raises BackendError when the server cannot be asked."""
    if settings.vision != "auto":
        return settings.vision == "true"
    if backend.kind == "ollama":
        capabilities = getattr(backend, "capabilities", None)  # a wrapping backend must pass it on
        return capabilities is not None and "vision" in await capabilities(model)
    return detect_version(model) == "2509"


async def supports_images(backend: Backend, model: str, settings: Settings) -> bool:
    """For the UI: show the image input only when this is true. ``model`` empty means the
    backend's default model. An unreachable server counts as "no" (the badge says why)."""
    try:
        return await vision_support(backend, model or await backend.default_model(), settings)
    except BackendError:
        return False


def refuse_images_message(backend: Backend, model: str, settings: Settings) -> Message:
    if settings.vision == "false":
        return Message("images_turned_off")
    if backend.kind == "ollama":
        return Message("images_ollama_no_vision", model=model, url=backend.url)
    return Message("images_off_for_model", model=model, url=backend.url, flag=VLLM_IMAGE_FLAG)


async def context_window(backend: Backend, model: str, settings: Settings) -> int:
    """The model's context in tokens: vLLM's ``max_model_len`` from ``/v1/models``, else
    ``MAGISTRAL_CONTEXT_TOKENS`` (Ollama and llama.cpp do not report what they run with)."""
    if backend.kind != "ollama":
        try:
            models = await backend.list_models()
        except BackendError:
            return settings.context_tokens  # the chat request will say what is wrong
        for info in models:
            if info.name == model and info.max_model_len:
                return info.max_model_len
    return settings.context_tokens


def reply_room(context: int, max_tokens: int) -> int:
    """Tokens kept free for the reply when history is trimmed: max tokens, but at most half
    the context, since a reasoning model needs thousands of tokens to think."""
    return min(max_tokens, context // 2)
