"""The page's stylesheets and scripts are files in the package, and what Python and they share
(element ids) agrees."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from magistral_debugger.ui import reasoning_pane, theme
from magistral_debugger.ui.assets import static_path, static_text

ROOT = Path(__file__).parents[2]
STATIC = ["page.css", "page.js", "reasoning_pane.css", "reasoning_pane.js"]


def test_the_static_files_ship_as_package_data_and_are_found_through_importlib_resources():
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "static/*" in package_data["package-data"]["magistral_debugger.ui"]
    for name in STATIC:
        assert static_path(name).is_file()
        assert static_text(name).strip()


def test_the_page_loads_the_pane_stylesheet_first_and_both_scripts_once():
    assert [path.name for path in theme.CSS_PATHS] == ["reasoning_pane.css", "page.css"]
    # One function for Gradio to call after mount, holding the page's script, then the pane's.
    assert theme.PAGE_JS == "() => {\n" + static_text("page.js") + "\n" + static_text("reasoning_pane.js") + "\n}"


def test_every_event_snippet_calls_a_function_that_page_js_defines():
    page_js = static_text("page.js")
    snippets = {
        name: value
        for name, value in vars(theme).items()
        if name.endswith("_JS") and name not in ("PAGE_JS", "REASONING_PANE_JS")
    }
    assert snippets
    for name, snippet in snippets.items():
        assert "\n" not in snippet, name
        called = re.fullmatch(r"\(\w*\) => magistral\.(\w+)\(\w*\)", snippet)
        assert called, snippet
        assert re.search(rf"^    {called[1]}: \(", page_js, re.M), f"{name}: page.js has no magistral.{called[1]}"


def test_the_panes_element_ids_are_the_ones_its_stylesheet_and_script_use():
    css, js = static_text("reasoning_pane.css"), static_text("reasoning_pane.js")
    pane = reasoning_pane
    for elem_id in (pane.PANE_ID, pane.SCROLL_ID, pane.CONTENT_ID, pane.LATEST_ID):
        assert f"#{elem_id}" in css + js
        assert elem_id in js
    assert f"#{reasoning_pane.RAW_ID}" in css
