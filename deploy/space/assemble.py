"""Lays out a Hugging Face Space's repository: ``python deploy/space/assemble.py OUT``.

OUT gets this folder's README.md (the Space's front matter), requirements.txt and app.py, and
the package beside them, its prompts inside it as the installed package has them, so that
``python app.py`` there imports it with nothing else installed but the requirements.
Then push OUT to the Space (README, "Public mode on a Hugging Face Space").
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SPACE_FILES = ("README.md", "requirements.txt", "app.py")
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc")


def assemble(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for name in SPACE_FILES:
        shutil.copy2(HERE / name, out / name)
    package = out / "magistral_debugger"
    if package.exists():
        shutil.rmtree(package)
    shutil.copytree(REPO / "magistral_debugger", package, ignore=SKIP)
    shutil.copytree(REPO / "prompts", package / "prompts", ignore=SKIP)
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python deploy/space/assemble.py OUT_FOLDER")
    print(assemble(Path(sys.argv[1])))
