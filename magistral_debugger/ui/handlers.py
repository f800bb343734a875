"""What each event of the page does, as methods of one object that tests can call without a browser.

A :class:`DebuggerPage` holds one app's settings, examples and admission; the layout wires
its methods to components. Gradio names an API endpoint's parameters after the method's, so
``debug`` and ``follow_up`` keep their parameters, order and which of them may be left out.
"""

from __future__ import annotations

import html
import logging
import tempfile
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import gradio as gr
from pydantic import ValidationError

from ..backends import BACKENDS, ModelInfo, check_health, make_backend, model_info_or_none
from ..engine.run import DebugRun, live_snapshots
from ..engine.state import RunState
from ..engine.verdict import NoVerdict, Verdict
from ..handout import HandoutError
from ..i18n import DEFAULT_LANGUAGE, EN, LANGUAGES, TRANSLATIONS, normalize_language, pick_language, t
from ..prompting.examples import TOPICS, Example, given_proof, load_examples
from ..prompting.messages import Turn
from ..prompting.steps import Proof
from ..settings import Settings
from .admission import Admission, Busy
from .export import RunRecord, write_export
from .handout_files import make_handout, write_handout
from .public import PublicGate, Visitor, locked
from .reasoning_pane import SHELVES, ReasoningPane
from .talk_mode import Rehearsal, choose, load_rehearsal, mark_words
from .view import (
    covered_render,
    covered_status,
    health_markdown,
    notes_markdown,
    pane_texts,
    proof_html,
    reasoning_header,
    render,
    replay_label,
    shows_reasoning_pane,
    status_markdown,
    thread_markdown,
    verdict_output,
)

log = logging.getLogger(__name__)


class LiveRun:
    """The browser session's current run, so Stop can end it and report what it stopped,
    and the conversation so far, so a follow-up question is asked about the same proof."""

    def __init__(self) -> None:
        self.run: DebugRun | None = None
        self.history: list[Turn] = []
        # The conversation's id, which its follow-ups' requests carry too ("": none begun yet).
        self.conversation_id = ""
        # The reasoning as the page's pane shows it (its shelves), for the raw switch to redraw.
        self.pane = ReasoningPane()
        # The latest verdict of the conversation: a follow-up without one leaves it shown.
        self.verdict: Verdict | NoVerdict | None = None
        # Guess-first mode, the page's own: each run starts covered and the browser gets
        # placeholders until Reveal. API callers have a session of their own, so it never hides theirs.
        # The reasoning has a reveal of its own ("Show reasoning"); Reveal uncovers both.
        self.guess_first = False
        self.covered = False
        self.reasoning_covered = False
        # The backend panel's thinking budget (None: the app's setting), kept here because the
        # debug API's inputs stay as they are.
        self.thinking_budget: float | None = None
        # The backend panel's reasoning effort (None: the app's setting), kept here for the same reason.
        self.effort: str | None = None
        # The class's votes on this run's proof when a room projects it (ui/room/), for its export.
        self.class_vote: Callable[[], dict[str, object] | None] | None = None
        # Whether the model the page last checked reads images (the photo box is shown then):
        # a proof taken from the room's queue brings its photo only to such a model.
        self.takes_images = False

    def __deepcopy__(self, memo: dict) -> LiveRun:
        return LiveRun()

    def new_conversation(self) -> None:
        """Forgets the conversation (its turns, verdict and id): Debug and Clear start afresh."""
        self.history = []
        self.verdict = None
        self.conversation_id = ""

    def keep(self, run: DebugRun) -> None:
        """A finished run joins the conversation: its turn when it answered, and its verdict
        unless it gave none, or only a "no verdict" where the conversation already has one."""
        if run.state.answer:
            self.history.append(run.turn())
        if run.state.verdict is not None and (self.verdict is None or isinstance(run.state.verdict, Verdict)):
            self.verdict = run.state.verdict


