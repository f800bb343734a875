"""The class's room on the page: the teacher's side on the projector (open a room, its card
and bars, close voting, the queue of sent proofs) and the phone's page at ``/room`` (join,
vote on a step, send a proof). Plain methods that tests call without a browser, as
``handlers.py``'s are; the rules themselves are ``classroom.Classroom``'s.

A teacher's control reads the room's token from the session's own state, which no browser and
no API caller can set: a student's call to one of these events finds no token and is refused
(``gr.Error``), in the browser and through gradio_client alike.
"""

from __future__ import annotations

import mimetypes
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr

from ...classroom import Classroom, NotProjected, RoomClosed, SendRefused, SqliteRoomStore, Submission, Tally
from ...classroom.links import app_base, join_link, listens_beyond_loopback, qr_svg, teacher_link
from ...classroom.room import NO_FLAW, clean_name, normal_code
from ...engine.verdict import NoVerdict, Verdict
from ...i18n import DEFAULT_LANGUAGE, pick_language, t
from ...prompting.examples import Example, given_proof
from ...prompting.input_errors import InputError
from ...prompting.steps import Proof
from ...settings import Settings
from ..view import badge_words
from .view import bars_html, phone_reveal, phone_status, queue_label, room_card, step_label

# The phone shows this many step buttons at most (a longer proof's later steps are voted on
# the projector's numbers); one more for "no flaw".
STEP_BUTTONS = 24


@dataclass
class TeacherSession:
    """The teacher's room in this browser session: its code and token, the proof this session
    put before the class (a teacher may run a proof in each of several tabs; Reveal in one
    reveals only its own), and what the projector shows now (so a tick that changes nothing
    sends nothing)."""

    code: str = ""
    token: str = ""
    projected: int | None = None
    shown: dict[str, Any] = field(default_factory=dict)

    def __deepcopy__(self, memo: dict) -> TeacherSession:
        return TeacherSession()


@dataclass
class StudentSession:
    """A phone's place in a room: the room's code, the student's id there, their name and language;
    and what the phone has drawn (``drawn``, the room's ``phone_view`` when it last drew), so its
    timer can tell "nothing new" from one cheap read (``signalled``/``changes``: see ``phone_tick``)."""

    code: str = ""
    student: str = ""
    name: str = ""
    lang: str = DEFAULT_LANGUAGE
    drawn: tuple | None = ()
    signalled: tuple | None = ()
    changes: int = 0

    def __deepcopy__(self, memo: dict) -> StudentSession:
        return StudentSession()


def model_answer(verdict: Verdict | NoVerdict | None, lang: str) -> tuple[int | None, str]:
    """The model's verdict as the room counts it (0: no flaw; None: no step named) and in words."""
    if verdict is None or isinstance(verdict, NoVerdict):
        return None, badge_words(verdict, lang) if verdict is not None else ""
    return (NO_FLAW if verdict.step is None else verdict.step), badge_words(verdict, lang)


