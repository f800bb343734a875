"""The class takes part, in Debian's Chromium: a projector opens a room (``?room``) and runs a
proof in guess-first mode; 30 phones (390x844) join by the link the projector shows, vote on
the step, some change their vote; the projector's bars count exactly those votes; nothing of
the answer reaches a phone's page before Reveal; Reveal sets the model's verdict beside the
class's answer on the projector and on every phone, and the run's JSON export holds the votes.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from magistral_debugger.classroom.room import NO_FLAW
from magistral_debugger.settings import Settings
from magistral_debugger.ui import launch
from tests.accessibility import assert_no_serious_violations
from tests.browser.screen import ARTIFACTS
from tests.loopback import Reply, chat_stream, free_port, paced
from tests.ui.test_guess_first import ANSWER, PROOF, REASONING

pytestmark = pytest.mark.browser

PHONES = int(__import__("os").environ.get("ROOM_PHONES", "30"))
# Words of the answer and the reasoning found nowhere else (the page's words for every language,
# which Gradio sends each page, name the kinds of flaw and "The model says" for any proof).
SPOILERS = ["cancels a factor", "vanishes", "multiplies"]
# What the phones vote first, then the three who change their minds.
FIRST = ([4] * 18 + [5] * 6 + [NO_FLAW] * 3 + [2] * 3)[:PHONES]
CHANGED = {k: 4 for k in (18, 19, 20) if k < PHONES} or {0: 5}  # three of the step-5 voters move to step 4


@pytest.fixture
def room_url(srv, tmp_path):
    """The app, whose join link is its own loopback address (as MAGISTRAL_PUBLIC_URL names a proxy's)."""
    srv.route("POST", "/api/chat", Reply(body=paced(chat_stream("ollama", REASONING, ANSWER), 0.3)))
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    settings = Settings(
        _env_file=None,
        port=port,
        public_url=url,
        ollama_url=srv.url,
        model="magistral",
        room_db=str(tmp_path / "rooms.sqlite3"),
    )
    app = launch(settings, block=False)
    try:
        yield url
    finally:
        app.close()


def phone_spoilers(page) -> list[str]:
    text = page.evaluate("document.body.innerText").lower()
    markup = page.content().lower()
    found = [word for word in SPOILERS if word in text or word in markup]
    found += [mark for mark in (".room-bar-model", ".room-model-mark", ".verdict-badge") if page.locator(mark).count()]
    reveal = page.locator("#phone-reveal [data-testid='markdown']").inner_text().strip()
    return found + ([reveal] if reveal else [])


def bar_counts(projector) -> dict[int, int]:
    """Each bar's count, read in one go (the bars are redrawn as votes come in)."""
    rows = projector.evaluate(
        "() => [...document.querySelectorAll('#room-bars .room-bar-row')].map(r => [r.dataset.choice, r.dataset.count])"
    )
    return {int(choice): int(count) for choice, count in rows}


def vote(phone, choice: int) -> None:
    button = phone.locator("#phone-no-flaw" if choice == NO_FLAW else f"#phone-step-{choice}")
    button.click()
    phone.locator("#phone-status", has_text="Your vote").wait_for()


@pytest.mark.timeout(1500)
def test_thirty_phones_vote_and_reveal_sets_the_model_beside_the_class(browser, room_url):
    url = room_url
    ARTIFACTS.mkdir(exist_ok=True)
    projector_context = browser.new_context(viewport={"width": 1280, "height": 720})
    projector = projector_context.new_page()
    projector.set_default_timeout(90_000)
    projector.goto(url + "?presenter&reveal&room")
    code = projector.locator("#room-card .room-code").inner_text().split()[-1]
    link = projector.locator("#room-card .room-link a").get_attribute("href")
    assert link == f"{url}room?code={code}"
    assert projector.locator("#room-card svg").count() == 1  # the QR code
    projector.locator("#proof textarea").fill(PROOF)
    projector.locator("#debug").click()
    projector.locator("#room-bars .room-bar-row").first.wait_for()

    contexts, phones = [], []
    for index in range(PHONES):
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        phone = context.new_page()
        phone.set_default_timeout(90_000)  # 30 browsers on a shared 2-core machine
        phone.goto(link)
        # the code comes from the link
        phone.wait_for_function("(c) => document.querySelector('#phone-code textarea')?.value === c", arg=code)
        phone.locator("#phone-name textarea").fill(f"Student {index}" if index % 3 else "")
        phone.locator("#phone-join-button").click()
        phone.locator("#phone-step-5").wait_for()
        contexts.append(context)
        phones.append(phone)
    projector.locator("#room-card .room-joined", has_text=f"{PHONES} joined").wait_for()
    for phone, choice in zip(phones, FIRST, strict=True):
        vote(phone, choice)
    for index, choice in CHANGED.items():
        vote(phones[index], choice)
        phones[index].locator(f"#phone-step-{choice}.primary").wait_for()
    final = Counter({i: c for i, c in enumerate(FIRST)} | CHANGED)
    expected = Counter(final.values())
    projector.locator(f"#room-bars .room-bars[data-total='{PHONES}']").wait_for()
    projector.wait_for_function(
        "(n) => document.querySelector('#room-bars .room-bar-row[data-choice=\"4\"]')?.dataset.count == n",
        arg=str(expected[4]),
    )
    assert bar_counts(projector) == {choice: expected.get(choice, 0) for choice in (1, 2, 3, 4, 5, NO_FLAW)}
    projector.locator("#status", has_text="The answer is ready").wait_for()
    for phone in (phones[0], phones[PHONES // 2], phones[-1]):
        assert phone_spoilers(phone) == []
    phones[1].screenshot(path=str(ARTIFACTS / "room_phone_voted_390x844.png"))
    assert_no_serious_violations(phones[1], "a phone in the room, voted")
    projector.screenshot(path=str(ARTIFACTS / "room_projector_votes_1280x720.png"))

    projector.locator("#reveal").click()
    summary = projector.locator("#room-bars .room-summary")
    summary.wait_for()
    assert summary.inner_text() == f"{round(100 * expected[4] / PHONES)} % chose step 4 — so did the model"
    assert projector.locator("#room-bars .room-bar-model").get_attribute("data-choice") == "4"
    projector.screenshot(path=str(ARTIFACTS / "room_projector_revealed_1280x720.png"))
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.screenshot(path=str(ARTIFACTS / "room_projector_revealed_1920x1080.png"))
    for phone in phones:
        phone.locator("#phone-reveal", has_text="The model says: step 4").wait_for()
    phones[1].screenshot(path=str(ARTIFACTS / "room_phone_revealed_390x844.png"))
    assert_no_serious_violations(phones[1], "a phone in the room, revealed")
    # a vote after Reveal is not counted
    phones[0].locator("#phone-step-1").wait_for()
    assert phones[0].locator("#phone-step-1").is_disabled()

    with projector.expect_download() as download:
        projector.locator("#download-json").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["class_vote"]["votes"] == PHONES
    assert exported["class_vote"]["counts"]["4"] == expected[4]
    assert exported["class_vote"]["model_answer"] == 4
    for context in [*contexts, projector_context]:
        context.close()