class PageSetting:
    """The default of a backend-panel input of the API: what this page's settings say.
    A method's defaults are fixed when its class is made, a page's settings only when the
    page is; Gradio's API takes those defaults from the components' values, not from here."""

    def __repr__(self) -> str:
        return "<the page's setting>"


PAGE_SETTING: Any = PageSetting()


def language_of(lang: str | None) -> str:
    """One of our five codes for whatever a caller sends (the API takes any string)."""
    return lang if lang in TRANSLATIONS else pick_language(lang)


def backend_choices(lang: str = DEFAULT_LANGUAGE) -> list[tuple[str, str]]:
    """Each registered backend, by its words in ``lang`` where it has some, else by its name."""
    return [(t(f"backend_{name}", lang) if f"backend_{name}" in EN else name, name) for name in BACKENDS]


def version_choices(lang: str = DEFAULT_LANGUAGE) -> list[tuple[str, str]]:
    return [
        (t("prompt_format_auto", lang), "auto"),
        ("2506 (<think>)", "2506"),
        ("2507 ([THINK])", "2507"),
        ("2509 ([THINK], vision)", "2509"),
    ]


def effort_choices(info: ModelInfo | None, lang: str = DEFAULT_LANGUAGE) -> list[tuple[str, str]]:
    """The efforts the panel offers: "auto" (saying what it picks), then only the levels this model
    takes here; a model that takes none gets "auto" alone, said as such."""
    if info is None or not info.efforts:
        return [(t("effort_auto_fixed", lang), "auto")]
    auto = info.default_effort if info.default_effort in info.efforts else info.efforts[-1]
    return [(t("effort_auto", lang, effort=auto), "auto"), *((level, level) for level in info.efforts)]


def effort_dropdown(info: ModelInfo | None, chosen: str, lang: str = DEFAULT_LANGUAGE) -> Any:
    """The panel's effort menu for ``info``: the chosen level kept where the model takes it, else "auto"."""
    choices = effort_choices(info, lang)
    value = chosen if chosen in (value for _, value in choices) else "auto"
    return gr.Dropdown(choices=choices, value=value, interactive=len(choices) > 1)


def example_choices(
    examples: Sequence[Example], lang: str = DEFAULT_LANGUAGE, rehearsal: Rehearsal | None = None
) -> list[tuple[str, str]]:
    """The examples picker's entries, grouped by topic: "Topic · Language · Title", so typing
    a topic, a language or a word of the title finds it (✓ marks a correct control proof; in
    talk mode, how the rehearsal went follows)."""
    order = {topic: index for index, topic in enumerate(TOPICS)}
    choices = []
    for example in sorted(examples, key=lambda example: order[example.topic]):
        words = [
            f"{t(f'topic_{example.topic}', lang)} · {LANGUAGES[normalize_language(example.language)]} ·",
            example.title,
            "✓" if example.control else "",
            mark_words(rehearsal, example.slug, lang),
        ]
        choices.append((" ".join(word for word in words if word), example.slug))
    return choices


def page_examples(settings: Settings, rehearsal: Rehearsal | None) -> tuple[Example, ...]:
    """The picker's examples: the app's gallery, then one's own folder (``MAGISTRAL_EXAMPLES_DIR``),
    then the benchmark items a talk-mode rehearsal ran; a slug already listed keeps its first entry."""
    own: tuple[Example, ...] = ()
    if settings.examples_dir.strip():
        try:
            own = load_examples(Path(settings.examples_dir))
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning("MAGISTRAL_EXAMPLES_DIR=%s: its examples are left out (%s)", settings.examples_dir, error)
    listed: dict[str, Example] = {}
    for example in (*load_examples(), *own, *(rehearsal.items if rehearsal else ())):
        listed.setdefault(example.slug, example)
    return tuple(listed.values())


def real_pane(live: LiveRun, reasoning: str) -> list[str]:
    """The pane, which held the placeholder, started again from the real reasoning (the
    run's next updates extend it, every shelf each time)."""
    live.pane = ReasoningPane(raw=live.pane.raw)
    return live.pane.update(reasoning)