class RoomPage:
    """The room's events for one app: the projector's (a teacher's session) and the phones'."""

    def __init__(self, settings: Settings, examples: tuple[Example, ...] = (), classroom: Classroom | None = None):
        self.settings, self.examples = settings, examples
        self.classroom = classroom or Classroom(
            SqliteRoomStore(Path(settings.room_db)), photo_mb=settings.max_image_mb, photo_side=settings.image_max_side
        )
        self.share_url: str | None = None  # Gradio's share link, once launch has one
        self._photos: tempfile.TemporaryDirectory[str] | None = None  # taken photos, as files for the photo box

    def base(self) -> str:
        s = self.settings
        return app_base(s.public_url, self.share_url, s.host, s.port, s.root_path)

    def _require(self, teacher: TeacherSession) -> None:
        if not self.classroom.is_teacher(teacher.code, teacher.token):
            raise gr.Error(t("room_not_teacher", DEFAULT_LANGUAGE))

    # --- the projector ----------------------------------------------------------------------

    def _opened(self, teacher: TeacherSession, lang: str) -> tuple:
        """The panel of a room just opened or taken back: card, bars, teacher link, timer on."""
        teacher.shown, teacher.projected = {}, None
        base = self.base()
        link = teacher_link(base, teacher.code, teacher.token)
        card = self._card(teacher, lang)
        bars = bars_html(self.classroom.tally(teacher.code), lang)
        words = t("room_teacher_link_note", lang)
        return gr.update(visible=True), card, bars, f"{words}\n\n`{link}`", gr.Timer(active=True)

    def _card(self, teacher: TeacherSession, lang: str) -> str:
        s = self.settings
        warning = ""
        if not (s.public_url or self.share_url) and not listens_beyond_loopback(s.host):
            warning = t("room_loopback_only", lang, host=s.host)
        link = join_link(self.base(), teacher.code)
        joined = self.classroom.joined(teacher.code)
        return room_card(teacher.code, link, qr_svg(link), joined, warning, lang)

    def open_room(self, teacher: TeacherSession, lang: str = DEFAULT_LANGUAGE) -> tuple:
        teacher.code, teacher.token = self.classroom.open_room()
        return self._opened(teacher, lang)

    def from_url(self, teacher: TeacherSession, lang: str, request: gr.Request) -> tuple:
        """``?room`` opens a room at load; ``?room=CODE&key=TOKEN`` (the teacher's link) takes
        that room's controls back; a wrong key is refused and opens nothing."""
        query = dict(request.query_params) if request is not None else {}
        if "room" not in query:
            return (gr.skip(),) * 5
        code, token = normal_code(query.get("room", "")), query.get("key", "")
        if code or token:
            if not self.classroom.is_teacher(code, token):
                raise gr.Error(t("room_not_teacher", lang))
            teacher.code, teacher.token = code, token
            return self._opened(teacher, lang)
        return self.open_room(teacher, lang)

    def tick(self, teacher: TeacherSession, live: Any, lang: str = DEFAULT_LANGUAGE) -> tuple:
        """The projector's pace: how many joined, the bars, the queue; only what changed is sent.
        A Reveal pressed while the run went on learns the model's verdict here when it comes."""
        if not teacher.code:
            return gr.skip(), gr.skip(), gr.skip()
        tally = self._late_verdict(teacher, self.classroom.tally(teacher.code), live, lang)
        card = self._card(teacher, lang)
        bars = bars_html(tally, lang)
        waiting = self.classroom.queue(teacher.code, teacher.token)
        queue = [(queue_label(s.name, s.text, lang, photo=s.has_photo), s.id) for s in waiting]
        now = {"card": card, "bars": bars, "queue": queue}
        changed = [now[key] != teacher.shown.get(key) for key in now]
        teacher.shown = now
        return (
            card if changed[0] else gr.skip(),
            bars if changed[1] else gr.skip(),
            gr.update(choices=queue, value=None) if changed[2] else gr.skip(),
        )

    def _late_verdict(self, teacher: TeacherSession, tally: Tally | None, live: Any, lang: str) -> Tally | None:
        """A Reveal pressed while the run went on gets the model's verdict once it comes, but
        only for the proof this session put up: another tab's run says nothing of it."""
        run = getattr(live, "run", None)
        proof = tally.proof if tally is not None else None
        if proof is None or proof.id != teacher.projected or run is None:
            return tally
        if not proof.revealed or proof.model_step is not None:
            return tally
        step, words = model_answer(run.state.verdict, lang)
        if step is None:
            return tally
        try:
            return self.classroom.reveal(teacher.code, teacher.token, step, words, proof=proof.id)
        except NotProjected:  # another tab put its proof up since the tally was read
            return tally

    def project(self, text: str, teacher: TeacherSession, live: Any, lang: str = DEFAULT_LANGUAGE) -> Any:
        """Debug pressed with a room open: in guess-first mode the proof's steps go to the phones
        and voting opens; without guess-first the class only watches. Either way the session's
        run is a new one, so what it put up before is no longer its run's to reveal."""
        live.class_vote = None
        teacher.projected = None
        if not teacher.code or not getattr(live, "guess_first", False) or not (text or "").strip():
            return gr.skip()
        self._require(teacher)
        return self._put_up(teacher, live, text, lang)

    def project_this(self, text: str, teacher: TeacherSession, live: Any, lang: str = DEFAULT_LANGUAGE) -> Any:
        """ "Project this one": this tab's proof before the class, without a new run, so a
        teacher running proofs in several tabs shows the one they choose. Pressed again for the
        proof already up it changes nothing (the votes stay)."""
        self._require(teacher)
        if not (text or "").strip():
            gr.Warning(t("room_project_nothing", lang))
            return gr.skip()
        current = self.classroom.current(teacher.code)
        if current is not None and current.id == teacher.projected and current.steps == self._steps(text):
            return bars_html(self.classroom.tally(teacher.code), lang)
        return self._put_up(teacher, live, text, lang)

    def _steps(self, text: str) -> tuple[str, ...]:
        return tuple((given_proof(text, self.examples) or Proof.of(text)).steps)

    def _put_up(self, teacher: TeacherSession, live: Any, text: str, lang: str) -> str:
        """The proof's steps to the phones, voting open; the session's run counts its votes."""
        proof_id = self.classroom.project(teacher.code, teacher.token, self._steps(text))
        teacher.projected = proof_id
        live.class_vote = self._class_vote(proof_id, live, lang)  # the run's export asks when it is written
        return bars_html(self.classroom.tally(teacher.code), lang)

    def _class_vote(self, proof_id: int, live: Any, lang: str) -> Callable[[], dict[str, object] | None]:
        def class_vote() -> dict[str, object] | None:
            """Asked when the export is written, which is after Reveal: the votes on this
            session's proof (whichever is up now), and the model's verdict from its run."""
            tally = self.classroom.tally_of(proof_id)
            run = getattr(live, "run", None)
            step, _ = model_answer(run.state.verdict if run is not None else None, lang)
            return tally.as_json(step) if tally is not None else None

        return class_vote

    def reveal(self, teacher: TeacherSession, live: Any, lang: str = DEFAULT_LANGUAGE) -> Any:
        """The projector's Reveal: voting ends, the model's verdict goes to the phones beside the
        class's. Refused in a tab whose proof is not the one up: it would reveal another's."""
        if not teacher.code:
            return gr.skip()
        self._require(teacher)
        run = getattr(live, "run", None)
        step, words = model_answer(run.state.verdict if run is not None else None, lang)
        try:
            tally = self.classroom.reveal(teacher.code, teacher.token, step, words, proof=teacher.projected)
        except NotProjected:
            raise gr.Error(t("room_reveal_other", lang)) from None
        return bars_html(tally, lang)

    def close_voting(self, teacher: TeacherSession, lang: str = DEFAULT_LANGUAGE) -> str:
        self._require(teacher)
        self.classroom.close_voting(teacher.code, teacher.token)
        return bars_html(self.classroom.tally(teacher.code), lang)

    def take(
        self, chosen: int | None, teacher: TeacherSession, live: Any = None, lang: str = DEFAULT_LANGUAGE
    ) -> tuple:
        """A sent proof from the queue into the proof box, as plain text, and its photo into the
        photo box (a proof without one empties it); the teacher runs it. With a model that reads
        no images the photo could not be sent: its text comes over, the proof stays in the
        queue for when a vision model is picked, and the teacher is told why."""
        self._require(teacher)
        if chosen is None:
            return gr.skip(), gr.skip()
        waiting = self.classroom.look(teacher.code, teacher.token, int(chosen))
        if waiting is not None and waiting.has_photo and not getattr(live, "takes_images", False):
            gr.Warning(t("room_photo_needs_vision", lang))
            return (waiting.text or gr.skip()), gr.skip()
        taken = self.classroom.take(teacher.code, teacher.token, int(chosen))
        if taken is None:
            return gr.skip(), gr.skip()
        return taken.text, self._photo_file(taken)

    def _photo_file(self, taken: Submission) -> str | None:
        """A taken photo as a file for the photo box (Gradio shows and sends files); kept in a
        folder of this process's own, removed when it ends."""
        if taken.photo is None:
            return None
        if self._photos is None:
            self._photos = tempfile.TemporaryDirectory(prefix="magistral-room-photos-")
        path = Path(self._photos.name) / f"sent-{taken.id}{mimetypes.guess_extension(taken.photo_mime) or '.jpg'}"
        path.write_bytes(taken.photo)
        return str(path)

    # --- a phone ------------------------------------------------------------------------------

    def arrive(self, browser_languages: str, request: gr.Request) -> tuple[str, str]:
        """The room's code from the join link, and the phone's language."""
        query = dict(request.query_params) if request is not None else {}
        return normal_code(query.get("code", "")), pick_language(browser_languages)

    def join(self, code: str, name: str, known: str, student: StudentSession, lang: str = DEFAULT_LANGUAGE) -> tuple:
        """The phone joins (again, with the id it kept): the join form gives way to the vote."""
        lang = lang or DEFAULT_LANGUAGE
        try:
            student.student = self.classroom.join(code, name, known or "")
        except RoomClosed:
            shown = normal_code(code) or "—"
            return known, gr.skip(), gr.skip(), gr.skip(), f"⚠️ {t('room_unknown_code', lang, code=shown)}"
        student.code, student.name, student.lang = normal_code(code), clean_name(name), lang
        student.drawn = student.signalled = ()  # the phone draws the room afresh
        return student.student, gr.update(visible=False), gr.update(visible=True), gr.Timer(active=True), ""

    def phone_tick(self, student: StudentSession) -> str:
        """The phone's timer: one read of the room's few rows that decide what the phone shows, and
        no drawing. It answers a counter that the page watches (its change runs ``poll``) and that
        moves only when the room holds something this phone has not drawn: an unchanged tick costs
        the app one output of one short string. (A ``gr.skip()`` is no cheaper than an update in
        Gradio: each makes a new component, about a millisecond apiece, 28 of them for a phone.)"""
        if not student.student:
            return str(student.changes)
        now = self.classroom.phone_view(student.code, student.student)
        if now != student.drawn and now != student.signalled:
            student.signalled = now
            student.changes += 1
        return str(student.changes)

    def poll(self, student: StudentSession) -> tuple:
        """What the phone shows now: the room's proof as buttons, its own vote, and after Reveal
        the verdict. Nothing of the answer is sent before the teacher reveals it."""
        if not student.student:
            return (gr.skip(),) * (3 + STEP_BUTTONS + 1)
        # Read first: what is drawn below is at least this new, so a later tick that finds the
        # room as read here rightly asks for nothing (a change in between costs one more draw).
        view = self.classroom.phone_view(student.code, student.student)
        if view == student.drawn:
            return (gr.skip(),) * (3 + STEP_BUTTONS + 1)
        student.drawn = view
        tally = self.classroom.tally(student.code)
        proof = tally.proof if tally is not None else None
        mine = self.classroom.vote_of(student.code, student.student)
        lang = student.lang
        title = f"# {t('room_phone_in_room', lang, code=student.code)}"
        return (title, phone_status(proof, mine, lang), phone_reveal(tally, lang), *self._buttons(tally, mine))

    def _buttons(self, tally: Tally | None, mine: int | None) -> list[Any]:
        proof = tally.proof if tally is not None else None
        steps = proof.steps if proof is not None else ()
        votable = proof is not None and proof.voting_open
        buttons = []
        for position in range(1, STEP_BUTTONS + 1):
            shown = position <= len(steps)
            buttons.append(
                gr.update(
                    value=step_label(position, steps[position - 1]) if shown else "",
                    visible=shown,
                    variant="primary" if mine == position else "secondary",
                    interactive=votable,
                )
            )
        no_flaw = gr.update(
            visible=proof is not None, variant="primary" if mine == NO_FLAW else "secondary", interactive=votable
        )
        return [*buttons, no_flaw]

    def vote(self, choice: int, student: StudentSession) -> tuple:
        """One tap: the student's vote (replacing their last); the phone shows it at once."""
        proof = self.classroom.current(student.code) if student.student else None
        if proof is None:
            raise gr.Error(t("room_waiting", student.lang))
        try:
            counted = self.classroom.vote(student.code, student.student, proof.id, int(choice))
        except (RoomClosed, ValueError):
            counted = False
        if not counted:
            gr.Warning(t("room_vote_refused", student.lang))
        return self.poll(student)

    def voter(self, choice: int) -> Callable[[StudentSession], tuple]:
        def vote(student: StudentSession) -> tuple:
            return self.vote(choice, student)

        return vote

    def send(self, text: str, photo: str | None = None, student: StudentSession | None = None) -> tuple[str, Any, Any]:
        """A proof for the teacher's queue, typed, photographed or both; the boxes empty once it
        is in. A photo the app cannot take (too big, not an image, damaged) is said in words.
        (The photo's None default keeps it optional in the API: a script sends text alone.)"""
        student = student or StudentSession()
        lang = student.lang
        if not student.student:
            return f"⚠️ {t('room_waiting', lang)}", gr.skip(), gr.skip()
        try:
            self.classroom.send(student.code, student.student, student.name, text or "", photo or None)
        except SendRefused as refused:
            return f"⚠️ {t(refused.reason, lang, **refused.values)}", gr.skip(), gr.skip()
        except InputError as error:
            return f"⚠️ {error.message.text(lang)}", gr.skip(), gr.skip()
        except RoomClosed:
            return f"⚠️ {t('room_unknown_code', lang, code=student.code)}", gr.skip(), gr.skip()
        return f"✅ {t('room_sent', lang)}", "", None
