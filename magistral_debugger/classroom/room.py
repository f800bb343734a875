"""The room's rules, on top of any :class:`~.store.RoomStore`: who is the teacher, what a vote
is, what a student may send and how often. The page calls these and nothing of the store,
so every rule holds the same for a browser, a script through gradio_client, or a second process.

The teacher is whoever holds the room's secret token (made when the room opens, given only to
the page that opened it and in the teacher's own link); the store keeps only its hash, so the
database file does not hand out the teacher's controls either.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..prompting.images import ImageSource, prepare_image
from .store import Projected, RoomStore, Submission

# No 0/O, 1/I/L: a code read off a projector from the back row is typed right the first time.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 5
NO_FLAW = 0  # the vote for "there is no flaw"; steps are voted as 1, 2, …
MAX_NAME = 40
MAX_SEND_CHARS = 4000
# A student sends at most this many proofs per window: enough to fix a typo and send again,
# not enough to fill the teacher's queue.
SENDS_PER_WINDOW = 3
SEND_WINDOW_S = 300.0


class NotTeacher(PermissionError):
    """A teacher's control asked for without the room's token: refused, whatever the caller."""


class RoomClosed(LookupError):
    """No such room (a mistyped code), or no proof before the class to vote on."""


class NotProjected(LookupError):
    """A Reveal for a proof that is not the one before the class (another tab of the teacher's
    put up its own since, or this one put up none): refused, so it cannot reveal another's."""


class SendRefused(ValueError):
    """A student's proof the queue does not take; ``reason`` is a message id, ``values`` its fields."""

    def __init__(self, reason: str, **values: int) -> None:
        super().__init__(reason)
        self.reason, self.values = reason, values


@dataclass(frozen=True)
class Tally:
    """The class's votes on one proof: how many chose each answer (``NO_FLAW`` or a step)."""

    proof: Projected
    counts: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, choice: int) -> float:
        return self.counts.get(choice, 0) / self.total if self.total else 0.0

    def leading(self) -> int | None:
        """The answer most chose (the lowest step on a tie); None with no votes."""
        if not self.total:
            return None
        return min(self.counts, key=lambda choice: (-self.counts[choice], choice))

    def as_json(self, model_step: int | None = None) -> dict[str, object]:
        """For the run's export: each answer's count, and the model's (as revealed, else as given)."""
        model = self.proof.model_step if self.proof.revealed and self.proof.model_step is not None else model_step
        return {
            "votes": self.total,
            "counts": {("none" if c == NO_FLAW else str(c)): n for c, n in sorted(self.counts.items())},
            "class_answer": _answer_json(self.leading()),
            "model_answer": _answer_json(model),
        }


