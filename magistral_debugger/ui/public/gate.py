"""The door of a public page: a visitor's run gets in only with panel values the owner allows
and budget left, and its tokens are charged when it ends.

The page's handlers ask :meth:`PublicGate.admit` before a run takes a place in the admission
line, and :meth:`PublicGate.settle` when the turn is over, however it ended (answered,
stopped, failed, or the visitor left).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from babel.dates import format_timedelta

from ...engine.run import DebugRun
from ...i18n import DEFAULT_LANGUAGE, babel_locale, normalize_language, t
from ...settings import Settings
from .budget import Budget, Limits, Refusal, Ticket
from .lockdown import panel_refusal
from .visitor import Visitor, visitor_of


def wait_words(seconds: float, lang: str | None = DEFAULT_LANGUAGE) -> str:
    """A wait rounded up to the unit a person uses for it: 40 seconds, 12 minutes, 3 hours."""
    seconds = max(1.0, seconds)
    unit: Literal["second", "minute", "hour"] = "second" if seconds < 60 else "minute" if seconds < 3600 else "hour"
    size = {"second": 1, "minute": 60, "hour": 3600}[unit]
    rounded = -(-seconds // size) * size  # up: never "try again" before it would work
    return format_timedelta(
        timedelta(seconds=rounded),
        granularity=unit,
        threshold=1000,
        format="long",
        locale=babel_locale(normalize_language(lang)),
    )


# The words for each refusal: with a time to try again at, and without one (a run going on
# holds what is left, so only its end frees it).
REFUSAL_WORDS: dict[str, tuple[str, str]] = {
    "runs_per_hour": ("public_runs_per_hour", "public_runs_per_hour"),
    "tokens_per_day": ("public_tokens_per_day", "public_tokens_per_day_soon"),
    "global_tokens_per_day": ("public_global_tokens_per_day", "public_global_tokens_per_day_soon"),
    "runs_at_once": ("public_runs_at_once", "public_runs_at_once"),
}


def refusal_words(refusal: Refusal, lang: str | None = DEFAULT_LANGUAGE) -> str:
    """Why the run may not start and when it may, in ``lang``."""
    timed, untimed = REFUSAL_WORDS[refusal.reason]
    if refusal.retry_in is None:
        return f"⏳ {t(untimed, lang, limit=refusal.limit)}"
    return f"⏳ {t(timed, lang, limit=refusal.limit, wait=wait_words(refusal.retry_in, lang))}"


class PublicGate:
    def __init__(self, settings: Settings, budget: Budget | None = None) -> None:
        self.settings = settings
        self.budget = budget or Budget(
            Limits(
                runs_per_hour=settings.public_runs_per_hour,
                tokens_per_day=settings.public_tokens_per_day,
                global_tokens_per_day=settings.public_global_tokens_per_day,
                runs_at_once=settings.public_runs_at_once,
                run_tokens=settings.max_tokens,
            )
        )

    def visitor(self, request: Any) -> Visitor:
        return visitor_of(request, self.settings.public_proxy_hops)

    def admit(self, panel: tuple, visitor: Visitor, lang: str | None = DEFAULT_LANGUAGE) -> Ticket | str:
        """A ticket for the visitor's run, or the words, in ``lang``, that say why it may not
        start (and when it may). Nothing is counted for a refused run."""
        refused = panel_refusal(self.settings, panel)
        if refused is not None:
            return f"❌ {refused.text(lang)}"
        decision = self.budget.admit(visitor.keys())
        return refusal_words(decision, lang) if isinstance(decision, Refusal) else decision

    def settle(self, ticket: Ticket, run: DebugRun | None) -> None:
        """The turn is over: its run is charged the tokens the server counted (or the pieces that
        came). A turn whose run asked the server nothing (None: it never started) is no run."""
        state = run.state if run is not None else None
        tokens = state.reasoning_tokens() + state.answer_tokens() if state is not None else 0
        self.budget.settle(ticket, tokens, ran=run is not None and run.request is not None)
