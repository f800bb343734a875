"""A finished run as a file to keep or share: Markdown for people, JSON for programs.

``RunRecord.from_run(run, lang)`` takes what a :class:`~magistral_debugger.engine.run.DebugRun` did
(settings, the text, the request it sent, its run state) into one plain value, its words
(outcome, notes, headings) in the language of the page that asked for it;
``export_markdown`` and ``export_json`` are pure functions of that value. A follow-up's
record holds the whole conversation (the proof, each question and each answer): that is
what a person who downloads it after a follow-up means to keep. A record never holds a
secret: settings come from a fixed public list, URLs lose their credentials, and the API
key is scrubbed from every string it carries.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..engine.verdict import NoVerdict, Verdict
from ..engine.wording import stats_words
from ..i18n import DEFAULT_LANGUAGE, duration, in_language, number, t
from ..prompting.messages import detect_version
from ..redaction import file_slug, public_settings, public_url, scrub_all, scrubber
from .view import badge_words, outcome_text, step_marks

if TYPE_CHECKING:
    from ..engine.run import DebugRun

EXPORT_FORMAT = "magistral-debugger-run"
EXPORT_VERSION = 1


@dataclass(frozen=True)
class RunStats:
    """A run's timings and token counts as plain numbers, so a file says them without a RunState."""

    time_to_first_token_s: float | None = None
    thinking_s: float | None = None
    total_s: float | None = None
    reasoning_tokens: int = 0
    answer_tokens: int = 0
    tokens_per_s: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


@dataclass(frozen=True)
class EarlierTurn:
    """A turn of the conversation before the exported run (the first one's question is the proof)."""

    question: str
    answer: str
    reasoning: str


@dataclass(frozen=True)
class RunRecord:
    """Everything an export says about one run, secrets already removed."""

    started: datetime
    argument: str  # the proof: the text of the conversation's first turn
    model: str
    prompt_format: str
    backend_kind: str
    backend_url: str
    settings: dict[str, Any]
    temperature: float
    top_p: float
    max_tokens: int
    messages: list[dict[str, Any]]
    reasoning: str
    answer: str
    finish_reason: str | None
    outcome: str
    stats: RunStats = field(default_factory=RunStats)
    notices: tuple[str, ...] = ()
    # For a replay: "Replay of a run recorded on … with …", and the original server.
    replay_of: str | None = None
    language: str = DEFAULT_LANGUAGE
    # The proof as numbered steps, and the model's verdict on them (None: the run gave none).
    steps: tuple[str, ...] = ()
    verdict: Verdict | NoVerdict | None = None
    # A follow-up: the turns before it, oldest first, and the question this run answered.
    earlier: tuple[EarlierTurn, ...] = ()
    question: str | None = None
    # The reasoning effort the request carried (None: none was sent).
    reasoning_effort: str | None = None
    # The class's vote when a room had this proof projected (classroom.Tally.as_json), else None.
    class_vote: dict[str, Any] | None = None

    @classmethod
    def from_run(cls, run: DebugRun, lang: str = DEFAULT_LANGUAGE) -> RunRecord:
        settings, state, request = run.settings, run.state, run.request
        scrub = scrubber(settings)
        backend = run.backend
        backend_kind, backend_url, replay_of = backend.kind, public_url(backend.url), None
        asked = (request.argument if request else "") or run.argument or ""
        earlier = tuple(
            EarlierTurn(scrub(turn.question), scrub(turn.answer), scrub(turn.reasoning)) for turn in run.history
        )
        argument, question = (earlier[0].question, scrub(asked)) if earlier else (asked, None)
        public = public_settings(settings)
        recording = run.recording
        if recording is not None:  # say where the text really came from: the recorded run
            replay_of = recording.describe().text(lang)
            backend_kind, backend_url = recording.backend_kind, recording.backend_url
            public = dict(recording.settings) or public
            argument = recording.argument
        model = (request.model if request else "") or state.model or settings.model
        usage = state.usage
        stats = RunStats(
            time_to_first_token_s=_round(state.time_to_first_token()),
            thinking_s=_round(state.thinking_seconds()),
            total_s=_round(state.finished_at - state.started_at) if state.finished_at is not None else None,
            reasoning_tokens=state.reasoning_tokens(),
            answer_tokens=state.answer_tokens(),
            tokens_per_s=_round(state.tokens_per_second()),
            prompt_tokens=usage.prompt_tokens if usage else None,
            completion_tokens=usage.completion_tokens if usage else None,
        )
        return cls(
            started=run.started,
            argument=scrub(argument),
            model=scrub(model),
            prompt_format=detect_version(model, settings.model_version) if model else settings.model_version,
            backend_kind=backend_kind,
            backend_url=scrub(backend_url),
            settings=scrub_all(public, scrub),
            temperature=request.temperature if request else settings.temperature,
            top_p=request.top_p if request else settings.top_p,
            max_tokens=request.max_tokens if request else settings.max_tokens,
            messages=scrub_all(list(request.messages), scrub) if request else [],
            reasoning=scrub(state.reasoning),
            answer=scrub(state.answer),
            finish_reason=state.finish_reason,
            outcome=scrub(outcome_text(state, lang)),
            stats=stats,
            notices=tuple(scrub(in_language(n, lang)) for n in state.notices),
            replay_of=replay_of,
            language=lang,
            steps=tuple(scrub(step) for step in state.steps),
            verdict=state.verdict,
            earlier=earlier,
            question=question,
            reasoning_effort=request.reasoning_effort if request else None,
        )


