"""Which proof is before the class, by the room's rules on a real SQLite file: a teacher may
put up a proof from each of several tabs; Reveal names the proof its tab put up and is
refused for any other, so one tab never reveals another's; the votes of a proof stay its own
once another is up."""

from __future__ import annotations

import pytest

from magistral_debugger.classroom import Classroom, NotProjected, SqliteRoomStore

FIRST = ("Let x = y.", "Then x² = xy.", "Divide by x − y: x + y = y.", "So 2 = 1.")
SECOND = ("Let a = 1.", "Then a² = a.", "So a = 0.")


@pytest.fixture
def room(tmp_path):
    classroom = Classroom(SqliteRoomStore(tmp_path / "rooms.sqlite3"))
    code, token = classroom.open_room()
    return classroom, code, token


def test_reveal_of_a_proof_that_is_not_the_one_up_is_refused_and_reveals_nothing(room):
    classroom, code, token = room
    first = classroom.project(code, token, FIRST)
    second = classroom.project(code, token, SECOND)  # another tab put its proof up
    for wrong in (first, None):
        with pytest.raises(NotProjected):
            classroom.reveal(code, token, 3, "division by zero", proof=wrong)
    assert not classroom.current(code).revealed
    tally = classroom.reveal(code, token, 3, "a² = a has two roots", proof=second)
    assert tally.proof.id == second and tally.proof.revealed and tally.proof.model_step == 3


def test_the_votes_on_a_proof_stay_its_own_once_another_is_up(room):
    classroom, code, token = room
    first = classroom.project(code, token, FIRST)
    ana = classroom.join(code, "Ana")
    classroom.vote(code, ana, first, 3)
    classroom.project(code, token, SECOND)
    assert classroom.tally(code).total == 0
    assert classroom.tally_of(first).counts == {3: 1} and classroom.tally_of(first).proof.steps == FIRST
