"""The page's stylesheets and scripts: real files in ``static/``, shipped as package data
(pyproject.toml), found with :mod:`importlib.resources` wherever the package is installed."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def static_path(name: str) -> Path:
    """A file in ``static/`` as a path on disk, for Gradio to open (``launch(css_paths=…)``).
    The package is installed unpacked (a source tree or a wheel), so it has one."""
    path = resources.files(__package__).joinpath("static", name)
    if not isinstance(path, Path):
        raise RuntimeError(f"magistral_debugger.ui is not on disk (found {path!r}): Gradio needs a file to open")
    return path


def static_text(name: str) -> str:
    """A file in ``static/``, as text."""
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def load_script(*names: str) -> str:
    """Files in ``static/`` as the one function Gradio calls once the page has mounted
    (``launch(js=…)``). It must be a function expression: a bare script is evaluated when Gradio
    reads it, which can be before the components it looks for exist (the reasoning pane's
    "↓ latest" then never showed, in two runs of three)."""
    return "() => {\n" + "\n".join(static_text(name) for name in names) + "\n}"
