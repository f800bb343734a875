"""A teacher with the teacher's link open in two tabs of the real app (two Gradio sessions on
loopback, driven over HTTP as the page drives them), each running a proof of its own in
guess-first mode against the loopback model server: Project this one puts a tab's proof
before the class without a run; Reveal in the tab whose proof is not up is refused and the
phones learn nothing; a verdict that comes in after Reveal reaches only the proof its own
tab put up."""

from __future__ import annotations

import pytest
from gradio_client import Client

from magistral_debugger.prompting.steps import Proof
from tests.loopback import Reply, chat_stream, paced
from tests.ui.room_sessions import Tab, served_room
from tests.ui.test_guess_first import ANSWER, PROOF, REASONING

OTHER = "Let a = 1.\nThen a² = a.\nSo a² − 1 = a − 1.\nDivide by a − 1: a + 1 = 1.\nSo 2 = 1."
REFUSED = "The class is voting on another tab's proof, not this one"


@pytest.fixture
def served(srv, tmp_path):
    srv.route("POST", "/api/chat", Reply(body=paced(chat_stream("ollama", REASONING, ANSWER), 0.3)))
    with served_room(str(tmp_path / "rooms.sqlite3"), ollama_url=srv.url, model="magistral") as served:
        yield served


@pytest.fixture
def room(served):
    code, token = served.classroom.open_room()
    return code, token, *(teacher_tab(served, code, token) for _ in range(2))


def teacher_tab(served, code: str, token: str) -> Tab:
    tab = Tab(served)
    tab.open_teacher_link(code, token)
    tab.page("set_guess_first", True, None)
    return tab


def debug_in_room(tab: Tab, text: str):
    """Debug pressed in a tab: its proof goes up (the room's event on the same click), its run starts."""
    assert tab.room("project", text, None, None, "en").status_code == 200
    return tab.debug(text)


def chats(srv) -> int:
    return sum(1 for request in srv.requests if request.path == "/api/chat")


def test_project_this_one_puts_the_tabs_proof_up_without_a_new_run(served, room, srv):
    code, token, first, second = room
    debug_in_room(first, PROOF).finish()
    debug_in_room(second, OTHER).finish()
    assert served.classroom.current(code).steps == tuple(Proof.of(OTHER).steps)
    runs = chats(srv)
    first.room("project_this", PROOF, None, None, "en").raise_for_status()
    up = served.classroom.current(code)
    assert up.steps == tuple(Proof.of(PROOF).steps) and up.voting_open
    phone = Client(served.url, verbose=False)
    phone.predict(code, "Ana", "", api_name="/room_join")
    phone.predict(4, api_name="/room_vote")
    first.room("project_this", PROOF, None, None, "en").raise_for_status()  # again: the same proof stays up
    assert served.classroom.current(code).id == up.id and served.classroom.tally(code).counts == {4: 1}
    assert chats(srv) == runs  # no run was started


def test_reveal_in_the_tab_whose_proof_is_not_up_is_refused_and_the_phones_learn_nothing(served, room):
    code, token, first, second = room
    phone = Client(served.url, verbose=False)
    phone.predict(code, "Ana", "", api_name="/room_join")
    debug_in_room(first, PROOF).finish()
    debug_in_room(second, OTHER).finish()
    refused = first.room("reveal", None, None, "en")
    assert REFUSED in refused.text, refused.text
    assert not served.classroom.current(code).revealed
    assert phone.predict(api_name="/room_poll")[2] == ""  # nothing revealed on the phone
    second.room("reveal", None, None, "en").raise_for_status()
    revealed = served.classroom.current(code)
    assert revealed.revealed and revealed.model_step == 4 and revealed.steps == tuple(Proof.of(OTHER).steps)


def test_a_verdict_that_comes_after_reveal_reaches_only_the_proof_its_tab_put_up(served, room, srv):
    code, token, first, second = room
    running = debug_in_room(first, PROOF)
    srv.wait_for_request("/api/chat", timeout=30)
    first.room("reveal", None, None, "en").raise_for_status()  # pressed while the run goes on
    assert served.classroom.current(code).model_step is None
    # The second tab puts its proof up and reveals it before any run of its own has a verdict.
    second.room("project", OTHER, None, None, "en").raise_for_status()
    second.room("reveal", None, None, "en").raise_for_status()
    assert served.classroom.current(code).revealed and served.classroom.current(code).model_step is None
    running.finish()
    first.room("tick", None, None, "en").raise_for_status()
    assert served.classroom.current(code).model_step is None  # the first tab's verdict stayed its own


def test_a_verdict_that_comes_after_reveal_reaches_the_phones_on_the_next_tick(served, room, srv):
    code, token, first, _ = room
    running = debug_in_room(first, PROOF)
    srv.wait_for_request("/api/chat", timeout=30)
    first.room("reveal", None, None, "en").raise_for_status()
    running.finish()
    first.room("tick", None, None, "en").raise_for_status()
    assert served.classroom.current(code).model_step == 4
