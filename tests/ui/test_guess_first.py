"""Guess-first's two reveals in the page's handlers, against a loopback model: "Show reasoning"
gives the reasoning so far, and the run goes on streaming the rest of it, while the answer and
the verdict stay covered until Reveal; Reveal uncovers everything; a new run is covered again."""

from __future__ import annotations

import asyncio

from magistral_debugger.i18n import t
from magistral_debugger.ui.handlers import DebuggerPage, LiveRun
from tests.loopback import Reply, Sleep, chat_stream
from tests.runs import settings_for

PROOF = "Let x = y.\nThen x² = xy.\nSo x² − y² = xy − y².\nDivide both sides by x − y: x + y = y.\nSo 2 = 1."
REASONING = [
    "Step 1 sets x = y. ",
    "Step 2 multiplies by x. ",
    "Step 3 subtracts y². ",
    "Step 4 divides by x − y, ",
    "which vanishes. ",
]
ANSWER = ["Step 4 cancels a factor that vanishes: $x - y = 0$.\n\n", "Flawed step: 4 (division by zero)"]
FIRST_THOUGHTS = "".join(REASONING[:2])
# Between the first thoughts and the rest: long enough for a browser on a loaded machine to show them.
PAUSE = 5.0


def pausing_reply() -> Reply:
    """The first two thoughts, a pause in which the test shows the reasoning, then the rest."""
    lines = chat_stream("ollama", REASONING, ANSWER)
    return Reply(body=[*lines[:2], Sleep(PAUSE), *lines[2:]])


def guess_first_page(srv) -> tuple[DebuggerPage, LiveRun]:
    page, live = DebuggerPage(settings_for(srv, model="magistral")), LiveRun()
    page.set_guess_first(True, live)
    return page, live


async def debug_to_end(page: DebuggerPage, live: LiveRun) -> list[tuple]:
    return [update async for update in page.debug(PROOF, live=live)]


def shelves_text(shelves) -> str:
    return "".join(shelf for shelf in shelves if isinstance(shelf, str))


def test_show_reasoning_gives_the_reasoning_so_far_then_the_rest_streams_while_the_answer_stays_covered(srv):
    srv.route("POST", "/api/chat", pausing_reply())
    page, live = guess_first_page(srv)

    async def go() -> tuple:
        run = asyncio.create_task(debug_to_end(page, live))
        while live.run is None or live.run.state.reasoning != FIRST_THOUGHTS:
            assert not run.done()
            await asyncio.sleep(0.01)
        accordion, *shelves = await page.reveal_reasoning(live)
        return accordion, shelves, await run

    accordion, shelves, updates = asyncio.run(asyncio.wait_for(go(), 30))
    assert shelves_text(shelves) == FIRST_THOUGHTS.strip()
    assert accordion.open  # opened for the room to read, even after the answer has folded it away
    assert all(update[3].get("open") is not False for update in updates)  # and the covered answer does not fold it
    reasoning, answer, status, *_, verdict = updates[-1]
    assert reasoning == "".join(REASONING).strip()  # what came after the reveal, streamed
    assert answer == t("covered_answer") and verdict is None
    assert "cancels" not in status and "Flawed" not in status

    answer, _, accordion, verdict, *_ = asyncio.run(page.reveal(live))
    assert "cancels a factor" in answer
    assert (verdict["type"], verdict["step"]) == ("verdict", 4)
    assert accordion.open is False  # the answer takes the stage


def test_a_new_run_covers_the_reasoning_again_and_reveal_uncovers_it_with_the_answer(srv):
    srv.route("POST", "/api/chat", Reply(body=chat_stream("ollama", REASONING, ANSWER)))
    page, live = guess_first_page(srv)
    asyncio.run(debug_to_end(page, live))
    _, *shelves = asyncio.run(page.reveal_reasoning(live))
    assert "multiplies" in shelves_text(shelves)

    updates = asyncio.run(debug_to_end(page, live))
    assert {update[0] for update in updates} == {t("covered_reasoning")}
    answer, _, _, _, *shelves = asyncio.run(page.reveal(live))
    assert "cancels a factor" in answer
    assert shelves_text(shelves) == "".join(REASONING).strip()
