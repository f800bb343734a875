"""How the page looks, and the few lines of JavaScript that only the browser can run."""

from __future__ import annotations

import gradio as gr

# System fonts only: the page must load with no request leaving the machine.
THEME = gr.themes.Soft(
    font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
)
CSS = """
#answer .prose { font-size: var(--answer-size, 1.08rem) !important; line-height: 1.6; }
#answer .katex { font-size: 1.15em !important; }
#answer-heading .prose { font-size: var(--answer-heading-size, 1rem) !important; }
#proof textarea { font-size: var(--proof-size, 1rem) !important; }
#reasoning textarea { opacity: var(--reasoning-opacity, 0.85); font-size: var(--reasoning-size, 0.95rem) !important; }
#status { min-height: 2.2em; }
#status .prose { font-size: var(--status-size, 1rem) !important; }
#answer, #status { overflow-wrap: anywhere; }
/* Presenter mode, for a projector: Gradio scopes every rule under its container, so the
   mode switches CSS variables on <body>, which every scoped rule above inherits. */
body.presenter {
  --answer-size: 1.9rem; --answer-heading-size: 1.4rem; --proof-size: 1.45rem; --status-size: 1.2rem;
  --reasoning-size: 1.2rem; --reasoning-opacity: 0.7; --body-text-color: #000; background: #fff;
}
body.presenter #intro, body.presenter #backend-panel, body.presenter #examples { display: none !important; }
"""
# A bookmark with ?presenter opens the page in presenter mode.
PRESENTER_FROM_URL_JS = "() => new URLSearchParams(window.location.search).has('presenter')"
PRESENTER_TOGGLE_JS = "(on) => { document.body.classList.toggle('presenter', on); return []; }"
# The browser's languages, most preferred first, as an Accept-Language list for pick_language.
BROWSER_LANGUAGES_JS = "() => (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en']).join(',')"
