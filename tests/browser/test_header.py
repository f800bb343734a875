"""The header on a phone: each checkbox's label is there in full, in every language the page speaks."""

from __future__ import annotations

import pytest

from magistral_debugger.i18n import t
from tests.browser.conftest import browser  # noqa: F401
from tests.browser.screen import ARTIFACTS
from tests.conftest import serve_app
from tests.loopback import dead_url

# Each label element of the header's checkboxes: its own text box is no narrower than its text,
# and nothing around it (the checkbox's block, the row) cuts it off.
CLIPPED_LABELS_JS = """() => [...document.querySelectorAll('#header-side label')].flatMap(label => {
  const text = label.querySelector('span:not(:empty)') || label;
  const box = text.getBoundingClientRect();
  const out = [];
  if (text.scrollWidth > text.clientWidth + 1) out.push(`${text.textContent} overflows its box`);
  for (let up = text.parentElement; up && up.id !== 'header-side'; up = up.parentElement) {
    const style = getComputedStyle(up);
    if (style.overflow === 'visible' && style.overflowX === 'visible') continue;
    const frame = up.getBoundingClientRect();
    if (box.left < frame.left - 1 || box.right > frame.right + 1) out.push(`${text.textContent} cut by ${up.className}`);
  }
  if (box.right > window.innerWidth + 1) out.push(`${text.textContent} runs off the screen`);
  return out;
})"""
# The health line's commands (the three ways to a model server) stay inside the line's box.
COMMANDS_OFF_SCREEN_JS = """() => {
  const right = document.getElementById('health').getBoundingClientRect().right;
  return [...document.querySelectorAll('#health code')]
    .filter(code => code.getBoundingClientRect().right > right + 1).map(code => code.textContent);
}"""


@pytest.fixture(scope="module")
def app_url():
    with serve_app(ollama_url=dead_url()) as url:
        yield url


@pytest.mark.parametrize("lang", ["en", "pt", "es", "zh-CN", "vi"])
def test_the_header_labels_are_not_clipped_on_a_phone(browser, app_url, lang):  # noqa: F811
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2, locale=lang
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(app_url)
        presenter = page.locator("#presenter label")
        presenter.wait_for()
        page.locator("#health").filter(has_text="ollama serve").wait_for()  # the page is worded and checked
        page.locator("#presenter label").filter(has_text=t("presenter_mode", lang)).wait_for()  # worded
        assert page.evaluate(CLIPPED_LABELS_JS) == []
        assert page.evaluate(COMMANDS_OFF_SCREEN_JS) == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"header_390x844_{lang}.png"))
    finally:
        context.close()