def _answer_json(choice: int | None) -> int | str | None:
    return "none" if choice == NO_FLAW else choice


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Classroom:
    """Rooms on one store; ``clock`` is wall time (the store's rows outlive the process).
    ``photo_mb`` and ``photo_side`` are the app's photo limits (``MAGISTRAL_MAX_IMAGE_MB``,
    ``MAGISTRAL_IMAGE_MAX_SIDE``): a phone's photo is held to the same as one uploaded on the page."""

    def __init__(
        self,
        store: RoomStore,
        clock: Callable[[], float] = time.time,
        *,
        photo_mb: float = 20.0,
        photo_side: int = 1540,
    ) -> None:
        self.store, self.clock = store, clock
        self.photo_mb, self.photo_side = photo_mb, photo_side

    # --- the teacher ------------------------------------------------------------------------

    def open_room(self) -> tuple[str, str]:
        """A new room: its code (for the class) and its teacher's token (for the teacher only)."""
        token = secrets.token_urlsafe(24)
        while True:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if self.store.create_room(code, _hash(token), self.clock()):
                return code, token

    def is_teacher(self, code: str, token: str) -> bool:
        known = self.store.teacher_hash(code) if code and token else None
        return known is not None and hmac.compare_digest(known, _hash(token))

    def _teacher(self, code: str, token: str) -> None:
        if not self.is_teacher(code, token):
            raise NotTeacher(code)

    def project(self, code: str, token: str, steps: tuple[str, ...]) -> int:
        """The proof before the class, voting open (the one before it closes)."""
        self._teacher(code, token)
        return self.store.add_proof(code, steps, self.clock())

    def close_voting(self, code: str, token: str) -> None:
        self._teacher(code, token)
        proof = self.store.current_proof(code)
        if proof is not None:
            self.store.set_voting(proof.id, False)

    def reveal(
        self, code: str, token: str, model_step: int | None, model_words: str, *, proof: int | None
    ) -> Tally | None:
        """Voting ends and the model's verdict goes to the phones; the class's tally beside it.
        ``proof`` is the one the caller put before the class (None: it put up none): a teacher
        may run a proof in each of several tabs, and only the verdict of the proof the phones
        show may reach them (:class:`NotProjected` otherwise)."""
        self._teacher(code, token)
        current = self.store.current_proof(code)
        if current is None:
            return None
        if current.id != proof:
            raise NotProjected(code)
        self.store.set_revealed(current.id, model_step, model_words)
        return self.tally(code)

    def queue(self, code: str, token: str) -> list[Submission]:
        self._teacher(code, token)
        return self.store.waiting(code)

    def take(self, code: str, token: str, submission_id: int) -> Submission | None:
        """A sent proof out of the queue, photo and all (None: taken already)."""
        self._teacher(code, token)
        return self.store.take_submission(code, submission_id)

    def look(self, code: str, token: str, submission_id: int) -> Submission | None:
        """A sent proof read but left waiting: a page that cannot show its photo yet leaves it
        there for when it can."""
        self._teacher(code, token)
        return self.store.submission(code, submission_id)

    # --- anyone ---------------------------------------------------------------------------------

    def exists(self, code: str) -> bool:
        return self.store.teacher_hash(code) is not None

    def joined(self, code: str) -> int:
        return self.store.student_count(code)

    def current(self, code: str) -> Projected | None:
        return self.store.current_proof(code)

    def tally(self, code: str) -> Tally | None:
        proof = self.store.current_proof(code)
        return Tally(proof, self.store.counts(proof.id)) if proof is not None else None

    def tally_of(self, proof_id: int) -> Tally | None:
        """The votes on one proof, current or not: a run's export counts its own proof's."""
        proof = self.store.proof(proof_id)
        return Tally(proof, self.store.counts(proof.id)) if proof is not None else None

    # --- a student ------------------------------------------------------------------------------

    def join(self, code: str, name: str, student: str = "") -> str:
        """The student's id in the room: the one they had (a phone reloading) or a new one."""
        code = normal_code(code)
        if not self.exists(code):
            raise RoomClosed(code)
        student = student if len(student) == 32 and student.isalnum() else secrets.token_hex(16)
        self.store.add_student(code, student, clean_name(name), self.clock())
        return student

    def vote(self, code: str, student: str, proof_id: int, choice: int) -> bool:
        """One vote per student per proof, changeable while voting is open; False once it closed
        (or the teacher moved on to another proof, which the phone then shows)."""
        proof = self.store.current_proof(code)
        if proof is None or proof.id != proof_id or not self.store.has_student(code, student):
            raise RoomClosed(code)
        if not NO_FLAW <= choice <= len(proof.steps):
            raise ValueError(f"no step {choice} in a proof of {len(proof.steps)}")
        return self.store.put_vote(proof_id, student, choice, self.clock())

    def vote_of(self, code: str, student: str) -> int | None:
        proof = self.store.current_proof(code)
        return self.store.vote_of(proof.id, student) if proof is not None else None

    def phone_view(self, code: str, student: str) -> tuple[object, ...] | None:
        """A fingerprint of what the student's phone shows (see the store's ``phone_view``): when
        it is unchanged, so is the phone, and nothing needs drawing."""
        return self.store.phone_view(code, student)

    def send(self, code: str, student: str, name: str, text: str, photo: ImageSource | None = None) -> int:
        """A student's proof into the teacher's queue: text exactly as typed (the page shows it
        escaped), a photo, or both; refused when there is neither, the text is too long, or it is
        one too many in the window (a photo counts as a send like a text). The photo is checked
        and re-encoded as the page's own are (``InputError`` says what is wrong with it), after
        the rate limit, so a phone sending again and again costs no decoding."""
        if not self.store.has_student(code, student):
            raise RoomClosed(code)
        text = text.strip()
        if not text and photo is None:
            raise SendRefused("room_send_empty")
        if len(text) > MAX_SEND_CHARS:
            raise SendRefused("room_send_too_long", limit=MAX_SEND_CHARS, length=len(text))
        now = self.clock()
        if self.store.sent_since(code, student, now - SEND_WINDOW_S) >= SENDS_PER_WINDOW:
            raise SendRefused("room_send_too_often", count=SENDS_PER_WINDOW, minutes=int(SEND_WINDOW_S // 60))
        if photo is None:
            return self.store.add_submission(code, student, clean_name(name), text, now)
        prepared = prepare_image(photo, max_mb=self.photo_mb, max_side=self.photo_side)
        return self.store.add_submission(code, student, clean_name(name), text, now, prepared.data, prepared.mime)


def normal_code(code: str) -> str:
    """A code as typed on a phone ("abc d2 ") as the room knows it ("ABCD2")."""
    return "".join(code.split()).upper()


def clean_name(name: str) -> str:
    """A chosen name on one line and not too long ("" is anonymous)."""
    return " ".join((name or "").split())[:MAX_NAME]
