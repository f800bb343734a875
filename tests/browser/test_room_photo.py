"""A phone sends a photo of its proof, in Debian's Chromium: the phone (390x844) joins by the
projector's link and sends a photo with a line of text; the projector's queue marks it 📷, and
Take puts the text in the proof box and the photo in the photo box (the model reads images)."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from magistral_debugger.settings import Settings
from magistral_debugger.ui import launch
from tests.accessibility import assert_no_serious_violations
from tests.browser.screen import ARTIFACTS
from tests.loopback import Reply, free_port

pytestmark = pytest.mark.browser

VISION = Reply(
    body=[b'{"capabilities":["completion","thinking","vision"],"details":{},"model_info":{}}'],
    content_type="application/json",
)


@pytest.fixture
def room_url(srv, tmp_path):
    srv.route("POST", "/api/show", VISION)
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


def written_proof(path):
    image = Image.new("RGB", (1200, 900), "white")
    ImageDraw.Draw(image).text((60, 60), "x = y  =>  x^2 - y^2 = xy - y^2  =>  x + y = y  =>  2 = 1", fill="black")
    image.save(path, format="JPEG")
    return path


def test_a_phone_sends_a_photo_and_the_teacher_takes_it_into_the_boxes(browser, room_url, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    projector = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    projector.set_default_timeout(60_000)
    projector.goto(room_url + "?room")
    projector.locator("#photo").wait_for()  # shown: the model reads images
    link = projector.locator("#room-card .room-link a").get_attribute("href")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    phone.set_default_timeout(60_000)
    phone.goto(link)
    phone.locator("#phone-name textarea").fill("Ana")
    phone.locator("#phone-join-button").click()
    phone.locator("#phone-send").click()  # the accordion
    phone.locator("#phone-proof textarea").fill("Where does mine break?")
    phone.locator("#phone-photo input[type=file]").set_input_files(str(written_proof(tmp_path / "proof.jpg")))
    phone.locator("#phone-photo img").wait_for()
    phone.locator("#phone-send-button").click()
    phone.locator("#phone-sent", has_text="Sent").wait_for()
    phone.screenshot(path=str(ARTIFACTS / "room_phone_photo_sent_390x844.png"))
    assert_no_serious_violations(phone, "a phone that sent a photo")

    projector.locator("#room-queue input").click()
    projector.get_by_role("option", name="📷 Ana: Where does mine break?").click()
    projector.locator("#room-take").click()
    projector.wait_for_function("() => document.querySelector('#proof textarea')?.value === 'Where does mine break?'")
    projector.locator("#photo img").wait_for()
    projector.screenshot(path=str(ARTIFACTS / "room_projector_photo_taken_1280x720.png"))
