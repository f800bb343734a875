"""The room's rules on a real SQLite file: the teacher's token, one changeable vote per student
per proof until voting closes, what a student may send, and two stores on one file (two app
processes) seeing the same room."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from magistral_debugger.classroom import Classroom, NotTeacher, RoomClosed, SendRefused, SqliteRoomStore
from magistral_debugger.classroom.room import CODE_ALPHABET, CODE_LENGTH, MAX_SEND_CHARS, NO_FLAW, SENDS_PER_WINDOW

STEPS = ("Assume x = y.", "Then x² = xy.", "So x² − y² = xy − y².", "(x+y)(x−y) = y(x−y).", "x + y = y.")


@pytest.fixture
def db(tmp_path):
    return tmp_path / "rooms.sqlite3"


@pytest.fixture
def room(db):
    classroom = Classroom(SqliteRoomStore(db))
    code, token = classroom.open_room()
    return classroom, code, token


def test_the_file_is_in_wal_mode_and_made_only_when_first_used(db):
    store = SqliteRoomStore(db)
    assert not db.exists()
    assert store.journal_mode() == "wal"
    assert db.exists()


def test_a_room_code_is_short_and_unambiguous_and_the_token_is_only_hashed(room, db):
    classroom, code, token = room
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    assert len(token) >= 32
    dump = "\n".join(sqlite3.connect(db).iterdump())
    assert token not in dump


def test_only_the_token_holder_projects_closes_reveals_and_reads_the_queue(room):
    classroom, code, token = room
    other_code, other_token = classroom.open_room()
    for wrong in ("", "guess", other_token, token[:-1]):
        with pytest.raises(NotTeacher):
            classroom.project(code, wrong, STEPS)
        with pytest.raises(NotTeacher):
            classroom.reveal(code, wrong, 5, "division by zero", proof=None)
        with pytest.raises(NotTeacher):
            classroom.close_voting(code, wrong)
        with pytest.raises(NotTeacher):
            classroom.queue(code, wrong)
        with pytest.raises(NotTeacher):
            classroom.take(code, wrong, 1)
    assert classroom.current(code) is None
    classroom.project(code, token, STEPS)
    assert classroom.current(code).steps == STEPS


def test_one_vote_per_student_per_proof_changeable_until_voting_closes(room):
    classroom, code, token = room
    ana, ben = classroom.join(code, "Ana"), classroom.join(code, "")
    proof = classroom.project(code, token, STEPS)
    assert classroom.vote(code, ana, proof, 3)
    assert classroom.vote(code, ana, proof, 5)  # changed
    assert classroom.vote(code, ben, proof, NO_FLAW)
    assert classroom.tally(code).counts == {5: 1, NO_FLAW: 1}
    classroom.close_voting(code, token)
    assert not classroom.vote(code, ana, proof, 2)
    assert classroom.tally(code).counts == {5: 1, NO_FLAW: 1}
    assert classroom.vote_of(code, ana) == 5


def test_a_vote_for_a_step_the_proof_lacks_or_an_old_proof_is_refused(room):
    classroom, code, token = room
    ana = classroom.join(code, "Ana")
    first = classroom.project(code, token, STEPS)
    with pytest.raises(ValueError):
        classroom.vote(code, ana, first, len(STEPS) + 1)
    second = classroom.project(code, token, STEPS[:3])
    with pytest.raises(RoomClosed):
        classroom.vote(code, ana, first, 1)
    assert classroom.vote(code, ana, second, 1)
    with pytest.raises(RoomClosed):
        classroom.vote(code, "not-a-student", second, 1)


def test_a_mistyped_code_finds_no_room_and_a_typed_one_is_read_generously(room):
    classroom, code, _ = room
    with pytest.raises(RoomClosed):
        classroom.join("ZZZZZ" if code != "ZZZZZ" else "YYYYY", "Ana")
    student = classroom.join(f" {code[:2].lower()} {code[2:].lower()} ", "Ana")
    assert classroom.joined(code) == 1
    assert classroom.join(code, "Ana again", student) == student  # a phone reloading keeps its place
    assert classroom.joined(code) == 1


def test_reveal_closes_voting_and_says_the_class_and_the_model_answer(room):
    classroom, code, token = room
    proof = classroom.project(code, token, STEPS)
    students = [classroom.join(code, f"s{i}") for i in range(8)]
    for student, choice in zip(students, [5, 5, 5, 5, 5, 2, 2, NO_FLAW], strict=True):
        classroom.vote(code, student, proof, choice)
    tally = classroom.reveal(code, token, 5, "division by zero", proof=proof)
    assert tally.leading() == 5 and tally.share(5) == pytest.approx(5 / 8)
    assert tally.as_json() == {
        "votes": 8,
        "counts": {"none": 1, "2": 2, "5": 5},
        "class_answer": 5,
        "model_answer": 5,
    }
    assert not classroom.vote(code, students[7], proof, 5)


def test_a_sent_proof_is_kept_as_typed_and_limited_in_length_and_rate(room):
    classroom, code, token = room
    ana = classroom.join(code, "Ana")
    script = "<script>alert('x')</script> 1 = 2"
    classroom.send(code, ana, "Ana", script)
    with pytest.raises(SendRefused) as empty:
        classroom.send(code, ana, "Ana", "   ")
    assert empty.value.reason == "room_send_empty"
    with pytest.raises(SendRefused) as long:
        classroom.send(code, ana, "Ana", "x" * (MAX_SEND_CHARS + 1))
    assert long.value.reason == "room_send_too_long"
    for _ in range(SENDS_PER_WINDOW - 1):
        classroom.send(code, ana, "", "Another proof")
    with pytest.raises(SendRefused) as often:
        classroom.send(code, ana, "", "One too many")
    assert often.value.reason == "room_send_too_often"
    queue = classroom.queue(code, token)
    assert [item.text for item in queue][0] == script and queue[0].name == "Ana" and queue[1].name == ""
    taken = classroom.take(code, token, queue[0].id)
    assert taken is not None and taken.text == script
    assert classroom.take(code, token, queue[0].id) is None  # taken once
    assert [item.id for item in classroom.queue(code, token)] == [item.id for item in queue[1:]]


def test_two_stores_on_one_file_see_one_room_and_one_count(room, db):
    first, code, token = room
    second = Classroom(SqliteRoomStore(db))
    proof = second.project(code, token, STEPS)
    errors: list[BaseException] = []

    def vote_from(classroom: Classroom, count: int) -> None:
        try:
            for index in range(count):
                student = classroom.join(code, f"{id(classroom)}-{index}")
                classroom.vote(code, student, proof, 1 + index % len(STEPS))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=vote_from, args=(c, 40)) for c in (first, second, first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert first.joined(code) == second.joined(code) == 160
    assert first.tally(code).total == second.tally(code).total == 160
