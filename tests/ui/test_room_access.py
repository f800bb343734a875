"""A student cannot work the teacher's controls: the real app on loopback, a room opened and a
proof projected, then a student (gradio_client, as a phone's script would) joins and votes,
and calls every teacher event — reveal, close voting, project, take from the queue, open with a
guessed key — by gradio_client and by raw HTTP. Each is refused and the room is as it was.
What a student sends is kept as typed and shown as text."""

from __future__ import annotations

import httpx
import pytest
from gradio_client import Client

from magistral_debugger.classroom import Classroom, SqliteRoomStore
from magistral_debugger.settings import Settings
from magistral_debugger.ui import launch
from magistral_debugger.ui.room.view import queue_label
from tests.loopback import free_port

STEPS = ("Let x = y.", "Then x² = xy.", "So x² − y² = xy − y².", "Divide by x − y: x + y = y.", "So 2 = 1.")
SCRIPT = "<script>document.title='owned'</script><img src=x onerror=alert(1)> 1 = 2"


@pytest.fixture
def served(tmp_path):
    db = tmp_path / "rooms.sqlite3"
    port = free_port()
    app = launch(Settings(_env_file=None, port=port, room_db=str(db)), block=False)
    try:
        yield app, f"http://127.0.0.1:{port}/", Classroom(SqliteRoomStore(db))
    finally:
        app.close()


def teacher_events(app) -> dict[str, int]:
    """The fn_index of each of the room's teacher events, found by the method it runs."""
    wanted = {"open_room", "from_url", "tick", "project", "reveal", "close_voting", "take"}
    found = {}
    for index, block_fn in app.fns.items():
        owner = getattr(block_fn.fn, "__self__", None)
        name = getattr(block_fn.fn, "__name__", "")
        if type(owner).__name__ == "RoomPage" and name in wanted:
            found[name] = index
    assert set(found) == wanted
    return found


def raw_call(url: str, fn_index: int, data: list, query: str = "") -> httpx.Response:
    body = {"fn_index": fn_index, "data": data, "session_hash": "student-session", "event_data": None}
    return httpx.post(f"{url}gradio_api/run/predict{query}", json=body, timeout=10)


def test_a_students_calls_to_teacher_events_are_refused_and_change_nothing(served):
    app, url, classroom = served
    code, token = classroom.open_room()
    classroom.project(code, token, STEPS)
    student = Client(url, verbose=False)
    student.predict(code, "Ana", "", api_name="/room_join")
    student.predict(5, api_name="/room_vote")
    student.predict(SCRIPT, api_name="/room_send")
    events = teacher_events(app)
    # State inputs cannot be given from outside: the session's own (empty) state is used whatever
    # is sent, here a forged one. Close and take say why; reveal and project, which the page runs
    # without a room too, do nothing for a session that has none.
    forged = {"code": code, "token": token[:-2] + "xx"}
    inputs = {"reveal": [forged, None, "en"], "close_voting": [forged, "en"], "take": [None, forged, None, "en"]}
    inputs["project"] = ["Let x = y. So 1 = 2.", forged, None, "en"]
    for name, data in inputs.items():
        with pytest.raises(Exception):  # noqa: B017, PT011 - gradio_client refuses, or the app does
            student.predict(*data, fn_index=events[name])
        reply = raw_call(url, events[name], data)
        if name in ("close_voting", "take"):
            assert "Only the teacher" in reply.text, reply.text
    guessed = raw_call(url, events["from_url"], [None, "en"], f"?room={code}&key=guessed")
    assert guessed.status_code != 200 or "Only the teacher" in guessed.text
    proof = classroom.current(code)
    assert proof.voting_open and not proof.revealed and proof.steps == STEPS
    assert classroom.tally(code).counts == {5: 1}
    queue = classroom.queue(code, token)
    assert [item.text for item in queue] == [SCRIPT]  # still waiting, as typed


def test_the_teachers_own_link_takes_the_room_back(served):
    app, url, classroom = served
    code, token = classroom.open_room()
    events = teacher_events(app)
    reply = raw_call(url, events["from_url"], [None, "en"], f"?room={code}&key={token}")
    assert reply.status_code == 200, reply.text
    assert f"Room {code}" in reply.text


def test_a_sent_proof_is_shown_as_text_in_the_teachers_menu():
    label = queue_label("", SCRIPT, "en", width=400)
    assert label.startswith("anonymous: <script>")  # the menu shows labels as text, never as markup
