"""A student's photo of a proof, by the room's rules on a real SQLite file: checked and
re-encoded as the page's own photos are, kept as a BLOB beside the text, counted as a send
like a text, refused in words when it is no image or too big; a room file made before photos
existed gains the columns and keeps its queue."""

from __future__ import annotations

import io
import sqlite3
import threading

import pytest
from PIL import Image

from magistral_debugger.classroom import Classroom, SendRefused, SqliteRoomStore
from magistral_debugger.classroom.room import SENDS_PER_WINDOW
from magistral_debugger.prompting.input_errors import InputError

# The submissions table as the app made it before photos (the rest of the schema is unchanged).
OLD_SCHEMA = """
CREATE TABLE rooms (code TEXT PRIMARY KEY, teacher_hash TEXT NOT NULL, opened REAL NOT NULL, current_proof INTEGER);
CREATE TABLE students (room TEXT NOT NULL, student TEXT NOT NULL, name TEXT NOT NULL, joined REAL NOT NULL,
    PRIMARY KEY (room, student));
CREATE TABLE submissions (id INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL, student TEXT NOT NULL,
    name TEXT NOT NULL, text TEXT NOT NULL, at REAL NOT NULL, taken INTEGER NOT NULL DEFAULT 0);
"""


def jpeg(size: tuple[int, int] = (4000, 3000)) -> bytes:
    """A phone's photo, with the GPS position phones write into EXIF."""
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x8825] = {2: (48.0, 51.0, 24.0)}  # GPSInfo: latitude
    Image.new("RGB", size, "white").save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def db(tmp_path):
    return tmp_path / "rooms.sqlite3"


@pytest.fixture
def room(db):
    classroom = Classroom(SqliteRoomStore(db), photo_mb=5.0, photo_side=1540)
    code, token = classroom.open_room()
    return classroom, code, token, classroom.join(code, "Ana")


def test_a_photo_is_kept_re_encoded_beside_the_text_and_taken_with_it(room, db):
    classroom, code, token, ana = room
    classroom.send(code, ana, "Ana", "  Assume x = y.  ", jpeg())
    (waiting,) = classroom.queue(code, token)
    assert waiting.has_photo and waiting.photo is None and waiting.text == "Assume x = y."
    taken = classroom.take(code, token, waiting.id)
    image = Image.open(io.BytesIO(taken.photo))
    assert taken.photo_mime == "image/jpeg" and image.size == (1540, 1155)
    assert not image.getexif().get_ifd(0x8825)  # the phone's position is not kept
    stored = sqlite3.connect(db).execute("SELECT typeof(photo), photo_mime FROM submissions").fetchone()
    assert stored == ("blob", "image/jpeg")


def test_a_photo_alone_is_a_send_and_neither_text_nor_photo_is_refused(room):
    classroom, code, token, ana = room
    classroom.send(code, ana, "Ana", "", jpeg((200, 100)))
    with pytest.raises(SendRefused) as nothing:
        classroom.send(code, ana, "Ana", "   ", None)
    assert nothing.value.reason == "room_send_empty"
    (waiting,) = classroom.queue(code, token)
    assert waiting.text == "" and waiting.has_photo


def test_a_photo_counts_against_the_same_rate_limit_as_a_text(room):
    classroom, code, token, ana = room
    for _ in range(SENDS_PER_WINDOW - 1):
        classroom.send(code, ana, "Ana", "A typed proof")
    classroom.send(code, ana, "Ana", "", jpeg((200, 100)))
    with pytest.raises(SendRefused) as often:
        classroom.send(code, ana, "Ana", "", jpeg((200, 100)))
    assert often.value.reason == "room_send_too_often"
    with pytest.raises(SendRefused):
        classroom.send(code, ana, "Ana", "And a text after the photos")
    assert len(classroom.queue(code, token)) == SENDS_PER_WINDOW


def test_a_file_that_is_no_image_or_too_big_is_refused_in_words_and_nothing_is_queued(room):
    classroom, code, token, ana = room
    with pytest.raises(InputError) as not_image:
        classroom.send(code, ana, "Ana", "My proof", b"x = y, so 2 = 1" * 10)
    assert not_image.value.message.key == "image_not_an_image"
    with pytest.raises(InputError) as too_big:
        classroom.send(code, ana, "Ana", "My proof", b"\xff\xd8" + bytes(6 * 1024 * 1024))
    assert too_big.value.message.key == "image_too_big"
    assert classroom.queue(code, token) == []


def test_look_leaves_a_sent_proof_waiting_and_take_removes_it(room):
    classroom, code, token, ana = room
    classroom.send(code, ana, "Ana", "With a photo", jpeg((64, 48)))
    (waiting,) = classroom.queue(code, token)
    looked = classroom.look(code, token, waiting.id)
    assert looked.photo and looked.text == "With a photo"
    assert classroom.queue(code, token) == [waiting]
    assert classroom.take(code, token, waiting.id).photo == looked.photo
    assert classroom.look(code, token, waiting.id) is None


def test_a_room_file_made_before_photos_gains_the_columns_and_keeps_its_queue(db):
    old = sqlite3.connect(db)
    old.executescript(OLD_SCHEMA)
    old.execute("INSERT INTO rooms VALUES ('ABCDE', 'hash', 1.0, NULL)")
    old.execute("INSERT INTO students VALUES ('ABCDE', 'ana', 'Ana', 1.0)")
    old.execute("INSERT INTO submissions (room, student, name, text, at) VALUES ('ABCDE', 'ana', 'Ana', 'Old', 1.0)")
    old.commit()
    old.close()
    stores = [SqliteRoomStore(db) for _ in range(4)]  # four app processes starting on the old file at once
    errors: list[BaseException] = []

    def open_(store: SqliteRoomStore) -> None:
        try:
            store.journal_mode()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=open_, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    (kept,) = stores[0].waiting("ABCDE")
    assert kept.text == "Old" and not kept.has_photo
    stores[1].add_submission("ABCDE", "ana", "Ana", "", 2.0, b"\xff\xd8photo", "image/jpeg")
    assert [s.has_photo for s in stores[2].waiting("ABCDE")] == [False, True]