def _round(value: float | None, places: int = 3) -> float | None:
    return None if value is None else round(value, places)


# --- JSON -----------------------------------------------------------------------------------


def export_dict(record: RunRecord) -> dict[str, Any]:
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "language": record.language,
        "started": record.started.isoformat(timespec="seconds"),
        "argument": record.argument,
        # Every turn in order, the first asking about the argument, the last being this run.
        "conversation": [asdict(turn) for turn in _turns(record)],
        "steps": list(record.steps),
        "verdict": record.verdict.as_json() if isinstance(record.verdict, Verdict) else None,
        "answer": record.answer,
        "reasoning": record.reasoning,
        "finish_reason": record.finish_reason,
        "outcome": record.outcome,
        "notices": list(record.notices),
        "model": record.model,
        "prompt_format": record.prompt_format,
        "backend": {"kind": record.backend_kind, "url": record.backend_url},
        "replay_of": record.replay_of,
        "sampling": {"temperature": record.temperature, "top_p": record.top_p, "max_tokens": record.max_tokens},
        "reasoning_effort": record.reasoning_effort,
        "class_vote": record.class_vote,
        "settings": record.settings,
        "stats": asdict(record.stats),
        # As the prompt builder made them (Ollama receives them flattened to plain text).
        "messages": record.messages,
    }


def export_json(record: RunRecord) -> str:
    return json.dumps(export_dict(record), ensure_ascii=False, indent=2) + "\n"


# --- Markdown -------------------------------------------------------------------------------


def export_markdown(record: RunRecord) -> str:
    """The proof, the answer, then the reasoning folded in a ``<details>`` block — and for a
    conversation each question with its answer and reasoning, in order — then the facts."""
    say = _words(record.language)
    argument = [f"## {say('export_argument')}", "", _fenced(record.argument), ""]
    sections = (
        _heading_lines(record, say),
        argument,
        _steps_lines(record, say),
        _class_vote_lines(record, say),
        _conversation_lines(record, say),
        _notes_lines(record, say),
        _details_lines(record, say),
    )
    return "\n".join(line for section in sections for line in section)


def _words(lang: str) -> Callable[..., str]:
    """``t`` in the export's language, so that each section reads ``say("key")``."""

    def say(key: str, **values: Any) -> str:
        return t(key, lang, **values)

    return say


def _heading_lines(record: RunRecord, say: Callable[..., str]) -> list[str]:
    """The title with the date, what a replay replays, and the one line a reader needs first:
    how the run ended, on which model, how fast."""
    s, lang = record.stats, record.language
    lines = [f"# {say('export_title', date=f'{record.started:%Y-%m-%d %H:%M}')}", ""]
    if record.replay_of:
        lines += [f"*{_inline(record.replay_of)}.*", ""]
    outcome = _inline(record.outcome or say("export_not_finished"))
    stats = stats_words(
        s.time_to_first_token_s, s.thinking_s, s.reasoning_tokens, s.answer_tokens, s.tokens_per_s, lang
    )
    return lines + [f"**{outcome}** · `{_code(record.model)}` · {_inline(stats)}", ""]


def _steps_lines(record: RunRecord, say: Callable[..., str]) -> list[str]:
    """The proof as numbered steps, each marked as the verdict judged it (none: no steps)."""
    if not record.steps:
        return []
    lang = record.language
    lines = [f"## {say('export_steps')}", ""]
    if record.verdict is not None:
        lines += [f"**{say('export_verdict')}:** {_inline(badge_words(record.verdict, lang))}", ""]
    marks = step_marks(record.verdict, len(record.steps), lang) if record.verdict is not None else ()
    for position, step in enumerate(record.steps, 1):
        mark = marks[position - 1] if marks else None
        icon = {"checked": "✓ ", "flawed": "✗ ", "after": "… "}.get(mark.state, "") if mark else ""
        said = f" — *{_inline(mark.words)}*" if mark and mark.state else ""
        lines.append(f"{position}. {icon}{_inline(step)}{said}")
    return lines + [""]