def unchanged_pane() -> list:
    return [gr.skip()] * SHELVES


def keys_dialog(lang: str = DEFAULT_LANGUAGE) -> str:
    """The presenter's keys, in a dialog the ``?`` key opens (the page's script opens and closes it)."""
    keys = [
        ("Shift+Enter", "keys_run"),
        ("S", "keys_stop"),
        ("A", "keys_answer_now"),
        ("T", "keys_reveal_reasoning"),
        ("R", "keys_reveal"),
        ("F", "keys_fullscreen"),
        ("?", "keys_help"),
    ]
    rows = "".join(f"<tr><td><kbd>{key}</kbd></td><td>{html.escape(t(word, lang))}</td></tr>" for key, word in keys)
    title = html.escape(t("keys_title", lang))
    return (
        f'<dialog class="keys-dialog" aria-labelledby="keys-title"><h2 id="keys-title">{title}</h2>'
        f'<table>{rows}</table><button type="button" class="keys-close">{html.escape(t("keys_close", lang))}</button></dialog>'
    )


def skip_link(lang: str = DEFAULT_LANGUAGE) -> str:
    """The first thing a keyboard reaches: straight to the output, past the input and the examples."""
    return f'<a class="skip-link" href="#output">{html.escape(t("skip_to_answer", lang))}</a>'


# What the language menu re-words, by the element's id on the page: {property: message id,
# or a function of the language for words with more around them}.
PAGE_WORDS: dict[str, dict[str, str | Callable[[str], Any]]] = {
    "skip": {"value": skip_link},
    "title": {"value": lambda lang: f"# {t('app_title', lang)}"},
    "intro-text": {"value": "intro"},
    "presenter": {"label": "presenter_mode"},
    "language": {"label": "language"},
    "proof": {"label": "proof_label", "placeholder": "proof_placeholder"},
    "photo": {"label": "photo_label"},
    "debug": {"value": "debug_button"},
    "stop": {"value": "stop_button"},
    "answer-now": {"value": "answer_now_button"},
    "guess-first": {"label": "guess_first_mode"},
    "reveal-reasoning": {"value": "reveal_reasoning_button"},
    "reveal": {"value": "reveal_button"},
    "keys-help": {"value": keys_dialog},
    "thinking-budget": {"label": "thinking_budget_label"},
    "effort": {"label": "effort_label"},  # and its choices: refresh_models, which follows relabel
    "clear": {"value": "clear_button"},
    "examples": {"label": "examples_label", "info": "examples_search"},  # and its choices: relabel
    "reasoning-latest": {"value": "reasoning_latest"},
    "reasoning-raw": {"label": "reasoning_raw"},
    "answer-heading": {"value": lambda lang: f"**{t('answer_label', lang)}**"},
    "answer": {"label": "answer_label"},
    "download-md": {"label": lambda lang: f"⬇ {t('download_markdown', lang)}"},
    "download-json": {"label": lambda lang: f"⬇ {t('download_json', lang)}"},
    "handout": {"value": lambda lang: f"📄 {t('handout_button', lang)}"},
    "handout-files": {"label": "handout_files"},
    "question": {"label": "question_label", "placeholder": "question_placeholder"},
    "ask": {"value": "ask_button"},
    "thread": {"label": "conversation_label"},
    "backend-panel": {"label": "backend_panel"},
    "backend": {"label": "server_label", "choices": backend_choices},
    "url": {"label": "url_label"},
    "model": {"label": "model_label"},
    "refresh": {"value": "refresh_button"},
    "version": {"label": "prompt_format_label", "choices": version_choices},
    "temperature": {"label": "temperature_label"},
    "top-p": {"label": "top_p_label"},
    "max-tokens": {"label": "max_tokens_label"},
}


