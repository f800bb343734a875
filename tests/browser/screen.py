"""What the browser tests read off the page, and where they leave its screenshots."""

from __future__ import annotations

import re
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TAG = re.compile(r"\[/?THINK\]|</?think>")


def start_debug(page, url: str, text: str) -> None:
    page.goto(url)
    page.locator("#proof textarea").fill(text)
    page.locator("#debug").click()


def reasoning_text(page) -> str:
    return page.locator("#reasoning-content").inner_text().strip()


def answer_text(page) -> str:
    return page.locator("#answer").inner_text()


def status_text(page) -> str:
    return page.locator("#status").inner_text()
