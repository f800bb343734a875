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
from .backends import BackendError, check_health, make_backend  # noqa: E402
from .capabilities import supports_images  # noqa: E402
from .examples import load_examples  # noqa: E402
from .export import RunRecord, write_export  # noqa: E402
from .prompt import Turn  # noqa: E402
from .run import DebugRun, live_snapshots  # noqa: E402
from .settings import Settings  # noqa: E402
from .state import RunState  # noqa: E402
from .view import LATEX_DELIMITERS, health_markdown, pane_texts, reasoning_header, status_markdown  # noqa: E402

log = logging.getLogger(__name__)

BACKEND_CHOICES = [("Ollama", "ollama"), ("OpenAI-compatible (vLLM)", "openai"), ("Replay a recorded run", "replay")]
VERSION_CHOICES = [("Detect from model name", "auto"), ("2506 (<think>)", "2506"), ("2507 ([THINK])", "2507"), ("2509 ([THINK], vision)", "2509")]
MODEL_CONCURRENCY_ID = "model"
BUSY_MESSAGE = "The app is busy with other people's runs: try again in a moment."

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
    url = (url or "").strip()
    if url:
        update[URL_SETTING[update["backend"]]] = url
    return Settings.model_validate(base.model_dump() | update)


def invalid_settings_message(error: ValidationError) -> str:
    fields = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
    return f"❌ Invalid setting ({fields}). Fix it in the Backend panel."


URL_SETTING = {"ollama": "ollama_url", "openai": "openai_base_url", "replay": "replay_file"}


def default_url(settings: Settings, backend: str) -> str:
    return getattr(settings, URL_SETTING.get(backend, "ollama_url"))


def thread_markdown(history: list[Turn]) -> str:
    """Earlier turns of the conversation; the newest one is in the live panes."""
    blocks = []
    for number, turn in enumerate(history, 1):
        asked = "The proof" if number == 1 else "You asked"
        question = html.escape(turn.question or "(a photo)")
        reasoning = html.escape(turn.reasoning)
        blocks.append(
            f"**{asked}:** {question}\n\n<details><summary>Reasoning</summary>\n\n{reasoning}\n\n</details>\n\n"
            f"{turn.answer}"
        )
    return "\n\n---\n\n".join(blocks)


def replay_label(run: DebugRun) -> str:
    """Said plainly on every update of a replay, so nobody takes it for a live model."""
    if run.backend.kind != "replay":
        return ""
    try:
        return f"🎞️ {run.backend.describe()}"
    except BackendError as error:
        return f"🎞️ {error.message}"


def render(state: RunState, label: str = "") -> tuple[str, str, str, Any]:
    reasoning, answer = pane_texts(state)
    status = status_markdown(state)
    return reasoning, answer, f"{label}\n\n{status}" if label else status, gr.Accordion(label=reasoning_header(state))