def session_settings(
    base: Settings,
    backend: str,
    url: str,
    model: str,
    temperature: float,
    top_p: float,
    max_tokens: float,
    version: str,
) -> Settings:
    """The settings one browser session (or API caller) chose, validated like the environment's."""
    update: dict[str, Any] = {
        "backend": backend or base.backend,
        "model": (model or "").strip(),
        "temperature": temperature,
        "top_p": top_p,
        "max_tokens": max_tokens or base.max_tokens,
        "model_version": version or "auto",
    }
    return Settings.model_validate(base.model_dump() | update).with_server_url((url or "").strip())


class _TurnView:
    """One turn's run state as the API's outputs, update after update: covered or not as the
    session says at each one (either reveal may come at any update), and the reasoning
    pane folded once, when the answer starts, unless it is the shown reasoning over a
    covered answer."""

    def __init__(self, live: LiveRun, label: str, lang: str, thread: str) -> None:
        self.live, self.label, self.lang, self.thread = live, label, lang, thread
        self.folded = False

    def show(self, state: RunState) -> tuple:
        covered, reasoning_shown = self.live.covered, not self.live.reasoning_covered
        reasoning, answer, status, header, notes = (
            covered_render(state, self.label, self.lang, show_reasoning=reasoning_shown)
            if covered
            else render(state, self.label, self.lang)
        )
        visible = shows_reasoning_pane(state)  # effort "none": no reasoning, no pane
        if state.answer_started_at is not None and not self.folded and not (covered and reasoning_shown):
            self.folded = True
            accordion = gr.update(label=header, open=False, visible=visible)
        else:
            accordion = gr.update(label=header, visible=visible)  # a dict: no component built on each update
        return reasoning, answer, status, accordion, self.thread, notes, None if covered else verdict_output(state)


def invalid_settings_message(error: ValidationError, lang: str = DEFAULT_LANGUAGE) -> str:
    fields = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
    return f"❌ {t('status_invalid_setting', lang, fields=fields)}"


