"""The room's components and wiring: the teacher's panel on the main page (built where
``layout.py`` calls it) and the phone's page at ``/room``, a page of the same app
(``Blocks.route``), so one process serves both and every process shares the room.

The projector follows the room at the page's pace, a timer of one second whose ticks send only
what changed. A class's phones are many, so each ticks every two seconds, and a tick only asks
whether the room holds anything the phone has not drawn (one short string back); the drawing
itself runs when that answer changes. (Bench measurement 9: a phone's unchanged poll had cost
the app 13–33 ms of CPU, mostly Gradio making a component for each of its 28 outputs, skips
included; the tick costs about a fifth of that.) Teacher events are private and refuse a session
without the room's token; the phone's events have API names (``room_join``, ``room_vote``,
``room_poll``, ``room_send``) so a script drives a phone as a browser does (the bench's phones).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gradio as gr

from ...i18n import DEFAULT_LANGUAGE, gradio_i18n, t
from ..theme import BROWSER_LANGUAGES_JS
from .page import STEP_BUTTONS, RoomPage, StudentSession, TeacherSession

WORDS = gradio_i18n()
ROOM_ATTRIBUTE = "magistral_room"  # where build_blocks leaves the RoomPage on the Blocks, for launch
TICK_S = 1.0  # the projector's count and bars
# A phone's pace: a new proof, the close of voting or Reveal reaches it within this; its own vote
# shows at once (the vote's reply draws it).
PHONE_TICK_S = 2.0
PRIVATE: dict[str, Any] = dict(api_visibility="private", queue=False, show_progress="hidden")


@dataclass
class TeacherPanel:
    teacher: gr.State
    panel: gr.Group
    card: gr.HTML
    bars: gr.HTML
    link: gr.Markdown
    project: gr.Button
    close: gr.Button
    queue: gr.Dropdown
    take: gr.Button
    timer: gr.Timer


def uploaded_path(payload: Any) -> str | None:
    """The path of a file as an event with ``preprocess=False`` hands it over (Gradio's upload,
    in its cache): the phone's photo reaches the room unopened. Gradio's own preprocessing of a
    ``gr.Image`` opens it with Pillow first, so a file that is no image would fail there with no
    words for the student; the room checks and re-encodes it itself (``prompting/images.py``)
    and says what is wrong."""
    path = payload.get("path") if isinstance(payload, dict) else None
    return str(path) if path else None


def photo_sender(room: RoomPage) -> Callable[..., tuple]:
    """``room.send`` for the phone's event, which gets its inputs as sent (``preprocess=False``)."""

    def send(text: str, photo: Any = None, student: StudentSession | None = None) -> tuple:
        return room.send(text if isinstance(text, str) else "", uploaded_path(photo), student)

    return send


def hide_navbar() -> None:
    """A second page makes Gradio draw a navbar ("Home") atop both pages: the first Tab stop
    and 50 px of the projector's height. ``visible=False`` would not reach the frontend (an
    unrendered Navbar sets nothing); ``"hidden"`` renders it unseen, and it turns the bar off."""
    gr.Navbar(visible="hidden")  # type: ignore[arg-type]  # Gradio takes "hidden"; its annotation says bool


def build_open_button() -> gr.Button:
    return gr.Button(WORDS("room_open_button"), size="sm", min_width=150, elem_id="room-open")


def build_teacher_panel() -> TeacherPanel:
    """The room on the projector (hidden until a room opens): its card, the bars, the controls."""
    teacher = gr.State(TeacherSession())
    hide_navbar()
    with gr.Group(visible=False, elem_id="room-panel") as panel:
        card = gr.HTML("", elem_id="room-card", js_on_load=None)
        bars = gr.HTML("", elem_id="room-bars", js_on_load=None)
        with gr.Row():
            project = gr.Button(WORDS("room_project_button"), size="sm", elem_id="room-project")
            close = gr.Button(WORDS("room_close_voting"), size="sm", elem_id="room-close")
            queue = gr.Dropdown([], value=None, label=WORDS("room_queue_label"), scale=3, elem_id="room-queue")
            take = gr.Button(WORDS("room_take_button"), size="sm", elem_id="room-take")
        with gr.Accordion(WORDS("room_teacher_link"), open=False, elem_id="room-teacher"):
            link = gr.Markdown("", elem_id="room-teacher-link")
    timer = gr.Timer(TICK_S, active=False)
    return TeacherPanel(teacher, panel, card, bars, link, project, close, queue, take, timer)


