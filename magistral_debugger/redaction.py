"""What of the settings may leave the app in a file, and how secrets are kept out of it.

Exports and recordings are made to be shared (mailed to a class, put on a slide), so
they carry a fixed list of settings rather than "everything but the secrets": a secret
setting added later stays out without anyone remembering to exclude it. URLs lose any
``user:password@`` part and their query string, and the raw URLs and the API key are
scrubbed from free text too (an error message may quote the URL as it was typed).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .settings import Settings

# Settings that say how a run was made; none of them is a secret.
PUBLIC_SETTINGS = (
    "backend",
    "model",
    "model_version",
    "temperature",
    "top_p",
    "max_tokens",
    "reasoning_effort",
    "connect_timeout",
    "first_token_timeout",
    "read_timeout",
    "max_input_chars",
)
REDACTED = "[redacted]"
# Shorter keys are left alone in free text: replacing a two-letter "key" would mangle the answer.
MIN_SECRET_LENGTH = 8


def public_url(url: str) -> str:
    """The URL without credentials or query string: ``http://u:p@host/v1?key=…`` → ``http://host/v1``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return REDACTED
    if not parts.scheme or not parts.netloc:
        return url  # a file path (a replay) or a bare name: nothing to strip
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = f"{host}:{port}" if port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def public_settings(settings: Settings) -> dict[str, Any]:
    """The settings worth keeping with a run, none of them secret."""
    data = settings.model_dump(mode="json", include=set(PUBLIC_SETTINGS))
    data["server_url"] = public_url(settings.server_url)
    return {name: data[name] for name in (*PUBLIC_SETTINGS, "server_url")}


def scrubber(settings: Settings) -> Callable[[str], str]:
    """A function that removes the API keys and credential-bearing URLs from any text."""
    replacements: list[tuple[str, str]] = []
    # "http://teacher:…@" up to the "@", however the password was masked or quoted.
    userinfo: list[tuple[re.Pattern[str], str]] = []
    for url in (settings.ollama_url, settings.openai_base_url, settings.mistral_base_url):
        if url and public_url(url) != url:
            replacements.append((url, public_url(url)))
        try:
            parts = urlsplit(url)
        except ValueError:
            continue
        if parts.username is not None or parts.password is not None:
            start = f"{parts.scheme}://{parts.username or ''}"
            userinfo.append((re.compile(re.escape(start) + r"(:[^@\n]*)?@"), f"{parts.scheme}://"))
            if parts.password and len(parts.password) >= MIN_SECRET_LENGTH:
                replacements.append((parts.password, REDACTED))
    for secret in (settings.openai_api_key, settings.mistral_api_key):
        key = secret.get_secret_value()
        if key and key != "EMPTY" and len(key) >= MIN_SECRET_LENGTH:
            replacements.append((key, REDACTED))
    replacements.sort(key=lambda pair: -len(pair[0]))  # a URL holding the key goes first, whole

    def scrub(text: str) -> str:
        for secret, public in replacements:
            if secret in text:
                text = text.replace(secret, public)
        if userinfo and "@" in text:
            for pattern, public in userinfo:
                text = pattern.sub(public, text)
        return text

    return scrub


def scrub_all(value: Any, scrub: Callable[[str], str]) -> Any:
    """``scrub`` applied to every string in nested lists and dicts (keys included)."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {scrub_all(k, scrub): scrub_all(v, scrub) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub_all(item, scrub) for item in value]
    return value


def file_slug(text: str, limit: int = 40) -> str:
    """``text`` (a model name) fit for a file name that is shared: ``mistralai/Magistral`` → ``mistralai-Magistral``."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")[:limit] or "run"
