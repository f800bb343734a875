"""Where a room's state lives: one SQLite file next to the app, shared by every app process on
the machine, so a restart mid-class or a second process behind the proxy sees the same room.

The rest of the app asks only what :class:`RoomStore` declares, so a deployment across
machines swaps in a server database (PostgreSQL: the same tables, ``INSERT … ON CONFLICT``
and ``RETURNING`` exist there too) without touching the rules in ``room.py`` or the page.
SQLite in WAL mode lets readers (every phone's poll) go on while one process writes a vote;
a writer that finds the file locked waits for it (``busy_timeout``) instead of failing.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

SCHEMA = """
CREATE TABLE IF NOT EXISTS rooms (
    code TEXT PRIMARY KEY,
    teacher_hash TEXT NOT NULL,
    opened REAL NOT NULL,
    current_proof INTEGER
);
CREATE TABLE IF NOT EXISTS students (
    room TEXT NOT NULL,
    student TEXT NOT NULL,
    name TEXT NOT NULL,
    joined REAL NOT NULL,
    PRIMARY KEY (room, student)
);
CREATE TABLE IF NOT EXISTS proofs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    room TEXT NOT NULL,
    steps TEXT NOT NULL,
    opened REAL NOT NULL,
    voting_open INTEGER NOT NULL DEFAULT 1,
    revealed INTEGER NOT NULL DEFAULT 0,
    model_step INTEGER,
    model_words TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS votes (
    proof INTEGER NOT NULL,
    student TEXT NOT NULL,
    choice INTEGER NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (proof, student)
);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    room TEXT NOT NULL,
    student TEXT NOT NULL,
    name TEXT NOT NULL,
    text TEXT NOT NULL,
    at REAL NOT NULL,
    taken INTEGER NOT NULL DEFAULT 0,
    photo BLOB,
    photo_mime TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS submissions_by_student ON submissions (room, student, at);
"""
# Columns added after a room's file may already exist: a file made by an older app gets them at
# first use (CREATE TABLE IF NOT EXISTS leaves an existing table as it was).
ADDED_COLUMNS = {"submissions": (("photo", "BLOB"), ("photo_mime", "TEXT NOT NULL DEFAULT ''"))}
PROOF_COLUMNS = "p.id, p.room, p.steps, p.voting_open, p.revealed, p.model_step, p.model_words"
SUBMISSION_COLUMNS = "id, room, name, text, at, photo_mime"


@dataclass(frozen=True)
class Projected:
    """A proof the teacher put before the class: its steps, whether votes are taken, and once
    revealed the model's verdict (``model_step`` 0: no flaw; None: the model named none)."""

    id: int
    room: str
    steps: tuple[str, ...]
    voting_open: bool
    revealed: bool
    model_step: int | None = None
    model_words: str = ""


@dataclass(frozen=True)
class Submission:
    """A proof a student sent, waiting in the teacher's queue ("" as name: anonymous): text, a
    photo (already checked and re-encoded: ``photo_mime`` says which), or both. The queue's
    listing leaves the photo's bytes in the file (``photo`` None): the projector asks for the
    queue every second, and only a taken proof needs its photo."""

    id: int
    room: str
    name: str
    text: str
    at: float
    photo_mime: str = ""
    photo: bytes | None = None

    @property
    def has_photo(self) -> bool:
        return bool(self.photo_mime)

    def __repr__(self) -> str:  # never dump a photo's bytes into a log
        return f"Submission({self.id}, {self.room}, {self.name!r}, {len(self.text)} chars, photo={self.photo_mime!r})"


