"""How the page looks: the theme here, the stylesheets and scripts in ``static/`` (page.css,
page.js, reasoning_pane.css/.js), and the one-line calls the page's events make into page.js."""

from __future__ import annotations

import gradio as gr

from .assets import load_script, static_path
from .reasoning_pane import REASONING_PANE_CSS_PATH

# System fonts only: the page must load with no request leaving the machine.
THEME = gr.themes.Soft(
    font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
).set(
    # WCAG AA asks 4.5:1 for text; the Soft theme's indigo-500 labels on their pale pills
    # measured 3.6:1 and white on its indigo-500 button 4.46:1. One shade darker passes both.
    block_label_text_color="*primary_700",
    block_title_text_color="*primary_700",
    button_primary_background_fill="*primary_600",
    button_primary_background_fill_hover="*primary_700",
    body_text_color_subdued="*neutral_600",
    input_placeholder_color="*neutral_500",
)
# The stylesheets, in the order Gradio joins them: the pane's, then the page's.
CSS_PATHS = [REASONING_PANE_CSS_PATH, static_path("page.css")]
# Gradio runs one script when the page has mounted (launch(js=…)): the room's, then the reasoning
# pane's. Not a head script (launch(head_paths=…)): Gradio adds those before it mounts the components.
PAGE_JS = load_script("page.js", "reasoning_pane.js")
# The page's events, each a one-line call to what page.js leaves in window.magistral: Gradio
# takes an event's browser-side code only as a js= string.
FOCUS_JS = "(value) => magistral.focusStep(value)"
PRESENTER_FROM_URL_JS = "() => magistral.presenterFromUrl()"
GUESS_FIRST_FROM_URL_JS = "() => magistral.guessFirstFromUrl()"
PRESENTER_TOGGLE_JS = "(on) => magistral.presenter(on)"
BROWSER_LANGUAGES_JS = "() => magistral.browserLanguages()"
RUN_STARTED_JS = "() => magistral.runStarted()"
RUN_ENDED_JS = "() => magistral.runEnded()"
UNCOVERED_JS = "() => magistral.uncovered()"
REASONING_UNCOVERED_JS = "() => magistral.reasoningUncovered()"