class DebuggerPage:
    """One app's settings, examples and admission, and a method for each event of its page."""

    def __init__(self, settings: Settings) -> None:
        settings = locked(settings)  # public mode: its defaults and caps (unchanged otherwise)
        self.settings = settings
        # Public mode's budgets and locked panel (None: a page for people the owner trusts).
        self.gate = PublicGate(settings) if settings.public else None
        self.admission = Admission(settings.concurrency_limit, settings.queue_max_size)
        self.rehearsal = load_rehearsal(settings.rehearsal_dir) if settings.rehearsal_dir.strip() else None
        self.examples = page_examples(settings, self.rehearsal)

    def panel(self, *chosen: Any) -> tuple:
        """The backend panel's values, with this page's settings where an API caller left one out."""
        s = self.settings
        defaults = (s.backend, "", s.model, s.temperature, s.top_p, s.max_tokens, s.model_version)
        return tuple(
            default if value is PAGE_SETTING else value for value, default in zip(chosen, defaults, strict=True)
        )

    async def run_turn(
        self, text: str, image: str | None, panel: tuple, live: LiveRun | None, follow_up: bool, lang: str | None
    ) -> AsyncIterator[tuple]:
        """One turn, first or follow-up; yields (reasoning, answer, status, accordion, thread, notes, verdict).

        The reasoning pane opens for the thinking and folds away, once, when the answer
        starts: the answer takes the stage, and a person who opens the pane again keeps it open.
        In guess-first mode a shown reasoning over a covered answer stays open: it is what the
        room reads until Reveal."""
        lang = language_of(lang)
        live = live if live is not None else LiveRun()
        if not follow_up:
            live.new_conversation()  # Debug starts a new conversation
        thread = thread_markdown(live.history, lang, asking=text if follow_up else "")
        idle_header = gr.Accordion(label=t("reasoning_label", lang), open=True)
        try:
            chosen = self._chosen_settings(panel, live)
        except ValidationError as error:
            yield "", "", invalid_settings_message(error, lang), idle_header, thread, "", None
            return
        try:
            slot = self.admission.request()
        except Busy:
            yield "", "", f"⏳ {t('status_busy', lang)}", idle_header, thread, "", None
            return
        async with slot:
            if slot.must_wait:
                waiting = f"⏳ {t('status_queued', lang, ahead=slot.ahead)}"
                yield "", "", waiting, idle_header, thread, "", None
                await slot.turn()
            run, label = await self._start_run(chosen, text, image, live, follow_up, lang)
            view = _TurnView(live, label, lang, thread)
            async for state in live_snapshots(run):
                yield view.show(state)
            live.keep(run)

    def _chosen_settings(self, panel: tuple, live: LiveRun) -> Settings:
        """The panel's settings with the session's thinking budget; raises ``ValidationError``."""
        chosen = session_settings(self.settings, *panel)
        session: dict[str, Any] = {}
        if live.thinking_budget is not None:
            session["thinking_budget"] = live.thinking_budget
        if live.effort is not None:
            session["reasoning_effort"] = live.effort
        return Settings.model_validate(chosen.model_dump() | session) if session else chosen

    async def _start_run(
        self, chosen: Settings, text: str, image: str | None, live: LiveRun, follow_up: bool, lang: str
    ) -> tuple[DebugRun, str]:
        """The session's new run, covered in guess-first mode, and the label saying what it replays.
        Talk mode: a rehearsed proof is replayed from the rehearsal when its server is down."""
        given = None if follow_up or image else given_proof(text, self.examples)
        chosen, rehearsed = (
            (chosen, None) if follow_up or image else await choose(chosen, given or Proof.of(text), self.rehearsal)
        )
        run = DebugRun(
            chosen,
            text,
            image=image or None,
            history=list(live.history),
            conversation_id=live.conversation_id,
            proof=given,
        )
        live.run, live.conversation_id = run, run.conversation_id
        live.covered = live.reasoning_covered = live.guess_first
        label = f"🎞️ {rehearsed.text(lang)}" if rehearsed else replay_label(run, lang)
        return run, label

    async def debug(
        self,
        text: str,
        backend: str = PAGE_SETTING,
        url: str = "",
        model: str = PAGE_SETTING,
        temperature: float = PAGE_SETTING,
        top_p: float = PAGE_SETTING,
        max_tokens: float = PAGE_SETTING,
        version: str = PAGE_SETTING,
        image: str | None = None,
        live: LiveRun | None = None,
        lang: str = DEFAULT_LANGUAGE,
        request: gr.Request | None = None,
    ) -> AsyncIterator[tuple]:
        panel = self.panel(backend, url, model, temperature, top_p, max_tokens, version)
        live = live if live is not None else LiveRun()
        async for update in self.guarded(
            self.run_turn(text, image, panel, live, False, lang), panel, live, lang, request
        ):
            yield update

    async def follow_up(
        self,
        question: str,
        backend: str = PAGE_SETTING,
        url: str = "",
        model: str = PAGE_SETTING,
        temperature: float = PAGE_SETTING,
        top_p: float = PAGE_SETTING,
        max_tokens: float = PAGE_SETTING,
        version: str = PAGE_SETTING,
        live: LiveRun | None = None,
        lang: str = DEFAULT_LANGUAGE,
        request: gr.Request | None = None,
    ) -> AsyncIterator[tuple]:
        panel = self.panel(backend, url, model, temperature, top_p, max_tokens, version)
        live = live if live is not None else LiveRun()
        turn = self.run_turn(question, None, panel, live, True, lang)
        async for update in self.guarded(turn, panel, live, lang, request):
            yield update

    async def guarded(
        self, turn: AsyncIterator[tuple], panel: tuple, live: LiveRun, lang: str | None, request: gr.Request | None
    ) -> AsyncIterator[tuple]:
        """A turn through public mode's gate: refused (with when to try again) unless the panel
        is the owner's and the visitor has budget left, and charged what its run spent. Outside
        public mode, the turn itself."""
        if self.gate is None:
            async for update in turn:
                yield update
            return
        lang = language_of(lang)
        ticket = self.gate.admit(panel, self.gate.visitor(request) if request is not None else Visitor("", ""), lang)
        if isinstance(ticket, str):
            idle_header = gr.Accordion(label=t("reasoning_label", lang), open=True)
            yield "", "", ticket, idle_header, thread_markdown(live.history, lang), "", None
            return
        before = live.run
        try:
            async for update in turn:
                yield update
        finally:
            # this turn's run, if it got as far as starting one (a busy app turns it away first)
            self.gate.settle(ticket, live.run if live.run is not before else None)

    async def in_page(self, turn: AsyncIterator[tuple], live: LiveRun, raw: bool) -> AsyncIterator[tuple]:
        """A turn's updates as the page shows them: its reasoning on the pane's shelves (only
        the shelf that changed goes on the wire) instead of the one text the API gives."""
        live.pane = ReasoningPane(raw=raw)
        header_shown = None
        async for reasoning, answer, status, header, *rest in turn:
            # Gradio builds a whole component for each header update (a tenth of the process's
            # CPU with a class streaming); the header changes about once a second, the pane
            # every update. None leaves it as it is.
            if header == header_shown:
                header = None
            else:
                header_shown = header
            yield (answer, status, header, *rest, *live.pane.update(reasoning))

    async def debug_in_page(
        self,
        text: str,
        backend: str,
        url: str,
        model: str,
        temperature: float,
        top_p: float,
        max_tokens: float,
        version: str,
        image: str | None,
        live: LiveRun,
        lang: str,
        raw: bool,
        request: gr.Request | None = None,
    ) -> AsyncIterator[tuple]:
        turn = self.debug(
            text, backend, url, model, temperature, top_p, max_tokens, version, image, live, lang, request
        )
        async for update in self.in_page(turn, live, raw):
            yield update

    async def follow_up_in_page(
        self,
        question: str,
        backend: str,
        url: str,
        model: str,
        temperature: float,
        top_p: float,
        max_tokens: float,
        version: str,
        live: LiveRun,
        lang: str,
        raw: bool,
        request: gr.Request | None = None,
    ) -> AsyncIterator[tuple]:
        turn = self.follow_up(
            question, backend, url, model, temperature, top_p, max_tokens, version, live, lang, request
        )
        async for update in self.in_page(turn, live, raw):
            yield update

    def show_raw(self, raw: bool, live: LiveRun) -> list[str]:
        """The pane as plain text (what the model wrote, dollars and all) or rendered again."""
        return live.pane.show_raw(raw)

    def after_run(self, live: LiveRun, lang: str = DEFAULT_LANGUAGE) -> tuple:
        """Downloads of the finished run and the conversation before it (in the page's language),
        the follow-up box once there is an answer, and the numbered proof marked with the
        conversation's latest verdict. A run that produced no text offers no download."""
        run = live.run
        follow_up_box = gr.Group(visible=bool(live.history) and not live.covered)
        hidden = gr.DownloadButton(visible=False)
        if run is None or not run.state.done:
            return hidden, hidden, follow_up_box, "", gr.HTML()
        if live.covered:  # the marks, the downloads and the next question wait for Reveal
            return hidden, hidden, follow_up_box, "", proof_html(run.state.steps, None, None, language_of(lang))
        proof = proof_html(run.state.steps, live.verdict, None, language_of(lang))
        if not (run.state.reasoning or run.state.answer):
            return hidden, hidden, follow_up_box, "", proof
        folder = tempfile.mkdtemp(prefix="magistral-export-")
        record = RunRecord.from_run(run, language_of(lang))
        if live.class_vote is not None:
            record = replace(record, class_vote=live.class_vote())
        markdown, json_file = (str(write_export(record, folder, form)) for form in ("md", "json"))
        return (
            gr.DownloadButton(value=markdown, visible=True),
            gr.DownloadButton(value=json_file, visible=True),
            follow_up_box,
            "",
            proof,
        )

    async def stop(self, live: LiveRun, lang: str = DEFAULT_LANGUAGE) -> tuple[str, Any]:
        lang = language_of(lang)
        if live.run is None:
            return status_markdown(None, lang), gr.Accordion()
        live.run.cancel()  # a finished run stays finished: the first ending wins
        state = live.run.state
        return status_markdown(state, lang), gr.Accordion(label=reasoning_header(state, lang))

    async def answer_now(self, live: LiveRun) -> None:
        """The model stops thinking and answers from its reasoning so far; the run's own
        updates show the rest (a run not reasoning any more ignores it)."""
        if live.run is not None:
            live.run.answer_now()

    # Both reveals are coroutines so that they run on the event loop between two of the run's
    # updates, never halfway through one that read the covers before they were lifted.

    async def reveal(self, live: LiveRun, lang: str = DEFAULT_LANGUAGE) -> tuple:
        """Guess-first's Reveal: the real reasoning, answer and status of the session's run (the
        run's next updates, if it goes on, are real too; ``after_run`` then marks the proof)."""
        reasoning_covered = live.reasoning_covered
        live.covered = live.reasoning_covered = False
        if live.run is None:
            return (gr.update(), gr.update(), gr.Accordion(), gr.update(), *unchanged_pane())
        state = live.run.state
        reasoning, answer, status, header, _ = render(
            state, replay_label(live.run, language_of(lang)), language_of(lang)
        )
        shelves = real_pane(live, reasoning) if reasoning_covered else unchanged_pane()
        # the answer takes the stage, as when it starts uncovered
        fold: dict[str, Any] = {"open": False} if state.answer_started_at is not None else {}
        return (answer, status, gr.Accordion(label=header, **fold), verdict_output(state), *shelves)

    async def reveal_reasoning(self, live: LiveRun) -> tuple:
        """Guess-first's "Show reasoning": the whole reasoning so far, opened, which the run's
        next updates extend; the answer, the verdict and the step marks wait for Reveal."""
        if live.run is None or not live.reasoning_covered:
            return (gr.Accordion(), *unchanged_pane())
        live.reasoning_covered = False
        reasoning, _ = pane_texts(live.run.state)
        return (gr.Accordion(open=True), *real_pane(live, reasoning))

    def set_guess_first(self, on: bool, live: LiveRun) -> Any:
        """The header's toggle: it holds for this session's next runs; the one covered now stays
        covered until Reveal, whose buttons (with Show reasoning) are there while either is so."""
        live.guess_first = bool(on)
        return gr.Row(visible=live.guess_first or live.covered)

    def set_thinking_budget(self, seconds: float | None, live: LiveRun) -> None:
        live.thinking_budget = max(0.0, float(seconds or 0))

    def set_effort(self, effort: str | None, live: LiveRun) -> None:
        """The panel's effort for this session's next runs (the menu offers only levels the model takes)."""
        live.effort = effort or "auto"

    def clear(self, live: LiveRun, lang: str = DEFAULT_LANGUAGE) -> tuple:
        lang = language_of(lang)
        live.covered = live.reasoning_covered = False
        live.new_conversation()
        hidden = gr.DownloadButton(visible=False)
        live.pane = ReasoningPane(raw=live.pane.raw)
        texts = ("", None, "", "")  # proof, photo, question, answer
        header = gr.Accordion(label=t("reasoning_label", lang), open=True)
        shelves = live.pane.update("")  # a new pane sends every shelf, empty
        return (
            *texts,
            status_markdown(None, lang),
            header,
            "",
            "",
            hidden,
            hidden,
            gr.Group(visible=False),
            "",
            *shelves,
        )

    def handout(self, text: str, live: LiveRun, lang: str = DEFAULT_LANGUAGE) -> Any:
        """The proof in the box as a worksheet PDF and its .tex, with the key the page may show
        (none while guess-first covers the run, or before a guess-first run); a failure is said
        in a toast and leaves the page as it was."""
        lang = language_of(lang)
        run = live.run.state if live.run is not None else None
        hide_key = live.covered or (live.guess_first and (run is None or not run.done))
        try:
            made = make_handout(text, self.examples, run, hide_key, lang)
        except HandoutError as error:
            log.exception("handout failed")
            gr.Warning(t("handout_failed", lang, detail=str(error)))
            return gr.update()
        if made is None:
            gr.Warning(t("input_empty", lang))
            return gr.update()
        return gr.File(value=[str(path) for path in write_handout(*made)], visible=True)

    def pick_example(self, slug: str | None) -> Any:
        chosen = next((example for example in self.examples if example.slug == slug), None)
        return chosen.argument if chosen is not None else gr.Textbox()

    def preview(self, text: str, lang: str = DEFAULT_LANGUAGE) -> str:
        """The proof as numbered steps while it is typed, so a person sees the split the model
        will get and fixes it with line breaks."""
        proof = given_proof(text, self.examples) or Proof.of(text or "")
        return proof_html(proof.steps, lang=language_of(lang))

    def detect_language(self, browser_languages: str) -> str:
        return pick_language(browser_languages)

    def relabel(self, lang: str, live: LiveRun | None) -> list:
        """Every word of the page in ``lang`` (``PAGE_WORDS``, then the status, the reasoning
        header and the notes); a finished run's too, while a run going on keeps its own."""
        lang = language_of(lang)
        words = [
            # Words for labels, values and placeholders: update's keyword arguments.
            gr.update(
                **cast(
                    dict[str, Any],
                    {prop: word(lang) if callable(word) else t(word, lang) for prop, word in props.items()},
                )
            )
            for props in PAGE_WORDS.values()
        ]
        words[list(PAGE_WORDS).index("examples")]["choices"] = example_choices(self.examples, lang, self.rehearsal)
        run = live.run if live is not None else None
        state = run.state if run is not None else None
        if state is not None and not state.done:
            return [*words, gr.update(label=t("status_label", lang)), gr.update(), gr.update()]
        status_now = (
            covered_status(state, lang)
            if state is not None and live is not None and live.covered
            else status_markdown(state, lang)
        )
        replay = replay_label(run, lang) if run is not None else ""
        if replay:
            status_now = f"{replay}\n\n{status_now}"
        return [
            *words,
            gr.update(label=t("status_label", lang), value=status_now),
            gr.update(label=reasoning_header(state, lang)),
            notes_markdown(state, lang),
        ]

    async def refresh_models(
        self,
        backend: str,
        url: str,
        model: str,
        lang: str = DEFAULT_LANGUAGE,
        effort: str | None = None,
        live: LiveRun | None = None,
    ) -> tuple[gr.Dropdown, str, gr.Image, gr.Dropdown]:
        """The header's health, the model menu, the photo input and the efforts this model takes,
        asked of the server whenever what they describe may have changed."""
        lang = language_of(lang)
        settings = self.settings
        if self.gate is not None:  # public mode: only the owner's server is ever asked
            backend, url, model = settings.backend, "", settings.model
        try:
            chosen = session_settings(
                settings, backend, url, model, settings.temperature, settings.top_p, settings.max_tokens, "auto"
            )
        except ValidationError as error:
            return gr.Dropdown(), invalid_settings_message(error, lang), gr.Image(), gr.Dropdown()
        async with make_backend(chosen) as server:
            health = await check_health(server, chosen.model if server.live else "")
            info = await model_info_or_none(server, chosen.model) if health.state == "ready" else None
        choices = list(health.models)
        value = model or health.model
        if value and value not in choices:
            choices.append(value)
        vision = info is not None and info.takes_images(chosen.vision)
        if live is not None:
            live.takes_images = vision
        efforts = effort_dropdown(info, effort or settings.reasoning_effort, lang)
        # Public mode: the model stays the owner's setting, which is what the panel then sends.
        menu = gr.Dropdown() if self.gate is not None else gr.Dropdown(choices=choices, value=value)
        return (
            menu,
            health_markdown(health, lang),
            gr.Image(visible=vision),
            efforts,
        )

    def switch_backend(self, backend: str) -> Any:
        return gr.Textbox(value="", placeholder=self.settings.url_of(backend))
