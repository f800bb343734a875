"""A phone's photo of a proof, on the real app on loopback: the phone sends it through the room's
API (gradio_client, as a phone's script would), the app checks and re-encodes it and says in
words what is wrong with a bad one; the teacher's tab (a session of its own, over HTTP) sees it
marked in the queue and takes it into the proof and photo boxes — or, with a model that reads
no images, gets its text, a warning, and the photo left waiting."""

from __future__ import annotations

import asyncio
import io
import sqlite3
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from PIL import Image

from magistral_debugger.classroom import Classroom
from magistral_debugger.settings import Settings
from magistral_debugger.ui.handlers import DebuggerPage, LiveRun
from magistral_debugger.ui.room import RoomPage
from magistral_debugger.ui.room.page import StudentSession, TeacherSession
from tests.loopback import Reply
from tests.ui.room_sessions import Tab, served_room

VISION = Reply(
    body=[b'{"capabilities":["completion","thinking","vision"],"details":{},"model_info":{}}'],
    content_type="application/json",
)


def phone_photo(path: Path, size: tuple[int, int] = (3000, 2000)) -> Path:
    Image.new("RGB", size, "white").save(path, format="JPEG", quality=95)
    return path


@pytest.fixture
def served(srv, tmp_path):
    with served_room(str(tmp_path / "rooms.sqlite3"), ollama_url=srv.url, model="magistral") as served:
        yield served


@pytest.fixture
def room(served):
    code, token = served.classroom.open_room()
    phone = Client(served.url, verbose=False)
    phone.predict(code, "Ana", "", api_name="/room_join")
    return code, token, phone


def teacher_tab(served, code: str, token: str) -> Tab:
    tab = Tab(served)
    tab.page("refresh_models", "ollama", "", "magistral", "en", None, None)  # as the page's load does
    tab.open_teacher_link(code, token)
    return tab


def test_a_phone_sends_a_photo_and_the_queue_keeps_it_re_encoded(served, room, tmp_path):
    code, token, phone = room
    message, *_ = phone.predict("", handle_file(str(phone_photo(tmp_path / "proof.jpg"))), api_name="/room_send")
    assert message.startswith("✅"), message
    (waiting,) = served.classroom.queue(code, token)
    assert waiting.has_photo and waiting.text == "" and waiting.photo is None  # the listing leaves the bytes
    taken = served.classroom.take(code, token, waiting.id)
    assert taken.photo_mime == "image/jpeg"
    assert max(Image.open(io.BytesIO(taken.photo)).size) == 1540  # the app's MAGISTRAL_IMAGE_MAX_SIDE


def test_a_file_that_is_no_image_is_refused_on_the_phone_in_words(served, room, tmp_path):
    code, token, phone = room
    fake = tmp_path / "proof.png"
    fake.write_text("x = y, so 2 = 1 — not a picture at all")
    message, *_ = phone.predict("My proof", handle_file(str(fake)), api_name="/room_send")
    assert message.startswith("⚠️") and "is not an image this app can read" in message, message
    assert served.classroom.queue(code, token) == []


def test_sending_neither_text_nor_photo_is_refused_with_a_message(served, room):
    code, token, phone = room
    message, *_ = phone.predict("   ", api_name="/room_send")
    assert message == "⚠️ There is nothing to send: type the proof or add a photo of it."
    assert served.classroom.queue(code, token) == []


def test_a_photo_over_the_apps_limit_is_refused_on_the_phone_in_words(tmp_path):
    """Gradio turns away an upload over ``max_file_size`` before the event; the room's own
    check holds the photo to the same limit whatever reaches the handler (the bench's scripts)."""
    settings = Settings(_env_file=None, room_db=str(tmp_path / "rooms.sqlite3"), max_image_mb=0.01)
    room = RoomPage(settings)
    code, _ = room.classroom.open_room()
    phone = StudentSession()
    room.join(code, "Ana", "", phone)
    big = tmp_path / "big.png"
    Image.effect_noise((400, 400), 60).save(big)
    message, *_ = room.send("", str(big), phone)
    assert message.startswith("⚠️ The image is") and "the limit is 0.01 MB" in message, message


def test_take_fills_the_proof_and_photo_boxes_when_the_model_reads_images(served, room, srv, tmp_path):
    code, token, phone = room
    srv.route("POST", "/api/show", VISION)
    script = "<script>alert(1)</script> Assume x = y."
    phone.predict(script, handle_file(str(phone_photo(tmp_path / "proof.jpg"))), api_name="/room_send")
    tab = teacher_tab(served, code, token)
    card, bars, queue = tab.room("tick", None, None, "en").json()["data"]
    ((label, chosen),) = queue["choices"]
    assert label == "📷 Ana: <script>alert(1)</script> Assume x = y."  # a Dropdown shows it as text
    reply = tab.room("take", chosen, None, None, "en").json()
    text, photo = reply["data"]
    assert text == script
    stored = sqlite3.connect(tmp_path / "rooms.sqlite3").execute("SELECT photo FROM submissions").fetchone()[0]
    assert Path(photo["path"]).read_bytes() == stored  # the photo box holds the room's photo as stored
    assert served.classroom.queue(code, token) == []


def test_take_with_a_model_that_reads_no_images_warns_and_leaves_the_photo_waiting(served, room, tmp_path):
    code, token, phone = room
    phone.predict("Assume x = y.", handle_file(str(phone_photo(tmp_path / "proof.jpg"))), api_name="/room_send")
    tab = teacher_tab(served, code, token)  # the loopback model lists no vision
    tab.room("tick", None, None, "en")  # the queue's menu, as the projector's timer fills it
    (waiting,) = served.classroom.queue(code, token)
    text, photo = tab.room("take", waiting.id, None, None, "en").json()["data"]
    assert text == "Assume x = y."
    assert photo == {"__type__": "update"}  # the photo box is left as it was
    assert [item.id for item in served.classroom.queue(code, token)] == [waiting.id]


def test_the_take_warning_says_the_photo_needs_a_vision_model(tmp_path):
    room = RoomPage(Settings(_env_file=None, room_db=str(tmp_path / "rooms.sqlite3")))
    classroom: Classroom = room.classroom
    code, token = classroom.open_room()
    ana = classroom.join(code, "Ana")
    classroom.send(code, ana, "Ana", "", phone_photo(tmp_path / "proof.jpg", (64, 48)))
    (waiting,) = classroom.queue(code, token)
    with pytest.warns(UserWarning, match="needs a model that reads images"):
        text, photo = room.take(waiting.id, TeacherSession(code, token), LiveRun(), "en")
    assert classroom.queue(code, token) == [waiting]


def test_refresh_records_whether_the_model_reads_images(srv, tmp_path):
    page = DebuggerPage(Settings(_env_file=None, ollama_url=srv.url, room_db=str(tmp_path / "r.sqlite3")))
    live = LiveRun()
    asyncio.run(page.refresh_models("ollama", "", "magistral", "en", None, live))
    assert live.takes_images is False
    srv.route("POST", "/api/show", VISION)
    asyncio.run(page.refresh_models("ollama", "", "magistral", "en", None, live))
    assert live.takes_images is True
