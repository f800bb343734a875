"""A phone's timer is cheap and still misses nothing: an unchanged tick reads no tally and draws
nothing (its answer, a counter, stays the same), while a new proof, the close of voting, Reveal
and the student's own vote (even made in another tab or through another app process on the same
room file) move it, and the redraw it sets off shows them. Nothing of the answer is in the tick."""

from __future__ import annotations

import gradio as gr
import pytest

from magistral_debugger.classroom import Classroom, SqliteRoomStore
from magistral_debugger.settings import Settings
from magistral_debugger.ui import build_app
from magistral_debugger.ui.room.layout import PHONE_TICK_S, TICK_S
from magistral_debugger.ui.room.page import RoomPage, StudentSession

STEPS = ("Let x = y.", "Then x² = xy.", "So x² − y² = xy − y².", "Divide by x − y: x + y = y.", "So 2 = 1.")


class CountingStore(SqliteRoomStore):
    """The app's store, counting the tallies it is asked for."""

    tallies = 0

    def counts(self, proof_id: int) -> dict[int, int]:
        self.tallies += 1
        return super().counts(proof_id)


@pytest.fixture
def rooms(tmp_path):
    """The phone's app (its page and store) and, on the same file, the teacher's other process."""
    db = tmp_path / "rooms.sqlite3"
    store = CountingStore(db)
    page = RoomPage(Settings(_env_file=None, room_db=str(db)), classroom=Classroom(store))
    teacher = Classroom(SqliteRoomStore(db))
    code, token = teacher.open_room()
    return page, store, teacher, code, token


def drew(outputs: tuple) -> bool:
    """Whether a poll's reply draws the phone (anything but skips)."""
    return any(value != gr.skip() for value in outputs)


def joined(page: RoomPage, code: str, known: str = "") -> StudentSession:
    student = StudentSession()
    page.join(code, "Ana", known, student, "en")
    assert drew(page.poll(student))  # the join's own draw, as the page runs it after joining
    return student


def test_an_unchanged_tick_reads_no_tally_and_its_answer_stays_the_same(rooms):
    page, store, teacher, code, token = rooms
    teacher.project(code, token, STEPS)
    phone = joined(page, code)
    before = store.tallies
    answers = {page.phone_tick(phone) for _ in range(20)}
    assert answers == {"0"}  # the page's own starting value: no change event, no redraw
    assert store.tallies == before


def test_a_new_proof_close_and_reveal_from_another_process_move_the_tick_once_each(rooms):
    page, _, teacher, code, token = rooms
    phone = joined(page, code)  # no proof yet: "waiting"
    seen = page.phone_tick(phone)
    for change in (
        lambda: teacher.project(code, token, STEPS),
        lambda: teacher.close_voting(code, token),
        lambda: teacher.reveal(code, token, 4, "division by zero", proof=teacher.current(code).id),
    ):
        change()
        moved = page.phone_tick(phone)
        assert moved != seen and moved.isdigit()
        assert page.phone_tick(phone) == moved  # asked again before the redraw: it does not move twice
        outputs = page.poll(phone)  # the change event's redraw
        assert drew(outputs)
        assert page.phone_tick(phone) == moved  # drawn: nothing new
        seen = moved
    title, status, revealed, *buttons = outputs
    assert "step 4" in revealed.lower() and "division by zero" in revealed


def test_the_phones_own_vote_shows_at_once_and_costs_no_second_draw(rooms):
    page, _, teacher, code, token = rooms
    teacher.project(code, token, STEPS)
    phone = joined(page, code)
    seen = page.phone_tick(phone)
    outputs = page.vote(4, phone)
    assert drew(outputs) and "step 4" in outputs[1].lower()
    assert page.phone_tick(phone) == seen  # the vote's reply drew it: the tick sets off no redraw


def test_a_vote_from_the_same_student_in_another_tab_or_process_moves_the_tick(rooms):
    page, _, teacher, code, token = rooms
    proof = teacher.project(code, token, STEPS)
    phone = joined(page, code)
    seen = page.phone_tick(phone)
    teacher.vote(code, phone.student, proof, 2)  # the same student's id, voting elsewhere
    assert page.phone_tick(phone) != seen
    assert "step 2" in page.poll(phone)[1].lower()


def test_before_reveal_neither_the_tick_nor_the_redraw_names_the_models_answer(rooms):
    page, _, teacher, code, token = rooms
    teacher.project(code, token, STEPS)
    phone = joined(page, code)
    teacher.close_voting(code, token)
    assert page.phone_tick(phone).isdigit()
    title, status, revealed, *_ = page.poll(phone)
    assert revealed == ""


def test_the_phones_timer_only_asks_and_its_answers_change_runs_the_draw(tmp_path):
    """The wiring: the phone's tick has one output, whose change event draws the phone's 28; the
    projector keeps its own, faster timer."""
    app = build_app(Settings(_env_file=None, room_db=str(tmp_path / "rooms.sqlite3")))
    config = app.get_config_file()
    components = {c["id"]: c for c in config["components"]}
    phone_deps = set(config["page"]["room"]["dependencies"])
    ticks = {
        d["id"]: d
        for d in config["dependencies"]
        if any(components.get(t[0], {}).get("type") == "timer" for t in d["targets"])
    }
    phone_tick = next(d for i, d in ticks.items() if i in phone_deps)
    projector_tick = next(d for i, d in ticks.items() if i not in phone_deps)
    assert components[phone_tick["targets"][0][0]]["props"]["value"] == PHONE_TICK_S > TICK_S
    assert components[projector_tick["targets"][0][0]]["props"]["value"] == TICK_S
    (watched,) = phone_tick["outputs"]
    draws = [d for d in config["dependencies"] if (watched, "change") in map(tuple, d["targets"])]
    assert len(draws) == 1 and len(draws[0]["outputs"]) == 28