def wire_teacher(
    room: RoomPage,
    parts: TeacherPanel,
    open_button: gr.Button,
    live: gr.State,
    text: gr.Textbox,
    photo: gr.Image,
    language: gr.Dropdown,
    runs: list[Any],
    reveal_button: gr.Button,
    app: gr.Blocks,
) -> None:
    """The teacher's events: open (button or ``?room``), the tick, Debug or Project this one
    putting the proof up, Reveal, Close voting, a sent proof (and its photo) taken into the boxes."""
    opened = [parts.panel, parts.card, parts.bars, parts.link, parts.timer]
    open_button.click(room.open_room, [parts.teacher, language], opened, **PRIVATE)
    app.load(room.from_url, [parts.teacher, language], opened, **PRIVATE)
    parts.timer.tick(room.tick, [parts.teacher, live, language], [parts.card, parts.bars, parts.queue], **PRIVATE)
    for trigger in runs:
        trigger(room.project, [text, parts.teacher, live, language], [parts.bars], **PRIVATE)
    parts.project.click(room.project_this, [text, parts.teacher, live, language], [parts.bars], **PRIVATE)
    reveal_button.click(room.reveal, [parts.teacher, live, language], [parts.bars], **PRIVATE)
    parts.close.click(room.close_voting, [parts.teacher, language], [parts.bars], **PRIVATE)
    parts.take.click(room.take, [parts.queue, parts.teacher, live, language], [text, photo], **PRIVATE)


def build_phone_page(app: gr.Blocks, room: RoomPage) -> None:
    """``/room``: the phone's page — join, then the steps as large buttons, then send a proof."""
    with app.route(t("room_phone_title", DEFAULT_LANGUAGE), "/room", show_in_navbar=False):
        hide_navbar()
        student = gr.State(StudentSession())
        known = gr.BrowserState("", storage_key="magistral-room-student")
        browser_languages = gr.Textbox("", visible=False)
        lang = gr.Textbox(DEFAULT_LANGUAGE, visible=False)
        title = gr.Markdown("# " + WORDS("room_phone_title"), elem_id="phone-title")
        with gr.Group(elem_id="phone-join") as join_group:
            code = gr.Textbox(label=WORDS("room_code_label"), max_length=12, elem_id="phone-code")
            name = gr.Textbox(label=WORDS("room_name_label"), max_length=40, elem_id="phone-name")
            join = gr.Button(WORDS("room_join_button"), variant="primary", elem_id="phone-join-button")
        message = gr.Markdown("", elem_id="phone-message")
        with gr.Column(visible=False, elem_id="phone-vote") as vote_group:
            status = gr.Markdown("", elem_id="phone-status")
            steps = [
                gr.Button("", visible=False, elem_id=f"phone-step-{n}", elem_classes="phone-step")
                for n in range(1, STEP_BUTTONS + 1)
            ]
            no_flaw = gr.Button(
                WORDS("room_no_flaw"), visible=False, elem_id="phone-no-flaw", elem_classes="phone-step"
            )
            revealed = gr.Markdown("", elem_id="phone-reveal")
            with gr.Accordion(WORDS("room_send_label"), open=False, elem_id="phone-send"):
                proof = gr.Textbox(label=WORDS("room_send_text"), lines=5, max_length=4000, elem_id="phone-proof")
                photo = gr.Image(
                    type="filepath",
                    sources=["upload", "webcam"],  # a phone's upload offers its camera too
                    label=WORDS("room_send_photo"),
                    height=180,
                    elem_id="phone-photo",
                )
                send = gr.Button(WORDS("room_send_button"), elem_id="phone-send-button")
                sent = gr.Markdown("", elem_id="phone-sent")
        timer = gr.Timer(PHONE_TICK_S, active=False)
        # The tick's answer: a counter that moves when the phone has something new to draw.
        changes = gr.Textbox("0", visible="hidden", elem_id="phone-changes")
        shown = [title, status, revealed, *steps, no_flaw]
        app.load(room.arrive, [browser_languages], [code, lang], js=BROWSER_LANGUAGES_JS, **PRIVATE)
        joined = [known, join_group, vote_group, timer, message]
        quiet: dict[str, Any] = dict(queue=False, show_progress="hidden")
        join.click(room.join, [code, name, known, student, lang], joined, api_name="room_join", **quiet).then(
            room.poll, [student], shown, **PRIVATE
        )
        timer.tick(room.phone_tick, [student], [changes], **PRIVATE)  # an unchanged phone: the same "n" again
        changes.change(room.poll, [student], shown, **PRIVATE)
        for choice, button in enumerate([no_flaw, *steps]):
            button.click(room.voter(choice), [student], shown, **PRIVATE)
        # The API's vote: the choice as a number (0: no flaw), for scripts standing in for phones.
        api_choice = gr.Number(0, visible=False, precision=0)
        api_vote = gr.Button(visible=False)
        api_vote.click(room.vote, [api_choice, student], shown, api_name="room_vote", **quiet)
        api_poll = gr.Button(visible=False)
        api_poll.click(room.poll, [student], shown, api_name="room_poll", **quiet)
        sending = [proof, photo, student]
        send.click(photo_sender(room), sending, [sent, proof, photo], api_name="room_send", preprocess=False, **quiet)
