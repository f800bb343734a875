"""What the model behind a backend can take: images, and how much context.

Ollama says whether a model sees through ``/api/show`` (``capabilities`` lists
``vision``). OpenAI-compatible servers do not say, so ``auto`` trusts the model
name: of the Magistral models only Small 1.2 (2509) has a vision encoder.
``MAGISTRAL_VISION=true/false`` overrides both. A server that still refuses a photo
gets a readable error from its backend; an image is never dropped silently.
"""

from __future__ import annotations

from .backends import Backend, BackendError
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


def refuse_images_message(backend: Backend, model: str, settings: Settings) -> str:
    if settings.vision == "false":
        return "Images are turned off (MAGISTRAL_VISION=false): remove the photo and type the proof instead."
    if backend.kind == "ollama":
        return (
            f"The model {model!r} at {backend.url} cannot read images (Ollama does not list the vision "
            "capability for it). Remove the photo and type the proof, or pick a model that can see, such as "
            "Magistral Small 1.2."
        )
    return (
        f"Images are off for {model!r} at {backend.url}: of the Magistral models only Small 1.2 (2509) reads images. "
        "Remove the photo and type the proof, or set MAGISTRAL_VISION=true if this server takes images "
        """(vLLM: --limit-mm-per-prompt '{"image":10}')."""
    )


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
