"""Public mode's settings: safer defaults, and a Backend panel a visitor cannot turn against
the owner.

What a visitor sends (the page's panel, or the ``debug`` API's parameters through
gradio_client) is checked here, in code, before anything is asked of a server: a server
kind, a URL or a model other than the owner's is refused, and so is more max tokens than
the cap. Nothing a visitor types, in these fields or in the proof, reaches the settings
another way: a proof is only ever the user message.
"""

from __future__ import annotations

from typing import Any

from ...i18n import Message
from ...settings import Settings

# The defaults public mode gives settings the owner did not set: a run's spend, a text's
# length, how many run and wait at once, how long a silent server is waited for, and one
# second try at a busy server.
PUBLIC_DEFAULTS: dict[str, Any] = {
    "max_tokens": 12288,
    "max_input_chars": 6000,
    "concurrency_limit": 4,
    "queue_max_size": 16,
    "first_token_timeout": 90.0,
    "read_timeout": 60.0,
    "busy_retry_s": 8.0,
}


def locked(settings: Settings) -> Settings:
    """``settings`` as public mode runs them (unchanged outside it): the public defaults where
    the owner set nothing, max tokens no more than a visitor's day allows, no share link, and no
    MCP tool (its calls would not pass the visitors' budgets)."""
    if not settings.public:
        return settings
    chosen = {name: value for name, value in PUBLIC_DEFAULTS.items() if name not in settings.model_fields_set}
    max_tokens = min(chosen.get("max_tokens", settings.max_tokens), settings.public_tokens_per_day)
    data = settings.model_dump() | chosen | {"max_tokens": max_tokens, "share": False, "mcp": False}
    return Settings.model_validate(data)


def panel_refusal(settings: Settings, panel: tuple) -> Message | None:
    """Why a visitor's panel values may not run here (None: they may). ``panel`` is the
    page's (backend, url, model, temperature, top_p, max_tokens, version)."""
    backend, url, model, _, _, max_tokens, _ = panel
    fixed = []
    if (backend or settings.backend) != settings.backend:
        fixed.append("backend")
    if (url or "").strip() not in ("", settings.server_url):
        fixed.append("url")
    if (model or "").strip() not in ("", settings.model):
        fixed.append("model")
    if fixed:
        return Message("public_settings_fixed", fields=", ".join(fixed))
    try:
        asked = float(max_tokens or 0)
    except (TypeError, ValueError):
        asked = 0.0  # the settings' validation says what is wrong with it
    if asked > settings.max_tokens:
        return Message("public_max_tokens_cap", cap=settings.max_tokens, asked=int(asked))
    return None
