"""The Gradio page. It renders run state; it knows nothing of wire formats.

``build_app(settings)`` makes the Blocks without launching (tests use it);
``launch(settings)`` serves it with the queue, auth and share link the settings ask for.
"""

from __future__ import annotations

import html
import logging
import os
import sys
import tempfile
from typing import Any, AsyncIterator

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # a lecture hall may have no internet

import gradio as gr  # noqa: E402
from pydantic import ValidationError  # noqa: E402

from .admission import Admission, Busy  # noqa: E402
from .backends import BACKENDS, BackendError, check_health, make_backend, supports_images  # noqa: E402
from .examples import load_examples  # noqa: E402
from .export import RunRecord, write_export  # noqa: E402
from .i18n import DEFAULT_LANGUAGE, LANGUAGES, TRANSLATIONS, gradio_i18n, in_language, pick_language, t  # noqa: E402
from .prompt import Turn  # noqa: E402
from .run import DebugRun, live_snapshots  # noqa: E402
from .settings import URL_SETTINGS, Settings  # noqa: E402
from .state import RunState  # noqa: E402
from .view import LATEX_DELIMITERS, health_markdown, pane_texts, reasoning_header, status_markdown  # noqa: E402

log = logging.getLogger(__name__)

MODEL_CONCURRENCY_ID = "model"
# Static words, translated by the browser from the first frame in the languages Gradio's
# frontend knows (en, pt, es, zh-CN); Vietnamese arrives from the server right after load.
WORDS = gradio_i18n()


def language_of(lang: str | None) -> str:
    """One of our five codes for whatever a caller sends (the API takes any string)."""
    return lang if lang in TRANSLATIONS else pick_language(lang)


def backend_choices(lang: str = DEFAULT_LANGUAGE) -> list[tuple[str, str]]:
    return [(t(f"backend_{name}", lang), name) for name in BACKENDS]


def version_choices(lang: str = DEFAULT_LANGUAGE) -> list[tuple[str, str]]:
    return [(t("prompt_format_auto", lang), "auto"), ("2506 (<think>)", "2506"), ("2507 ([THINK])", "2507"), ("2509 ([THINK], vision)", "2509")]


BACKEND_CHOICES = backend_choices()
VERSION_CHOICES = version_choices()
LANGUAGE_CHOICES = [(name, code) for code, name in LANGUAGES.items()]
# The browser's languages, most preferred first, as an Accept-Language list for pick_language.
BROWSER_LANGUAGES_JS = "() => (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en']).join(',')"

# System fonts only: the page must load with no request leaving the machine.
THEME = gr.themes.Soft(
    font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
)
CSS = """
#answer .prose { font-size: var(--answer-size, 1.08rem) !important; line-height: 1.6; }
#answer .katex { font-size: 1.15em !important; }
#answer-heading .prose { font-size: var(--answer-heading-size, 1rem) !important; }
#proof textarea { font-size: var(--proof-size, 1rem) !important; }
#reasoning textarea { opacity: var(--reasoning-opacity, 0.85); font-size: var(--reasoning-size, 0.95rem) !important; }
#status { min-height: 2.2em; }
#status .prose { font-size: var(--status-size, 1rem) !important; }
#answer, #status { overflow-wrap: anywhere; }
/* Presenter mode, for a projector: Gradio scopes every rule under its container, so the
   mode switches CSS variables on <body>, which every scoped rule above inherits. */
body.presenter {
  --answer-size: 1.9rem; --answer-heading-size: 1.4rem; --proof-size: 1.45rem; --status-size: 1.2rem;
  --reasoning-size: 1.2rem; --reasoning-opacity: 0.7; --body-text-color: #000; background: #fff;
}
body.presenter #intro, body.presenter #backend-panel, body.presenter #examples { display: none !important; }
"""
# A bookmark with ?presenter opens the page in presenter mode.
PRESENTER_FROM_URL_JS = "() => new URLSearchParams(window.location.search).has('presenter')"
PRESENTER_TOGGLE_JS = "(on) => { document.body.classList.toggle('presenter', on); return []; }"