def _class_vote_lines(record: RunRecord, say: Callable[..., str]) -> list[str]:
    """The room's votes on the proof beside the model's verdict (none: no room voted)."""
    vote = record.class_vote
    if not vote:
        return []
    lines = [f"## {say('export_class_vote')}", "", say("room_votes_total", count=vote["votes"]), ""]
    for choice, count in vote["counts"].items():
        answer = say("room_no_flaw") if choice == "none" else say("room_step", step=int(choice))
        lines.append(f"- {answer}: {count}")
    model = vote.get("model_answer")
    if model is not None:
        words = say("room_no_flaw") if model == "none" else say("room_step", step=model)
        lines += ["", f"**{say('room_model')}:** {words}"]
    return lines + [""]


def _conversation_lines(record: RunRecord, say: Callable[..., str]) -> list[str]:
    """Each turn in order: its question (the first one's is the proof, shown above), its
    answer, and its reasoning folded away."""
    turns = _turns(record)
    lines: list[str] = []
    for index, turn in enumerate(turns):
        if index:
            lines += [f"## {say('thread_asked')}", "", _fenced(turn.question), ""]
        lines += [f"## {say('export_answer')}", "", turn.answer.strip() or f"*{say('export_no_answer')}*", ""]
        lines += [
            "<details>",
            f"<summary>{_reasoning_summary(record, index < len(turns) - 1, say)}</summary>",
            "",
            _fenced(turn.reasoning) if turn.reasoning.strip() else f"*{say('export_no_reasoning')}*",
            "",
            "</details>",
            "",
        ]
    return lines


def _reasoning_summary(record: RunRecord, earlier: bool, say: Callable[..., str]) -> str:
    """The folded reasoning's label: an earlier turn kept only its text; the exported run
    says how long it thought (when known) and how many tokens."""
    s = record.stats
    if earlier:
        return say("reasoning_label")
    if s.thinking_s is not None:
        return say(
            "export_reasoning_timed", duration=duration(s.thinking_s, record.language), tokens=s.reasoning_tokens
        )
    return say("export_reasoning", tokens=s.reasoning_tokens)


def _notes_lines(record: RunRecord, say: Callable[..., str]) -> list[str]:
    if not record.notices:
        return []
    return [f"## {say('export_notes')}", ""] + [f"- {_inline(n)}" for n in record.notices] + [""]


def _details_lines(record: RunRecord, say: Callable[..., str]) -> list[str]:
    """The facts last, as a table: model, server, sampling, timings and token counts."""
    s, lang = record.stats, record.language
    rows = [
        (say("export_model"), f"`{_code(record.model)}`"),
        (say("prompt_format_label"), record.prompt_format),
        (say("export_backend"), f"{record.backend_kind} · {record.backend_url}"),
        (say("temperature_label"), number(record.temperature, lang)),
        (say("top_p_label"), number(record.top_p, lang)),
        (say("max_tokens_label"), number(record.max_tokens, lang)),
        (say("effort_label"), record.reasoning_effort or "—"),
        (say("export_finish_reason"), record.finish_reason or "—"),
        (say("export_started"), record.started.isoformat(timespec="seconds")),
        (say("export_first_token"), _seconds(s.time_to_first_token_s, lang)),
        (say("export_thinking_time"), _seconds(s.thinking_s, lang)),
        (say("export_total_time"), _seconds(s.total_s, lang)),
        (say("export_tokens"), say("stats_tokens", reasoning=s.reasoning_tokens, answer=s.answer_tokens)),
        (
            say("export_speed"),
            "—" if s.tokens_per_s is None else say("stats_rate", rate=number(s.tokens_per_s, lang, 1)),
        ),
    ]
    if s.prompt_tokens is not None:
        rows.append((say("export_prompt_tokens"), number(s.prompt_tokens, lang)))
    return [f"## {say('export_details')}", "", "| | |", "|---|---|"] + [f"| {k} | {_cell(v)} |" for k, v in rows] + [""]


def _fenced(text: str) -> str:
    """Text shown verbatim: a fence longer than any run of backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text.strip(chr(10))}\n{fence}"


def _inline(text: str) -> str:
    return " ".join(text.split())


def _code(text: str) -> str:
    return _inline(text).replace("`", "'")


def _cell(text: str) -> str:
    return _inline(text).replace("|", "\\|")


def _seconds(value: float | None, lang: str) -> str:
    return "—" if value is None else duration(value, lang, 1)


def _turns(record: RunRecord) -> tuple[EarlierTurn, ...]:
    """The conversation's turns in order; the last one is the exported run."""
    asked = record.question if record.earlier else record.argument
    return (*record.earlier, EarlierTurn(asked or "", record.answer, record.reasoning))


# --- files, for a Download button --------------------------------------------------------------


def export_filename(record: RunRecord, form: Literal["md", "json"]) -> str:
    return f"magistral-{record.started:%Y%m%d-%H%M%S}-{file_slug(record.model)}.{form}"


def write_export(record: RunRecord, directory: str | Path, form: Literal["md", "json"] = "md") -> Path:
    """Writes the export into ``directory`` under a telling name, and returns its path."""
    path = Path(directory) / export_filename(record, form)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(export_markdown(record) if form == "md" else export_json(record), encoding="utf-8")
    return path
