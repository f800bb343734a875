"""Reading a handout back as a person would: its text per page with poppler's pdftotext, its
pages as pictures with pdftoppm (saved under test-artifacts/ to look at)."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install Debian's poppler-utils for {tool} (.ci/run does)")
        pytest.skip(f"{tool} is not installed (apt-get install poppler-utils)")
    return path


def page_text(pdf: bytes, page: int, tmp_path: Path) -> str:
    """The text of one page as pdftotext reads it."""
    source = tmp_path / "handout.pdf"
    source.write_bytes(pdf)
    done = subprocess.run(
        [_poppler("pdftotext"), "-f", str(page), "-l", str(page), "-enc", "UTF-8", str(source), "-"],
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


def page_count(pdf: bytes, tmp_path: Path) -> int:
    source = tmp_path / "count.pdf"
    source.write_bytes(pdf)
    info = subprocess.run([_poppler("pdfinfo"), str(source)], capture_output=True, check=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def fonts(pdf: bytes, tmp_path: Path) -> str:
    source = tmp_path / "fonts.pdf"
    source.write_bytes(pdf)
    return subprocess.run([_poppler("pdffonts"), str(source)], capture_output=True, check=True, text=True).stdout


def squeezed(text: str) -> str:
    """Text compared without spaces or line breaks, math letters (𝑥) as letters (x): how
    pdftotext lays out a line is not what is tested, which words are there is."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def save_pages(pdf: bytes, name: str) -> list[Path]:
    """The pages as PNG at 100 dpi in test-artifacts/ (``name``-1.png, …), to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run([_poppler("pdftoppm"), "-r", "100", "-png", str(source), str(ARTIFACTS / name)], check=True)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))