class LiveRun:
    """The browser session's current run, so Stop can end it and report what it stopped,
    and the conversation so far, so a follow-up question is asked about the same proof."""

    def __init__(self) -> None:
        self.run: DebugRun | None = None
        self.history: list[Turn] = []

    def __deepcopy__(self, memo: dict) -> "LiveRun":
        return LiveRun()


def session_settings(
    base: Settings, backend: str, url: str, model: str, temperature: float, top_p: float, max_tokens: float, version: str
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


def invalid_settings_message(error: ValidationError, lang: str = DEFAULT_LANGUAGE) -> str:
    fields = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
    return f"❌ {t('status_invalid_setting', lang, fields=fields)}"


def default_url(settings: Settings, backend: str) -> str:
    field = URL_SETTINGS.get(backend)
    return getattr(settings, field) if field else ""


def thread_markdown(history: list[Turn], lang: str = DEFAULT_LANGUAGE) -> str:
    """Earlier turns of the conversation; the newest one is in the live panes."""
    blocks = []
    for number, turn in enumerate(history, 1):
        asked = t("thread_proof" if number == 1 else "thread_asked", lang)
        question = html.escape(turn.question or t("thread_photo", lang))
        reasoning = html.escape(turn.reasoning)
        summary = html.escape(t("reasoning_label", lang))
        blocks.append(
            f"**{asked}:** {question}\n\n<details><summary>{summary}</summary>\n\n{reasoning}\n\n</details>\n\n"
            f"{turn.answer}"
        )
    return "\n\n---\n\n".join(blocks)


def replay_label(run: DebugRun, lang: str = DEFAULT_LANGUAGE) -> str:
    """Said plainly on every update of a replay, so nobody takes it for a live model."""
    if run.backend.live:
        return ""
    try:
        recording = run.backend.recording()
        return f"🎞️ {t('replay_label', lang, date=recording.recorded_on, model=recording.model)}"
    except BackendError as error:
        return f"🎞️ {in_language(error.message, lang)}"


def render(state: RunState, label: str = "", lang: str = DEFAULT_LANGUAGE) -> tuple[str, str, str, Any]:
    reasoning, answer = pane_texts(state)
    status = status_markdown(state, lang)
    header = reasoning_header(state, lang)
    return reasoning, answer, f"{label}\n\n{status}" if label else status, gr.Accordion(label=header)


def build_app(settings: Settings | None = None) -> gr.Blocks:
    settings = settings or Settings()
    examples = load_examples()
    admission = Admission(settings.concurrency_limit, settings.queue_max_size)

    async def run_turn(
        text: str, image: str | None, panel: tuple, live: LiveRun | None, follow_up: bool, lang: str | None
    ) -> AsyncIterator[tuple]:
        """One turn, first or follow-up; yields (reasoning, answer, status, accordion, thread)."""
        lang = language_of(lang)
        live = live if live is not None else LiveRun()
        if not follow_up:
            live.history = []  # Debug starts a new conversation
        thread = thread_markdown(live.history, lang)
        idle_header = gr.Accordion(label=t("reasoning_label", lang))
        try:
            chosen = session_settings(settings, *panel)
        except ValidationError as error:
            yield "", "", invalid_settings_message(error, lang), idle_header, thread
            return
        try:
            slot = admission.request()
        except Busy:
            yield "", "", f"⏳ {t('status_busy', lang)}", idle_header, thread
            return
        async with slot:
            if slot.must_wait:
                waiting = f"⏳ {t('status_queued', lang, ahead=slot.ahead)}"
                yield "", "", waiting, idle_header, thread
                await slot.turn()
            run = DebugRun(chosen, text, image=image or None, history=list(live.history))
            live.run = run
            label = replay_label(run, lang)
            async for state in live_snapshots(run):
                yield (*render(state, label, lang), thread)
            if run.state.answer:
                live.history.append(run.turn())

    async def debug(
        text: str,
        backend: str = settings.backend,
        url: str = "",
        model: str = settings.model,
        temperature: float = settings.temperature,
        top_p: float = settings.top_p,
        max_tokens: float = settings.max_tokens,
        version: str = settings.model_version,
        image: str | None = None,
        live: LiveRun | None = None,
        lang: str = DEFAULT_LANGUAGE,
    ) -> AsyncIterator[tuple]:
        panel = (backend, url, model, temperature, top_p, max_tokens, version)
        async for update in run_turn(text, image, panel, live, False, lang):
            yield update

    async def follow_up(
        question: str,
        backend: str = settings.backend,
        url: str = "",
        model: str = settings.model,
        temperature: float = settings.temperature,
        top_p: float = settings.top_p,
        max_tokens: float = settings.max_tokens,
        version: str = settings.model_version,
        live: LiveRun | None = None,
        lang: str = DEFAULT_LANGUAGE,
    ) -> AsyncIterator[tuple]:
        panel = (backend, url, model, temperature, top_p, max_tokens, version)
        async for update in run_turn(question, None, panel, live, True, lang):
            yield update

    def after_run(live: LiveRun, lang: str = DEFAULT_LANGUAGE) -> tuple:
        """Downloads of the finished run (in the page's language), and the follow-up box once there is an answer."""
        run = live.run
        if run is None or not run.state.done:
            return gr.DownloadButton(visible=False), gr.DownloadButton(visible=False), gr.Group(visible=bool(live.history)), ""
        folder = tempfile.mkdtemp(prefix="magistral-export-")
        record = RunRecord.from_run(run, language_of(lang))
        markdown, json_file = (str(write_export(record, folder, kind)) for kind in ("md", "json"))
        return (
            gr.DownloadButton(value=markdown, visible=True),
            gr.DownloadButton(value=json_file, visible=True),
            gr.Group(visible=bool(live.history)),
            "",
        )

    async def stop(live: LiveRun, lang: str = DEFAULT_LANGUAGE) -> tuple[str, Any]:
        lang = language_of(lang)
        if live.run is None:
            return status_markdown(None, lang), gr.Accordion()
        live.run.cancel()  # a finished run stays finished: the first ending wins
        state = live.run.state
        return status_markdown(state, lang), gr.Accordion(label=reasoning_header(state, lang))

    def clear(live: LiveRun, lang: str = DEFAULT_LANGUAGE) -> tuple:
        lang = language_of(lang)
        live.history = []  # a new conversation
        hidden = gr.DownloadButton(visible=False)
        texts = ("", None, "", "", "")  # proof, photo, question, reasoning, answer
        header = gr.Accordion(label=t("reasoning_label", lang))
        return (*texts, status_markdown(None, lang), header, "", hidden, hidden, gr.Group(visible=False))

    def detect_language(browser_languages: str) -> str:
        return pick_language(browser_languages)

    def relabel(lang: str, live: LiveRun | None) -> list:
        """Every word of the page in ``lang`` (``page_words``, then the status and the reasoning
        header); a finished run's status and header too, while a run going on keeps its own."""
        lang = language_of(lang)
        words = [
            gr.update(**{prop: word(lang) if callable(word) else t(word, lang) for prop, word in props.items()})
            for _, props in page_words
        ]
        run = live.run if live is not None else None
        state = run.state if run is not None else None
        if state is not None and not state.done:
            return [*words, gr.update(label=t("status_label", lang)), gr.update()]
        status_now = status_markdown(state, lang)
        replay = replay_label(run, lang) if run is not None else ""
        if replay:
            status_now = f"{replay}\n\n{status_now}"
        return [*words, gr.update(label=t("status_label", lang), value=status_now), gr.update(label=reasoning_header(state, lang))]

    async def refresh_models(backend: str, url: str, model: str, lang: str = DEFAULT_LANGUAGE) -> tuple[Any, str]:
        lang = language_of(lang)
        try:
            chosen = session_settings(settings, backend, url, model, settings.temperature, settings.top_p, settings.max_tokens, "auto")
        except ValidationError as error:
            return gr.Dropdown(), invalid_settings_message(error, lang), gr.Image()
        async with make_backend(chosen) as server:
            health = await check_health(server, chosen.model if server.live else "")
            vision = health.state == "ready" and await supports_images(server, chosen.model, chosen.vision)
        choices = list(health.models)
        value = model or health.model
        if value and value not in choices:
            choices.append(value)
        return gr.Dropdown(choices=choices, value=value), health_markdown(health, lang), gr.Image(visible=vision)

    def switch_backend(backend: str) -> Any:
        return gr.Textbox(value="", placeholder=default_url(settings, backend))

    with gr.Blocks(title="Magistral Debugger", analytics_enabled=False) as app:
        live = gr.State(LiveRun())
        with gr.Row(equal_height=True):
            with gr.Column(elem_id="intro"):
                title = gr.Markdown("# " + WORDS("app_title"), elem_id="title")
                intro = gr.Markdown(WORDS("intro"), elem_id="intro-text")
            presenter = gr.Checkbox(False, label=WORDS("presenter_mode"), scale=0, min_width=160, elem_id="presenter")
            # Follows the browser's languages on load (Gradio's own locale list has no Vietnamese).
            language = gr.Dropdown(
                LANGUAGE_CHOICES, value=DEFAULT_LANGUAGE, label=WORDS("language"), scale=0, min_width=160, elem_id="language"
            )
            browser_languages = gr.Textbox("", visible=False)  # navigator.languages, on the way to pick_language
        with gr.Row(equal_height=False):
            with gr.Column(scale=5):
                text = gr.Textbox(
                    label=WORDS("proof_label"),
                    lines=10,
                    max_lines=30,
                    placeholder=WORDS("proof_placeholder"),
                    elem_id="proof",
                )
                image = gr.Image(
                    type="filepath",
                    sources=["upload", "clipboard", "webcam"],
                    label=WORDS("photo_label"),
                    height=180,
                    visible=False,  # shown once the model is known to take images
                    elem_id="photo",
                )
                with gr.Row():
                    debug_button = gr.Button(WORDS("debug_button"), variant="primary", elem_id="debug")
                    stop_button = gr.Button(WORDS("stop_button"), variant="stop", elem_id="stop")
                    clear_button = gr.Button(WORDS("clear_button"), elem_id="clear")
                with gr.Column(elem_id="examples"):
                    example_set = gr.Examples(
                        examples=[[example.argument] for example in examples],
                        example_labels=[f"{example.title}" + (" ✓" if example.kind == "correct" else "") for example in examples],
                        inputs=[text],
                        label=WORDS("examples_label"),
                        examples_per_page=30,
                    )
            with gr.Column(scale=6):
                # Labels of outputs nobody sees stay plain English: the API names its return values after them.
                status = gr.Markdown(WORDS("status_idle"), label=t("status_label"), elem_id="status")
                with gr.Accordion(WORDS("reasoning_label"), open=True, elem_id="reasoning-accordion") as reasoning_accordion:
                    reasoning = gr.Textbox(
                        label=t("reasoning_label"),
                        show_label=False,
                        lines=8,
                        max_lines=16,
                        interactive=False,
                        autoscroll=True,
                        elem_id="reasoning",
                        placeholder=WORDS("reasoning_placeholder"),
                    )
                answer_heading = gr.Markdown("**" + WORDS("answer_label") + "**", elem_id="answer-heading")
                answer = gr.Markdown(
                    label=t("answer_label"),
                    latex_delimiters=LATEX_DELIMITERS,
                    sanitize_html=True,
                    elem_id="answer",
                    buttons=["copy"],
                    min_height=120,
                )
                with gr.Row():
                    download_md = gr.DownloadButton(
                        "⬇ " + WORDS("download_markdown"), visible=False, size="sm", elem_id="download-md"
                    )
                    download_json = gr.DownloadButton(
                        "⬇ " + WORDS("download_json"), visible=False, size="sm", elem_id="download-json"
                    )
                with gr.Group(visible=False, elem_id="follow-up") as follow_up_group:
                    question = gr.Textbox(
                        label=WORDS("question_label"),
                        placeholder=WORDS("question_placeholder"),
                        lines=2,
                        elem_id="question",
                    )
                    ask_button = gr.Button(WORDS("ask_button"), elem_id="ask")
        thread = gr.Markdown(
            "", label=t("conversation_label"), latex_delimiters=LATEX_DELIMITERS, sanitize_html=True, elem_id="thread"
        )
        with gr.Accordion(WORDS("backend_panel"), open=False, elem_id="backend-panel") as backend_panel:
            health = gr.Markdown("", elem_id="health")
            with gr.Row():
                backend = gr.Radio(BACKEND_CHOICES, value=settings.backend, label=WORDS("server_label"), elem_id="backend")
                # Empty means "the configured URL": Gradio puts default values in the API
                # description that even its login page embeds, so the server URL stays out of it.
                url = gr.Textbox(value="", placeholder=settings.server_url, label=WORDS("url_label"), elem_id="url")
            with gr.Row():
                model = gr.Dropdown(
                    choices=[settings.model] if settings.model else [],
                    value=settings.model,
                    allow_custom_value=True,
                    label=WORDS("model_label"),
                    elem_id="model",
                )
                refresh = gr.Button(WORDS("refresh_button"), scale=0, elem_id="refresh")
                version = gr.Dropdown(
                    VERSION_CHOICES, value=settings.model_version, label=WORDS("prompt_format_label"), elem_id="version"
                )
            with gr.Row():
                temperature = gr.Slider(
                    0.0, 1.5, value=settings.temperature, step=0.05, label=WORDS("temperature_label"), elem_id="temperature"
                )
                top_p = gr.Slider(0.05, 1.0, value=settings.top_p, step=0.05, label=WORDS("top_p_label"), elem_id="top-p")
                max_tokens = gr.Number(
                    value=settings.max_tokens, precision=0, minimum=1, label=WORDS("max_tokens_label"), elem_id="max-tokens"
                )

        panel = [backend, url, model, temperature, top_p, max_tokens, version]
        outputs = [reasoning, answer, status, reasoning_accordion, thread]
        finished_outputs = [download_md, download_json, follow_up_group, question]
        run_options = dict(
            # Admission (above) decides who runs, who waits and who hears "busy";
            # Gradio must not hold them in its own queue first.
            concurrency_limit=None,
            concurrency_id=MODEL_CONCURRENCY_ID,
            show_progress="hidden",
        )
        private = dict(api_visibility="private")
        runs = [
            debug_button.click(debug, [text, *panel, image, live, language], outputs, api_name="debug", **run_options),
            text.submit(debug, [text, *panel, image, live, language], outputs, **private, **run_options),
            ask_button.click(
                follow_up, [question, *panel, live, language], outputs, api_name="follow_up", **run_options
            ),
            question.submit(follow_up, [question, *panel, live, language], outputs, **private, **run_options),
        ]
        for started in runs:
            started.then(after_run, [live, language], finished_outputs, **private)
        stop_button.click(
            stop, [live, language], [status, reasoning_accordion], cancels=runs, queue=False, **private
        ).then(after_run, [live, language], finished_outputs, **private)
        clear_button.click(
            clear,
            [live, language],
            [text, image, question, reasoning, answer, status, reasoning_accordion, thread, download_md, download_json, follow_up_group],
            cancels=runs,
            queue=False,
            **private,
        )
        backend.change(switch_backend, [backend], [url], queue=False, **private)
        checked = dict(fn=refresh_models, inputs=[backend, url, model, language], outputs=[model, health, image], **private)
        for trigger in (refresh.click, backend.change, url.submit):
            trigger(**checked)
        presenter.change(None, [presenter], None, js=PRESENTER_TOGGLE_JS)
        # What the language menu re-words: each component with {property: message id, or a
        # function of the language for words with more around them}.
        page_words = [
            (title, {"value": lambda lang: f"# {t('app_title', lang)}"}),
            (intro, {"value": "intro"}),
            (presenter, {"label": "presenter_mode"}),
            (language, {"label": "language"}),
            (text, {"label": "proof_label", "placeholder": "proof_placeholder"}),
            (image, {"label": "photo_label"}),
            (debug_button, {"value": "debug_button"}),
            (stop_button, {"value": "stop_button"}),
            (clear_button, {"value": "clear_button"}),
            (example_set.dataset, {"label": "examples_label"}),
            (reasoning, {"label": "reasoning_label", "placeholder": "reasoning_placeholder"}),
            (answer_heading, {"value": lambda lang: f"**{t('answer_label', lang)}**"}),
            (answer, {"label": "answer_label"}),
            (download_md, {"label": lambda lang: f"⬇ {t('download_markdown', lang)}"}),
            (download_json, {"label": lambda lang: f"⬇ {t('download_json', lang)}"}),
            (question, {"label": "question_label", "placeholder": "question_placeholder"}),
            (ask_button, {"value": "ask_button"}),
            (thread, {"label": "conversation_label"}),
            (backend_panel, {"label": "backend_panel"}),
            (backend, {"label": "server_label", "choices": backend_choices}),
            (url, {"label": "url_label"}),
            (model, {"label": "model_label"}),
            (refresh, {"value": "refresh_button"}),
            (version, {"label": "prompt_format_label", "choices": version_choices}),
            (temperature, {"label": "temperature_label"}),
            (top_p, {"label": "top_p_label"}),
            (max_tokens, {"label": "max_tokens_label"}),
        ]
        worded = [component for component, _ in page_words] + [status, reasoning_accordion]
        # The health badge speaks the page's language too, so it is checked once that is known.
        app.load(detect_language, [browser_languages], [language], js=BROWSER_LANGUAGES_JS, queue=False, **private).then(
            relabel, [language, live], worded, queue=False, **private
        ).then(**checked)
        language.input(relabel, [language, live], worded, queue=False, **private).then(**checked)
        app.load(None, None, [presenter], js=PRESENTER_FROM_URL_JS)
    app.queue(
        # Only a backstop: Admission above turns people away with a clear "busy" first.
        max_size=settings.concurrency_limit + settings.queue_max_size + 256,
        default_concurrency_limit=settings.concurrency_limit,
    )
    return app


def launch(settings: Settings | None = None, *, block: bool = True) -> gr.Blocks:
    settings = settings or Settings()
    auth = settings.auth_pairs() or None
    if settings.share and not auth:
        print(
            "warning: MAGISTRAL_SHARE=true without MAGISTRAL_AUTH: anyone with the link can use this app "
            "and your model server. Set MAGISTRAL_AUTH=user:pass.",
            file=sys.stderr,
        )
    app = build_app(settings)
    app.launch(
        server_name=settings.host,
        server_port=settings.port,
        share=settings.share,
        auth=auth,
        auth_message="Magistral Debugger: sign in with the name and password you were given.",
        prevent_thread_lock=True,
        ssr_mode=False,
        theme=THEME,
        i18n=WORDS,
        css=CSS,
        footer_links=["api"],
        # Gradio keeps ~60 KB per browser session until this many exist: bound it.
        state_session_capacity=1000,
        max_file_size=f"{settings.max_image_mb:g}mb",  # a photo over the limit is refused before it uploads
        # Gradio runs at most max_threads events at once, even async ones with no concurrency
        # limit (measured: 24 of a class of 64 waited behind the default 40).
        max_threads=max(40, settings.concurrency_limit + settings.queue_max_size + 8),
        quiet=False,
    )
    if settings.share and not app.share_url:
        print(
            "share link: Gradio could not create one (it needs internet to fetch its tunnel client and reach "
            f"its share server; its own message is above). The app keeps serving locally at {app.local_url}",
            file=sys.stderr,
        )
    if block:
        app.block_thread()
    return app