class RoomStore(Protocol):
    """Everything the room's rules ask of storage; nothing here decides who may do what."""

    def create_room(self, code: str, teacher_hash: str, now: float) -> bool: ...
    def teacher_hash(self, code: str) -> str | None: ...
    def add_student(self, code: str, student: str, name: str, now: float) -> None: ...
    def has_student(self, code: str, student: str) -> bool: ...
    def student_count(self, code: str) -> int: ...
    def add_proof(self, code: str, steps: tuple[str, ...], now: float) -> int: ...
    def current_proof(self, code: str) -> Projected | None: ...
    def set_voting(self, proof_id: int, open_: bool) -> None: ...
    def set_revealed(self, proof_id: int, model_step: int | None, model_words: str) -> None: ...
    def put_vote(self, proof_id: int, student: str, choice: int, now: float) -> bool: ...
    def counts(self, proof_id: int) -> dict[int, int]: ...
    def vote_of(self, proof_id: int, student: str) -> int | None: ...
    def proof(self, proof_id: int) -> Projected | None: ...
    def phone_view(self, code: str, student: str) -> tuple[object, ...] | None: ...
    def add_submission(
        self, code: str, student: str, name: str, text: str, now: float, photo: bytes | None = None, mime: str = ""
    ) -> int: ...
    def sent_since(self, code: str, student: str, since: float) -> int: ...
    def waiting(self, code: str) -> list[Submission]: ...
    def submission(self, code: str, submission_id: int) -> Submission | None: ...
    def take_submission(self, code: str, submission_id: int) -> Submission | None: ...