def build_app(settings: Settings | None = None) -> gr.Blocks:
    settings = settings or Settings()
    examples = load_examples()
    admission = Admission(settings.concurrency_limit, settings.queue_max_size)

    async def run_turn(
        text: str, image: str | None, panel: tuple, live: LiveRun | None, follow_up: bool
    ) -> AsyncIterator[tuple]:
        """One turn, first or follow-up; yields (reasoning, answer, status, accordion, thread)."""
        live = live if live is not None else LiveRun()
        if not follow_up:
            live.history = []  # Debug starts a new conversation
        thread = thread_markdown(live.history)
        try:
            chosen = session_settings(settings, *panel)
        except ValidationError as error:
            yield "", "", invalid_settings_message(error), gr.Accordion(label="Reasoning"), thread
            return
        try:
            slot = admission.request()
        except Busy:
            yield "", "", f"⏳ {BUSY_MESSAGE}", gr.Accordion(label="Reasoning"), thread
            return
        async with slot:
            if slot.must_wait:
                waiting = f"⏳ Waiting for a free slot: {slot.ahead} run(s) ahead of yours…"
                yield "", "", waiting, gr.Accordion(label="Reasoning"), thread
                await slot.turn()
            run = DebugRun(chosen, text, image=image or None, history=list(live.history))
            live.run = run
            async for state in live_snapshots(run):
                yield (*render(state, replay_label(run)), thread)
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
    ) -> AsyncIterator[tuple]:
        panel = (backend, url, model, temperature, top_p, max_tokens, version)
        async for update in run_turn(text, image, panel, live, follow_up=False):
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
    ) -> AsyncIterator[tuple]:
        panel = (backend, url, model, temperature, top_p, max_tokens, version)
        async for update in run_turn(question, None, panel, live, follow_up=True):
            yield update

    def after_run(live: LiveRun) -> tuple:
        """Downloads of the finished run, and the follow-up box once there is an answer."""
        run = live.run
        if run is None or not run.state.done:
            return gr.DownloadButton(visible=False), gr.DownloadButton(visible=False), gr.Group(visible=bool(live.history)), ""
        folder = tempfile.mkdtemp(prefix="magistral-export-")
        record = RunRecord.from_run(run)
        markdown, json_file = (str(write_export(record, folder, kind)) for kind in ("md", "json"))
        return (
            gr.DownloadButton(value=markdown, visible=True),
            gr.DownloadButton(value=json_file, visible=True),
            gr.Group(visible=bool(live.history)),
            "",
        )

    async def stop(live: LiveRun) -> tuple[str, Any]:
        if live.run is None:
            return status_markdown(None), gr.Accordion()
        live.run.cancel()  # a finished run stays finished: the first ending wins
        state = live.run.state
        return status_markdown(state), gr.Accordion(label=reasoning_header(state))

    def clear(live: LiveRun) -> tuple:
        live.history = []  # a new conversation
        hidden = gr.DownloadButton(visible=False)
        texts = ("", None, "", "", "")  # proof, photo, question, reasoning, answer
        return (*texts, status_markdown(None), gr.Accordion(label="Reasoning"), "", hidden, hidden, gr.Group(visible=False))

    async def refresh_models(backend: str, url: str, model: str) -> tuple[Any, str]:
        try:
            chosen = session_settings(settings, backend, url, model, settings.temperature, settings.top_p, settings.max_tokens, "auto")
        except ValidationError as error:
            return gr.Dropdown(), invalid_settings_message(error), gr.Image()
        server = make_backend(chosen)
        health = await check_health(server, "" if backend == "replay" else chosen.model)
        choices = list(health.models)
        value = model or (choices[0] if backend != "ollama" and choices else "magistral" if backend == "ollama" else "")
        if value and value not in choices:
            choices.append(value)
        vision = health.state == "ready" and await supports_images(server, chosen.model, chosen)
        return gr.Dropdown(choices=choices, value=value), health_markdown(health), gr.Image(visible=vision)

    def switch_backend(backend: str) -> Any:
        return gr.Textbox(value="", placeholder=default_url(settings, backend))

    with gr.Blocks(title="Magistral Debugger", analytics_enabled=False) as app:
        live = gr.State(LiveRun())
        with gr.Row(equal_height=True):
            gr.Markdown(
                "# Magistral Debugger\nPaste a flawed argument or proof. Magistral reasons about it step by step "
                "and explains where it breaks.",
                elem_id="intro",
            )
            presenter = gr.Checkbox(False, label="Presenter mode", scale=0, min_width=160, elem_id="presenter")
        with gr.Row(equal_height=False):
            with gr.Column(scale=5):
                text = gr.Textbox(
                    label="Flawed argument or proof",
                    lines=10,
                    max_lines=30,
                    placeholder="Assume x = y. Then x² = xy, so x² − y² = xy − y² …   (Shift+Enter runs Debug)",
                    elem_id="proof",
                )
                image = gr.Image(
                    type="filepath",
                    sources=["upload", "clipboard", "webcam"],
                    label="Photo of the proof (optional)",
                    height=180,
                    visible=False,  # shown once the model is known to take images
                    elem_id="photo",
                )
                with gr.Row():
                    debug_button = gr.Button("Debug", variant="primary", elem_id="debug")
                    stop_button = gr.Button("Stop", variant="stop", elem_id="stop")
                    clear_button = gr.Button("Clear", elem_id="clear")
                with gr.Column(elem_id="examples"):
                    gr.Examples(
                        examples=[[example.argument] for example in examples],
                        example_labels=[f"{example.title}" + (" ✓" if example.kind == "correct" else "") for example in examples],
                        inputs=[text],
                        label="Examples (✓ = a correct proof, as a control)",
                        examples_per_page=30,
                    )
            with gr.Column(scale=6):
                status = gr.Markdown(status_markdown(None), label="Status", elem_id="status")
                with gr.Accordion("Reasoning", open=True, elem_id="reasoning-accordion") as reasoning_accordion:
                    reasoning = gr.Textbox(
                        label="Reasoning",
                        show_label=False,
                        lines=8,
                        max_lines=16,
                        interactive=False,
                        autoscroll=True,
                        elem_id="reasoning",
                        placeholder="The model's reasoning streams here.",
                    )
                gr.Markdown("**Answer**", elem_id="answer-heading")
                answer = gr.Markdown(
                    label="Answer",
                    latex_delimiters=LATEX_DELIMITERS,
                    sanitize_html=True,
                    elem_id="answer",
                    buttons=["copy"],
                    min_height=120,
                )
                with gr.Row():
                    download_md = gr.DownloadButton("⬇ Markdown", visible=False, size="sm", elem_id="download-md")
                    download_json = gr.DownloadButton("⬇ JSON", visible=False, size="sm", elem_id="download-json")
                with gr.Group(visible=False, elem_id="follow-up") as follow_up_group:
                    question = gr.Textbox(
                        label="Ask about this proof",
                        placeholder="Why can't we cancel x − y?   (Shift+Enter asks)",
                        lines=2,
                        elem_id="question",
                    )
                    ask_button = gr.Button("Ask", elem_id="ask")
        thread = gr.Markdown(
            "", label="Conversation", latex_delimiters=LATEX_DELIMITERS, sanitize_html=True, elem_id="thread"
        )
        with gr.Accordion("Backend", open=False, elem_id="backend-panel"):
            health = gr.Markdown("", elem_id="health")
            with gr.Row():
                backend = gr.Radio(BACKEND_CHOICES, value=settings.backend, label="Server", elem_id="backend")
                # Empty means "the configured URL": Gradio puts default values in the API
                # description that even its login page embeds, so the server URL stays out of it.
                url = gr.Textbox(value="", placeholder=settings.server_url, label="URL", elem_id="url")
            with gr.Row():
                model = gr.Dropdown(
                    choices=[settings.model] if settings.model else [],
                    value=settings.model,
                    allow_custom_value=True,
                    label="Model (empty: magistral on Ollama, the server's first model on vLLM)",
                    elem_id="model",
                )
                refresh = gr.Button("↻ Refresh", scale=0, elem_id="refresh")
                version = gr.Dropdown(VERSION_CHOICES, value=settings.model_version, label="Prompt format")
            with gr.Row():
                temperature = gr.Slider(0.0, 1.5, value=settings.temperature, step=0.05, label="Temperature")
                top_p = gr.Slider(0.05, 1.0, value=settings.top_p, step=0.05, label="top_p")
                max_tokens = gr.Number(value=settings.max_tokens, precision=0, minimum=1, label="Max tokens")

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
            debug_button.click(debug, [text, *panel, image, live], outputs, api_name="debug", **run_options),
            text.submit(debug, [text, *panel, image, live], outputs, **private, **run_options),
            ask_button.click(follow_up, [question, *panel, live], outputs, api_name="follow_up", **run_options),
            question.submit(follow_up, [question, *panel, live], outputs, **private, **run_options),
        ]
        for started in runs:
            started.then(after_run, [live], finished_outputs, **private)
        stop_button.click(
            stop, [live], [status, reasoning_accordion], cancels=runs, queue=False, **private
        ).then(after_run, [live], finished_outputs, **private)
        clear_button.click(
            clear,
            [live],
            [text, image, question, reasoning, answer, status, reasoning_accordion, thread, download_md, download_json, follow_up_group],
            cancels=runs,
            queue=False,
            **private,
        )
        backend.change(switch_backend, [backend], [url], queue=False, **private)
        for trigger in (refresh.click, backend.change, url.submit, app.load):
            trigger(refresh_models, [backend, url, model], [model, health, image], **private)
        presenter.change(None, [presenter], None, js=PRESENTER_TOGGLE_JS)
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
        css=CSS,
        footer_links=["api"],
        # Gradio keeps ~60 KB per browser session until this many exist: bound it.
        state_session_capacity=1000,
        max_file_size=f"{settings.max_image_mb:g}mb",  # a photo over the limit is refused before it uploads
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
