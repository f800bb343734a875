"""Nothing lost: ``python app.py`` is killed (SIGKILL, no chance to tidy up) while the class
votes, and started again on the same room file: every vote and the queue are still there, and
a phone that comes back with the id it kept finds its own vote."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest
from gradio_client import Client

from magistral_debugger.classroom import Classroom, SqliteRoomStore
from tests.loopback import free_port
from tests.runs import REPO, child_env, stop_process

STEPS = ("Let x = y.", "Then x² = xy.", "So x² − y² = xy − y².", "Divide by x − y: x + y = y.", "So 2 = 1.")
STUDENTS = 12


def start_app(port: int, db: str, cwd) -> subprocess.Popen:
    env = child_env(MAGISTRAL_PORT=str(port), MAGISTRAL_ROOM_DB=db, MAGISTRAL_OLLAMA_URL="http://127.0.0.1:9")
    process = subprocess.Popen(
        [sys.executable, str(REPO / "app.py")], env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.3)
    stop_process(process)
    raise AssertionError("the app did not start")


@pytest.mark.timeout(400)
def test_a_killed_app_started_again_keeps_every_vote_and_the_queue(tmp_path):
    db = str(tmp_path / "rooms.sqlite3")
    classroom = Classroom(SqliteRoomStore(db))
    code, token = classroom.open_room()
    proof = classroom.project(code, token, STEPS)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    app = start_app(port, db, tmp_path)
    try:
        ids, choices = [], []
        for index in range(STUDENTS):
            phone = Client(url, verbose=False)
            known = phone.predict(code, f"Student {index}", "", api_name="/room_join")[0]
            choice = index % (len(STEPS) + 1)
            phone.predict(choice, api_name="/room_vote")
            if index < 3:
                phone.predict(f"Proof number {index}: 1 = 2", api_name="/room_send")
            ids.append(known)
            choices.append(choice)
        app.kill()  # SIGKILL: mid-class, nothing flushed on the way out
        app.wait()
        app = start_app(port, db, tmp_path)
        again = Classroom(SqliteRoomStore(db))
        assert again.tally(code).total == STUDENTS
        assert again.tally(code).counts == {c: choices.count(c) for c in set(choices)}
        assert [item.text for item in again.queue(code, token)] == [f"Proof number {i}: 1 = 2" for i in range(3)]
        assert again.current(code).id == proof and again.current(code).voting_open
        phone = Client(url, verbose=False)
        assert phone.predict(code, "Student 5", ids[5], api_name="/room_join")[0] == ids[5]
        shown = phone.predict(api_name="/room_poll")
        assert f"Your vote: step {choices[5]}" in shown[1]
        assert again.joined(code) == STUDENTS
    finally:
        stop_process(app)