class SqliteRoomStore:
    """:class:`RoomStore` on one SQLite file. One connection per thread (Gradio runs handlers
    on a pool of them); the file is opened at first use, so an app whose room is never opened
    never creates it."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._schema_lock = threading.Lock()
        self._schema_ready = False

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # autocommit (isolation_level None): each statement is its own transaction unless
            # a method opens one; timeout is how long a writer waits for the lock.
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # WAL's own durability: a crash loses no commit
            db.execute("PRAGMA busy_timeout=10000")
            with self._schema_lock:
                if not self._schema_ready:
                    db.executescript(SCHEMA)
                    add_missing_columns(db)
                    self._schema_ready = True
            self._local.db = db
        return db

    def journal_mode(self) -> str:
        return str(self._db().execute("PRAGMA journal_mode").fetchone()[0])

    def create_room(self, code: str, teacher_hash: str, now: float) -> bool:
        cursor = self._db().execute(
            "INSERT OR IGNORE INTO rooms (code, teacher_hash, opened) VALUES (?, ?, ?)", (code, teacher_hash, now)
        )
        return cursor.rowcount == 1

    def teacher_hash(self, code: str) -> str | None:
        row = self._db().execute("SELECT teacher_hash FROM rooms WHERE code = ?", (code,)).fetchone()
        return str(row[0]) if row else None

    def add_student(self, code: str, student: str, name: str, now: float) -> None:
        self._db().execute(
            "INSERT INTO students (room, student, name, joined) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (room, student) DO UPDATE SET name = excluded.name",
            (code, student, name, now),
        )

    def has_student(self, code: str, student: str) -> bool:
        query = "SELECT 1 FROM students WHERE room = ? AND student = ?"
        return self._db().execute(query, (code, student)).fetchone() is not None

    def student_count(self, code: str) -> int:
        return int(self._db().execute("SELECT count(*) FROM students WHERE room = ?", (code,)).fetchone()[0])

    def add_proof(self, code: str, steps: tuple[str, ...], now: float) -> int:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("UPDATE proofs SET voting_open = 0 WHERE room = ?", (code,))
            cursor = db.execute(
                "INSERT INTO proofs (room, steps, opened) VALUES (?, ?, ?)", (code, json.dumps(list(steps)), now)
            )
            proof_id = int(cursor.lastrowid or 0)
            db.execute("UPDATE rooms SET current_proof = ? WHERE code = ?", (proof_id, code))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return proof_id

    def current_proof(self, code: str) -> Projected | None:
        query = f"SELECT {PROOF_COLUMNS} FROM rooms r JOIN proofs p ON p.id = r.current_proof WHERE r.code = ?"
        return _projected(self._db().execute(query, (code,)).fetchone())

    def proof(self, proof_id: int) -> Projected | None:
        """A proof by its id, current or not (a run's export counts the votes on its own proof)."""
        return _projected(
            self._db().execute(f"SELECT {PROOF_COLUMNS} FROM proofs p WHERE p.id = ?", (proof_id,)).fetchone()
        )

    def set_voting(self, proof_id: int, open_: bool) -> None:
        self._db().execute("UPDATE proofs SET voting_open = ? WHERE id = ?", (int(open_), proof_id))

    def set_revealed(self, proof_id: int, model_step: int | None, model_words: str) -> None:
        self._db().execute(
            "UPDATE proofs SET revealed = 1, voting_open = 0, model_step = ?, model_words = ? WHERE id = ?",
            (model_step, model_words, proof_id),
        )

    def put_vote(self, proof_id: int, student: str, choice: int, now: float) -> bool:
        """The student's vote, replacing their earlier one; refused (False) once voting closed,
        in the same statement, so a vote racing the teacher's Close never slips in after it."""
        cursor = self._db().execute(
            "INSERT INTO votes (proof, student, choice, at) SELECT ?, ?, ?, ? "
            "WHERE EXISTS (SELECT 1 FROM proofs WHERE id = ? AND voting_open = 1) "
            "ON CONFLICT (proof, student) DO UPDATE SET choice = excluded.choice, at = excluded.at",
            (proof_id, student, choice, now, proof_id),
        )
        return cursor.rowcount == 1

    def counts(self, proof_id: int) -> dict[int, int]:
        rows = self._db().execute("SELECT choice, count(*) FROM votes WHERE proof = ? GROUP BY choice", (proof_id,))
        return {int(choice): int(count) for choice, count in rows}

    def vote_of(self, proof_id: int, student: str) -> int | None:
        query = "SELECT choice FROM votes WHERE proof = ? AND student = ?"
        row = self._db().execute(query, (proof_id, student)).fetchone()
        return int(row[0]) if row else None

    def phone_view(self, code: str, student: str) -> tuple[object, ...] | None:
        """Everything a student's phone shows, in one read of three rows by their keys: the current
        proof's id, whether it takes votes, whether it was revealed and the model's verdict, and the
        student's own vote (None: no proof yet). No count: once revealed, voting is closed, so the
        tally a phone shows after Reveal cannot move without one of these moving first. A phone's
        timer asks this every tick, so it must stay this cheap."""
        row = (
            self._db()
            .execute(
                "SELECT p.id, p.voting_open, p.revealed, p.model_step, p.model_words, v.choice "
                "FROM rooms r JOIN proofs p ON p.id = r.current_proof "
                "LEFT JOIN votes v ON v.proof = p.id AND v.student = ? WHERE r.code = ?",
                (student, code),
            )
            .fetchone()
        )
        return tuple(row) if row is not None else None

    def add_submission(
        self, code: str, student: str, name: str, text: str, now: float, photo: bytes | None = None, mime: str = ""
    ) -> int:
        cursor = self._db().execute(
            "INSERT INTO submissions (room, student, name, text, at, photo, photo_mime) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (code, student, name, text, now, photo, mime if photo else ""),
        )
        return int(cursor.lastrowid or 0)

    def sent_since(self, code: str, student: str, since: float) -> int:
        query = "SELECT count(*) FROM submissions WHERE room = ? AND student = ? AND at >= ?"
        return int(self._db().execute(query, (code, student, since)).fetchone()[0])

    def waiting(self, code: str) -> list[Submission]:
        query = f"SELECT {SUBMISSION_COLUMNS} FROM submissions WHERE room = ? AND taken = 0 ORDER BY id"
        return [Submission(*row) for row in self._db().execute(query, (code,))]

    def submission(self, code: str, submission_id: int) -> Submission | None:
        """A waiting proof, photo and all, left in the queue."""
        query = f"SELECT {SUBMISSION_COLUMNS}, photo FROM submissions WHERE room = ? AND id = ? AND taken = 0"
        row = self._db().execute(query, (code, submission_id)).fetchone()
        return Submission(*row) if row else None

    def take_submission(self, code: str, submission_id: int) -> Submission | None:
        row = (
            self._db()
            .execute(
                "UPDATE submissions SET taken = 1 WHERE room = ? AND id = ? AND taken = 0 "
                f"RETURNING {SUBMISSION_COLUMNS}, photo",
                (code, submission_id),
            )
            .fetchone()
        )
        return Submission(*row) if row else None


def _projected(row: tuple | None) -> Projected | None:
    if row is None:
        return None
    steps = tuple(str(step) for step in json.loads(row[2]))
    return Projected(row[0], row[1], steps, bool(row[3]), bool(row[4]), row[5], row[6])


def add_missing_columns(db: sqlite3.Connection) -> None:
    """Brings a file made by an older app up to :data:`ADDED_COLUMNS`. In one write transaction,
    so two processes opening the same old file at once do not both add a column."""
    db.execute("BEGIN IMMEDIATE")
    try:
        for table, columns in ADDED_COLUMNS.items():
            have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
            for name, kind in columns:
                if name not in have:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
