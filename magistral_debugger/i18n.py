"""Words for a person in English, Portuguese, Spanish, Simplified Chinese and Vietnamese.

The seed material was written in four of these languages, and the model answers in
the language of the input; the page should too. Each language's words live in
``locales/<code>.py``: ``PAGE`` (labels, buttons, status) and ``ENGINE`` (what went
wrong and what to do). ``TRANSLATIONS`` maps a locale code to both.

Static labels reach the browser through ``gr.I18n`` (:func:`gradio_i18n`), so the page
paints in the browser's language from the first frame. Text the server computes
(status, outcome, stats, errors) is made with :func:`t`. The engine raises
:class:`Message` objects: English strings (so the CLI, logs and exports read them as
they are) that can be said again in the reader's language.

Ids with ``{placeholders}`` are for :func:`t` only; every language uses exactly the
English placeholders. A ``{detail}`` is the server's own words and stays as it came.

No Gradio import at module level: the tests and the CLI can use it without a web stack.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from typing import Any, cast

from babel import Locale
from babel.numbers import format_decimal
from babel.units import format_unit

from .locales import en, es, pt, vi, zh_cn

DEFAULT_LANGUAGE = "en"
# Codes as Gradio's frontend knows them: "pt-BR" browsers fall back to "pt", and
# "zh-CN" is the code Gradio itself uses for Simplified Chinese.
LANGUAGES = {
    "en": "English",
    "pt": "Português",
    "es": "Español",
    "zh-CN": "简体中文",
    "vi": "Tiếng Việt",
}


TRANSLATIONS: dict[str, dict[str, str]] = {
    code: module.PAGE | module.ENGINE
    for code, module in (("en", en), ("pt", pt), ("es", es), ("zh-CN", zh_cn), ("vi", vi))
}
EN = TRANSLATIONS["en"]


def normalize_language(code: str | None) -> str:
    """One of our five codes for any browser language tag: ``pt-BR`` → ``pt``, ``zh-Hans-CN``
    and ``zh-TW`` → ``zh-CN`` (Simplified is the Chinese we have), anything else → ``en``."""
    tag = (code or "").strip().replace("_", "-").lower()
    primary = tag.split("-", 1)[0]
    if primary == "zh":
        return "zh-CN"
    return primary if primary in TRANSLATIONS else DEFAULT_LANGUAGE


def pick_language(accept_language: str | None) -> str:
    """The best of our languages for an ``Accept-Language`` header (``"vi-VN,vi;q=0.9,en;q=0.8"``)."""
    choices: list[tuple[float, int, str]] = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        if not tag or tag == "*":
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            choices.append((-quality, position, tag))
    for _, _, tag in sorted(choices):
        primary = tag.strip().replace("_", "-").lower().split("-", 1)[0]
        if primary == "zh" or primary in TRANSLATIONS:
            return normalize_language(tag)
    return DEFAULT_LANGUAGE


def t(key: str, lang: str | None = DEFAULT_LANGUAGE, **values: Any) -> str:
    """The message ``key`` in ``lang`` (English where missing), with ``values`` filled in;
    a number among them is written as ``lang`` writes numbers (40,960 · 40.960; 0.5 · 0,5)."""
    table = TRANSLATIONS.get(lang or "", None) or TRANSLATIONS[normalize_language(lang)]
    text = table.get(key) or EN[key]
    return _NumberFormatter(lang).format(text, **values) if values else text


@lru_cache(maxsize=16)
def babel_locale(lang: str | None) -> Locale:
    return Locale.parse(normalize_language(lang), sep="-")


def number(value: float, lang: str | None = DEFAULT_LANGUAGE, decimals: int | None = None) -> str:
    """``value`` as ``lang`` writes it (Babel's CLDR data: grouping, decimal sign);
    ``decimals`` fixes the digits after the sign, None keeps up to three."""
    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    return _formatted(
        "decimal", _as_shown(value, 3 if decimals is None else decimals), pattern, normalize_language(lang)
    )


def duration(seconds: float, lang: str | None = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """A number of seconds with the unit as ``lang`` abbreviates it: 23 sec, 0,1 s, 23秒, 23 giây."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _formatted("duration", _as_shown(seconds, decimals), pattern, normalize_language(lang))


def _as_shown(value: float, decimals: int) -> int | float | Decimal:
    """``value`` rounded as Babel rounds it for display, so that equal texts share a cache entry."""
    if isinstance(value, int) or not math.isfinite(value):
        return value
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_EVEN)


@lru_cache(maxsize=4096)
def _formatted(kind: str, value: int | float | Decimal, pattern: str | None, language: str) -> str:
    """Babel's formatting, remembered: every live run's status line is written again on each
    update (about 20 µs a number), and a class's runs show mostly the same numbers."""
    locale = babel_locale(language)
    if kind == "duration":
        return format_unit(value, "duration-second", length="short", format=pattern, locale=locale)
    return format_decimal(value, format=pattern, locale=locale)


class _NumberFormatter(string.Formatter):
    """str.format, but numbers go through Babel: a template's ``{n:,}``, ``{s:g}`` or
    ``{mb:.1f}`` says how many decimals, the language says how to write them."""

    def __init__(self, lang: str | None) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if format_spec in ("", ",", "g"):
                return number(value, self.lang)
            fixed = re.fullmatch(r",?\.(\d)f", format_spec)
            if fixed:
                return number(value, self.lang, int(fixed.group(1)))
        return cast(str, super().format_field(value, format_spec))


class Message(str):
    """Words for a person: the English text itself, plus the id and values that say it
    in another language. A value that is itself a Message is translated with it."""

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, **values: Any) -> Message:
        self = super().__new__(cls, t(key, DEFAULT_LANGUAGE, **values))
        self.key = key
        self.values = values
        return self

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Any]]:
        return (self.key,), self.values

    def text(self, lang: str | None = DEFAULT_LANGUAGE) -> str:
        values = {name: in_language(value, lang) for name, value in self.values.items()}
        return t(self.key, lang, **values)

    def with_values(self, change: Callable[[str], Any]) -> Message:
        """The same message with ``change`` applied to every text value (e.g. to hide a secret)."""
        return Message(self.key, **{name: change(v) if isinstance(v, str) else v for name, v in self.values.items()})


def in_language(text: Any, lang: str | None) -> Any:
    """``text`` in ``lang`` if it is a :class:`Message`; anything else as it is."""
    return text.text(lang) if isinstance(text, Message) else text


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a message expects."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def gradio_i18n() -> Any:
    """``gr.I18n`` with every language's static words (those without placeholders: the
    browser formats them as ICU messages), for ``Blocks.launch(i18n=…)``."""
    import gradio as gr

    return gr.I18n(
        **{code: {k: v for k, v in table.items() if not placeholders(v)} for code, table in TRANSLATIONS.items()}
    )
