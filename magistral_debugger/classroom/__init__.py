"""The class's side of the page, without Gradio: a room students join from their phones, their
votes on the projected proof's flawed step, and the proofs they send to the teacher's queue.

``store`` keeps that state where every app process on the machine sees it (SQLite, behind the
``RoomStore`` protocol); ``room`` holds the rules (who is the teacher, one vote per student per
proof, limits on what a student sends); ``links`` says where the phones reach the app.
"""

from __future__ import annotations

from .room import Classroom, NotProjected, NotTeacher, RoomClosed, SendRefused, Tally
from .store import Projected, RoomStore, SqliteRoomStore, Submission

__all__ = [
    "Classroom",
    "NotProjected",
    "NotTeacher",
    "Projected",
    "RoomClosed",
    "RoomStore",
    "SendRefused",
    "SqliteRoomStore",
    "Submission",
    "Tally",
]
