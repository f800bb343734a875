"""The Gradio page. It renders run state; it knows nothing of wire formats.

``build_app(settings)`` makes the Blocks without launching (tests use it);
``launch(settings)`` serves it with the queue, auth and share link the settings ask for.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any, AsyncIterator

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # a lecture hall may have no internet

import gradio as gr  # noqa: E402
from pydantic import ValidationError  # noqa: E402

from .admission import Admission, Busy  # noqa: E402
from .backends import check_health, make_backend  # noqa: E402
from .examples import load_examples  # noqa: E402
from .run import DebugRun, live_snapshots  # noqa: E402
from .settings import Settings  # noqa: E402
from .state import RunState  # noqa: E402
from .view import LATEX_DELIMITERS, health_markdown, pane_texts, reasoning_header, status_markdown  # noqa: E402

log = logging.getLogger(__name__)

BACKEND_CHOICES = [("Ollama", "ollama"), ("OpenAI-compatible (vLLM)", "openai")]
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
    """The browser session's current run, so Stop can end it and report what it stopped."""

    def __init__(self) -> None:
        self.run: DebugRun | None = None

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
        update["ollama_url" if update["backend"] == "ollama" else "openai_base_url"] = url
    return Settings.model_validate(base.model_dump() | update)


def invalid_settings_message(error: ValidationError) -> str:
    fields = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
    return f"❌ Invalid setting ({fields}). Fix it in the Backend panel."


def default_url(settings: Settings, backend: str) -> str:
    return settings.ollama_url if backend == "ollama" else settings.openai_base_url


def render(state: RunState) -> tuple[str, str, str, Any]:
    reasoning, answer = pane_texts(state)
    return reasoning, answer, status_markdown(state), gr.Accordion(label=reasoning_header(state))


def build_app(settings: Settings | None = None) -> gr.Blocks:
    settings = settings or Settings()
    examples = load_examples()
    admission = Admission(settings.concurrency_limit, settings.queue_max_size)

    async def debug(
        text: str,
        backend: str = settings.backend,
        url: str = "",
        model: str = settings.model,
        temperature: float = settings.temperature,
        top_p: float = settings.top_p,
        max_tokens: float = settings.max_tokens,
        version: str = settings.model_version,
        live: LiveRun | None = None,
    ) -> AsyncIterator[tuple]:
        try:
            chosen = session_settings(settings, backend, url, model, temperature, top_p, max_tokens, version)
        except ValidationError as error:
            yield "", "", invalid_settings_message(error), gr.Accordion(label="Reasoning")
            return
        try:
            slot = admission.request()
        except Busy:
            yield "", "", f"⏳ {BUSY_MESSAGE}", gr.Accordion(label="Reasoning")
            return
        async with slot:
            if slot.must_wait:
                yield "", "", f"⏳ Waiting for a free slot: {slot.ahead} run(s) ahead of yours…", gr.Accordion(label="Reasoning")
                await slot.turn()
            run = DebugRun(chosen, text)
            if live is not None:
                live.run = run
            async for state in live_snapshots(run):
                yield render(state)

    async def stop(live: LiveRun) -> tuple[str, Any]:
        if live.run is None:
            return status_markdown(None), gr.Accordion()
        live.run.cancel()  # a finished run stays finished: the first ending wins
        state = live.run.state
        return status_markdown(state), gr.Accordion(label=reasoning_header(state))

    def clear() -> tuple:
        return "", "", "", status_markdown(None), gr.Accordion(label="Reasoning")

    async def refresh_models(backend: str, url: str, model: str) -> tuple[Any, str]:
        try:
            chosen = session_settings(settings, backend, url, model, settings.temperature, settings.top_p, settings.max_tokens, "auto")
        except ValidationError as error:
            return gr.Dropdown(), invalid_settings_message(error)
        health = await check_health(make_backend(chosen), chosen.model)
        choices = list(health.models)
        value = model or (choices[0] if backend == "openai" and choices else "magistral" if backend == "ollama" else "")
        if value and value not in choices:
            choices.append(value)
        return gr.Dropdown(choices=choices, value=value), health_markdown(health)

    def switch_backend(backend: str) -> str:
        return default_url(settings, backend)

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
        with gr.Accordion("Backend", open=False, elem_id="backend-panel"):
            health = gr.Markdown("", elem_id="health")
            with gr.Row():
                backend = gr.Radio(BACKEND_CHOICES, value=settings.backend, label="Server", elem_id="backend")
                url = gr.Textbox(value=settings.server_url, label="URL", elem_id="url")
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

        inputs = [text, backend, url, model, temperature, top_p, max_tokens, version, live]
        outputs = [reasoning, answer, status, reasoning_accordion]
        run_options = dict(
            # Admission (above) decides who runs, who waits and who hears "busy";
            # Gradio must not hold them in its own queue first.
            concurrency_limit=None,
            concurrency_id=MODEL_CONCURRENCY_ID,
            show_progress="hidden",
        )
        debug_event = debug_button.click(debug, inputs, outputs, api_name="debug", **run_options)
        submit_event = text.submit(debug, inputs, outputs, api_visibility="private", **run_options)
        stop_button.click(stop, [live], [status, reasoning_accordion], cancels=[debug_event, submit_event], queue=False, api_visibility="private")
        clear_button.click(clear, None, [text, reasoning, answer, status, reasoning_accordion], cancels=[debug_event, submit_event], queue=False, api_visibility="private")
        backend.change(switch_backend, [backend], [url], queue=False, api_visibility="private")
        for trigger in (refresh.click, backend.change, url.submit):
            trigger(refresh_models, [backend, url, model], [model, health], api_visibility="private")
        app.load(refresh_models, [backend, url, model], [model, health], api_visibility="private")
        presenter.change(None, [presenter], None, js=PRESENTER_TOGGLE_JS)
        app.load(None, None, [presenter], js=PRESENTER_FROM_URL_JS)
    app.queue(
        max_size=settings.concurrency_limit + 2 * settings.queue_max_size,
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
