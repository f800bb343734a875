"""The page's components and which event runs which :class:`DebuggerPage` method.

Two columns on a wide screen, one on a phone: the input (examples picker, proof, buttons)
and the output (the conversation so far, status, reasoning, answer), so that on a phone the
output comes right under the Debug button. The server's state sits in the header, where
people look before they press anything; the settings wait in a closed panel at the bottom.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from ..i18n import DEFAULT_LANGUAGE, LANGUAGES, gradio_i18n, t
from .handlers import (
    PAGE_WORDS,
    DebuggerPage,
    LiveRun,
    backend_choices,
    effort_choices,
    example_choices,
    keys_dialog,
    skip_link,
    version_choices,
)
from .mcp_tool import add_mcp_tool
from .reasoning_pane import build_reasoning_pane
from .room import ROOM_ATTRIBUTE, RoomPage, build_open_button, build_phone_page, build_teacher_panel, wire_teacher
from .theme import (
    BROWSER_LANGUAGES_JS,
    FOCUS_JS,
    GUESS_FIRST_FROM_URL_JS,
    PRESENTER_FROM_URL_JS,
    PRESENTER_TOGGLE_JS,
    REASONING_UNCOVERED_JS,
    RUN_ENDED_JS,
    RUN_STARTED_JS,
    UNCOVERED_JS,
)
from .view import LATEX_DELIMITERS

MODEL_CONCURRENCY_ID = "model"
# Static words, translated by the browser from the first frame in the languages Gradio's
# frontend knows (en, pt, es, zh-CN); Vietnamese arrives from the server right after load.
WORDS = gradio_i18n()

BACKEND_CHOICES = backend_choices()
VERSION_CHOICES = version_choices()
LANGUAGE_CHOICES = [(name, code) for code, name in LANGUAGES.items()]


def build_blocks(page: DebuggerPage) -> gr.Blocks:
    settings = page.settings
    app: gr.Blocks  # Blocks.__enter__ is unannotated in Gradio
    # Analytics off here, not through GRADIO_ANALYTICS_ENABLED: a lecture hall may have no internet.
    # Public mode opens no rooms: a stranger's room would be the owner's database filling up and a
    # page of the owner's for anyone to project on.
    room = None if settings.public else RoomPage(settings, page.examples)
    with gr.Blocks(title="Magistral Debugger", analytics_enabled=False) as app:
        live = gr.State(LiveRun())
        browser_languages = gr.Textbox("", visible=False)  # navigator.languages, on the way to pick_language
        gr.HTML(skip_link(DEFAULT_LANGUAGE), js_on_load=None, elem_id="skip")
        gr.HTML(keys_dialog(DEFAULT_LANGUAGE), js_on_load=None, elem_id="keys-help")  # the ? key opens it
        with gr.Row(equal_height=False, elem_id="header"):
            with gr.Column(scale=4, min_width=280, elem_id="intro"):
                gr.Markdown("# " + WORDS("app_title"), elem_id="title")
                # The model server's state from the first second: is it up, is the model there?
                health = gr.Markdown(t("health_checking"), elem_id="health")
                gr.Markdown(WORDS("intro"), elem_id="intro-text")
            with gr.Column(scale=1, min_width=660, elem_id="header-side"), gr.Row(equal_height=True):
                presenter = gr.Checkbox(False, label=WORDS("presenter_mode"), min_width=190, elem_id="presenter")
                guess_first = gr.Checkbox(False, label=WORDS("guess_first_mode"), min_width=150, elem_id="guess-first")
                # Follows the browser's languages on load (Gradio's own locale list has no Vietnamese).
                # Its label stays the input's accessible name; on screen the language names say enough.
                language = gr.Dropdown(
                    LANGUAGE_CHOICES,
                    value=DEFAULT_LANGUAGE,
                    label=WORDS("language"),
                    show_label=False,
                    min_width=140,
                    elem_id="language",
                )
                # The class's room: its card and bars come under the reveals.
                open_room = build_open_button() if room else None
        with gr.Row(equal_height=False, elem_id="main"):
            with gr.Column(scale=5, min_width=320, elem_id="input"):
                examples = gr.Dropdown(
                    example_choices(page.examples, DEFAULT_LANGUAGE, page.rehearsal),
                    value=None,
                    label=WORDS("examples_label"),
                    info=WORDS("examples_search"),
                    elem_id="examples",
                )
                text = gr.Textbox(
                    label=WORDS("proof_label"),
                    lines=8,
                    max_lines=30,
                    placeholder=WORDS("proof_placeholder"),
                    elem_id="proof",
                )
                image = gr.Image(
                    type="filepath",
                    sources=["upload", "clipboard", "webcam"],
                    label=WORDS("photo_label"),
                    height=140,
                    visible=False,  # shown once the model is known to take images
                    elem_id="photo",
                )
                with gr.Row():
                    debug_button = gr.Button(WORDS("debug_button"), variant="primary", elem_id="debug")
                    stop_button = gr.Button(WORDS("stop_button"), variant="stop", elem_id="stop")
                    answer_now_button = gr.Button(WORDS("answer_now_button"), elem_id="answer-now")
                    clear_button = gr.Button(WORDS("clear_button"), elem_id="clear")
                # The numbered proof: a preview while it is typed, then the verdict's marks.
                proof_view = gr.HTML("", elem_id="proof-view", js_on_load=None)
                # A worksheet of the proof in the box (and the key the page may show), PDF and .tex.
                handout_button = gr.Button("📄 " + WORDS("handout_button"), size="sm", elem_id="handout")
                handout_files = gr.File(
                    label=WORDS("handout_files"), file_count="multiple", visible=False, elem_id="handout-files"
                )
            with gr.Column(scale=6, min_width=320, elem_id="output"):
                # Labels of outputs nobody sees stay plain English: the API names its return values after them.
                # The conversation in order: the proof, its answer, each question, its answer; the
                # question being answered now comes last, right above the live panes.
                thread = gr.Markdown(
                    "",
                    label=t("conversation_label"),
                    latex_delimiters=LATEX_DELIMITERS,
                    sanitize_html=True,
                    elem_id="thread",
                )
                status = gr.Markdown(WORDS("status_idle"), label=t("status_label"), elem_id="status")
                notes = gr.Markdown("", label=t("notes_label"), elem_id="run-notes")
                # Guess-first mode, under the status that says when the answer is ready (and in view
                # above the tall reasoning pane): the reasoning arrives when the first is pressed;
                # the answer, the verdict (and the reasoning, if still covered) when the second is.
                with gr.Row(visible=False, elem_id="reveals") as reveals:
                    reveal_reasoning_button = gr.Button(WORDS("reveal_reasoning_button"), elem_id="reveal-reasoning")
                    reveal_button = gr.Button(WORDS("reveal_button"), variant="primary", elem_id="reveal")
                room_panel = build_teacher_panel() if room else None
                with gr.Accordion(
                    WORDS("reasoning_label"), open=True, elem_id="reasoning-accordion"
                ) as reasoning_accordion:
                    # Rendered Markdown and math on shelves that follow the stream (see reasoning_pane).
                    pane = build_reasoning_pane(WORDS("reasoning_latest"), WORDS("reasoning_raw"))
                # The reasoning as one plain text: the API's first output (the page reads the pane).
                reasoning = gr.Textbox(label=t("reasoning_label"), visible=False, elem_id="reasoning")
                gr.Markdown("**" + WORDS("answer_label") + "**", elem_id="answer-heading")
                answer = gr.Markdown(
                    label=t("answer_label"),
                    latex_delimiters=LATEX_DELIMITERS,
                    sanitize_html=True,
                    elem_id="answer",
                    buttons=["copy"],
                    min_height=120,
                )
                # The API's last output: the step the reasoning is on, then the verdict (as --json prints them).
                verdict = gr.JSON(None, label="Verdict", visible="hidden", elem_id="verdict")
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
        # Public mode: the server, its URL and the model are the owner's (the handlers refuse
        # others, whatever a caller sends); the panel does not offer them.
        owners = not settings.public
        with gr.Accordion(WORDS("backend_panel"), open=False, elem_id="backend-panel"):
            with gr.Row():
                backend = gr.Radio(
                    BACKEND_CHOICES,
                    value=settings.backend,
                    label=WORDS("server_label"),
                    visible=owners,
                    elem_id="backend",
                )
                # Empty means "the configured URL": Gradio puts default values in the API
                # description that even its login page embeds, so the server URL stays out of it.
                url = gr.Textbox(
                    value="",
                    placeholder=settings.server_url if owners else "",
                    label=WORDS("url_label"),
                    visible=owners,
                    elem_id="url",
                )
            with gr.Row():
                model = gr.Dropdown(
                    choices=[settings.model] if settings.model else [],
                    value=settings.model,
                    allow_custom_value=True,  # a model other than the owner's: refused by the handlers, in words
                    interactive=owners,
                    label=WORDS("model_label"),
                    elem_id="model",
                )
                refresh = gr.Button(WORDS("refresh_button"), scale=0, visible=owners, elem_id="refresh")
                version = gr.Dropdown(
                    VERSION_CHOICES, value=settings.model_version, label=WORDS("prompt_format_label"), elem_id="version"
                )
            with gr.Row():
                temperature = gr.Slider(
                    0.0,
                    1.5,
                    value=settings.temperature,
                    step=0.05,
                    label=WORDS("temperature_label"),
                    elem_id="temperature",
                )
                top_p = gr.Slider(
                    0.05, 1.0, value=settings.top_p, step=0.05, label=WORDS("top_p_label"), elem_id="top-p"
                )
                max_tokens = gr.Number(
                    value=settings.max_tokens,
                    precision=0,
                    minimum=1,
                    label=WORDS("max_tokens_label"),
                    elem_id="max-tokens",
                )
                thinking_budget = gr.Number(
                    value=settings.thinking_budget,
                    minimum=0,
                    label=WORDS("thinking_budget_label"),
                    elem_id="thinking-budget",
                )
                # Only the levels the model takes here: refresh_models fills it in once the server says.
                effort = gr.Dropdown(
                    effort_choices(None),
                    value="auto",
                    interactive=False,
                    label=WORDS("effort_label"),
                    elem_id="effort",
                )

        panel = [backend, url, model, temperature, top_p, max_tokens, version]
        # The API's events give the reasoning as one text; the page's put it on the pane's shelves.
        outputs = [reasoning, answer, status, reasoning_accordion, thread, notes, verdict]
        page_outputs = [answer, status, reasoning_accordion, thread, notes, verdict, *pane.outputs]
        finished_outputs = [download_md, download_json, follow_up_group, question, proof_view]
        run_options: dict[str, Any] = dict(
            # The page's Admission decides who runs, who waits and who hears "busy";
            # Gradio must not hold them in its own queue first.
            concurrency_limit=None,
            concurrency_id=MODEL_CONCURRENCY_ID,
            show_progress="hidden",
            # One component for Gradio's progress tracking: the shelves an update skips would
            # otherwise each run a progress timer on every frame.
            show_progress_on=[status],
        )
        private: dict[str, Any] = dict(api_visibility="private")
        debug_inputs = [text, *panel, image, live, language]
        follow_up_inputs = [question, *panel, live, language]
        # Buttons nobody sees carry the API's endpoints.
        api_debug = gr.Button(visible=False, elem_id="api-debug")
        api_follow_up = gr.Button(visible=False, elem_id="api-follow-up")
        # Typed as Gradio's `cancels` parameter wants it (a Dependency is a dict).
        runs: list[dict[str, Any]] = [
            api_debug.click(page.debug, debug_inputs, outputs, api_name="debug", **run_options),
            api_follow_up.click(page.follow_up, follow_up_inputs, outputs, api_name="follow_up", **run_options),
        ]
        if settings.mcp:  # the endpoint behind the one MCP tool (mcp_tool.py)
            add_mcp_tool(page)
        in_page = [
            (debug_button.click, page.debug_in_page, debug_inputs),
            (text.submit, page.debug_in_page, debug_inputs),
            (ask_button.click, page.follow_up_in_page, follow_up_inputs),
            (question.submit, page.follow_up_in_page, follow_up_inputs),
        ]
        for trigger, handler, inputs in in_page:
            trigger(None, js=RUN_STARTED_JS)  # Debug looks busy at once, and a phone moves to the output
            # Gradio's postprocessing hands each of the ~40 outputs to a worker thread on every
            # update; the values here are already what the page shows (text, dicts, None).
            started = trigger(handler, [*inputs, pane.raw], page_outputs, postprocess=False, **private, **run_options)
            started.then(page.after_run, [live, language], finished_outputs, **private).then(None, js=RUN_ENDED_JS)
            runs.append(started)
        stop_button.click(
            page.stop, [live, language], [status, reasoning_accordion], cancels=runs, queue=False, **private
        ).then(page.after_run, [live, language], finished_outputs, **private).then(None, js=RUN_ENDED_JS)
        answer_now_button.click(page.answer_now, [live], None, queue=False, **private)
        reveal_button.click(None, js=UNCOVERED_JS)
        reveal_button.click(
            page.reveal,
            [live, language],
            [answer, status, reasoning_accordion, verdict, *pane.outputs],
            queue=False,
            **private,
        ).then(page.after_run, [live, language], finished_outputs, **private)
        reveal_reasoning_button.click(None, js=REASONING_UNCOVERED_JS)
        reveal_reasoning_button.click(
            page.reveal_reasoning, [live], [reasoning_accordion, *pane.outputs], queue=False, **private
        )
        # Page-only choices live in the session, not in the debug API's inputs.
        guess_first.change(page.set_guess_first, [guess_first, live], [reveals], queue=False, **private)
        thinking_budget.change(page.set_thinking_budget, [thinking_budget, live], None, queue=False, **private)
        effort.change(page.set_effort, [effort, live], None, queue=False, **private)
        clear_button.click(
            page.clear,
            [live, language],
            [
                text,
                image,
                question,
                answer,
                status,
                reasoning_accordion,
                thread,
                notes,
                download_md,
                download_json,
                follow_up_group,
                proof_view,
                *pane.outputs,
            ],
            cancels=runs,
            queue=False,
            **private,
        ).then(None, js=RUN_ENDED_JS).then(None, js=UNCOVERED_JS)
        examples.input(page.pick_example, [examples], [text], queue=False, **private)
        handout_button.click(page.handout, [text, live, language], [handout_files], **private)
        pane.raw.change(page.show_raw, [pane.raw, live], pane.outputs, queue=False, show_progress="hidden", **private)
        backend.change(page.switch_backend, [backend], [url], queue=False, **private)
        # The header's health is checked again whenever what it describes may have changed.
        checked: dict[str, Any] = dict(
            fn=page.refresh_models,
            inputs=[backend, url, model, language, effort, live],
            outputs=[model, health, image, effort],
            show_progress="hidden",
            **private,
        )
        for trigger in (refresh.click, backend.change, url.submit, url.blur, model.input):
            trigger(**checked)
        presenter.change(None, [presenter], None, js=PRESENTER_TOGGLE_JS)
        text.change(page.preview, [text, language], [proof_view], queue=False, show_progress="hidden", **private)
        verdict.change(None, [verdict], None, js=FOCUS_JS)
        # PAGE_WORDS names the components it re-words by their element ids.
        by_id = {block.elem_id: block for block in app.blocks.values() if block.elem_id}
        worded = [by_id[elem_id] for elem_id in PAGE_WORDS] + [status, reasoning_accordion, notes]
        # The health badge speaks the page's language too, so it is checked once that is known.
        # No progress timers: re-wording the page is not something to watch happen.
        quiet: dict[str, Any] = dict(queue=False, show_progress="hidden", **private)
        app.load(page.detect_language, [browser_languages], [language], js=BROWSER_LANGUAGES_JS, **quiet).then(
            page.relabel, [language, live], worded, **quiet
        ).then(**checked)
        language.input(page.relabel, [language, live], worded, **quiet).then(**checked)
        app.load(None, None, [presenter], js=PRESENTER_FROM_URL_JS)
        app.load(None, None, [guess_first], js=GUESS_FIRST_FROM_URL_JS)
        if room and open_room and room_panel:
            room_runs = [debug_button.click, text.submit]
            wire_teacher(room, room_panel, open_room, live, text, image, language, room_runs, reveal_button, app)
    if room:
        build_phone_page(app, room)  # /room, the phones' page of the same app
        setattr(app, ROOM_ATTRIBUTE, room)  # launch gives it the share link once Gradio has one
    app.queue(
        # Only a backstop: the page's Admission turns people away with a clear "busy" first.
        max_size=settings.concurrency_limit + settings.queue_max_size + 256,
        default_concurrency_limit=settings.concurrency_limit,
    )
    return app
