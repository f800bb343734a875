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
/* The numbered proof: every mark is an icon and words, never colour alone. */
#proof-view ol { list-style: none; margin: 0; padding: 0; }
#proof-view li { display: flex; flex-wrap: wrap; gap: 0 .5em; padding: .25em .5em; margin: .15em 0;
  border-left: 4px solid transparent; border-radius: 4px; font-size: var(--proof-size, 1rem); }
#proof-view .step-number { font-weight: 700; min-width: 1.6em; }
#proof-view .step-text { flex: 1 1 12em; }
#proof-view .step-mark { font-weight: 600; font-size: .85em; white-space: nowrap; }
#proof-view li[data-focus] { outline: 3px solid #1d4ed8; outline-offset: -1px; }
#proof-view li[data-state="checked"] .step-mark { color: #166534; }
#proof-view li[data-state="flawed"] { background: #fde8e8; border-left-color: #b91c1c; color: #1f2937; }
#proof-view li[data-state="flawed"] .step-mark { color: #991b1b; }
#proof-view li[data-state="after"] { color: #4b5563; border-left: 4px dashed #9ca3af; }
/* On a projector the numbered proof is what the room reads: the text box above it shrinks. */
body.presenter:has(#proof-view li) #proof textarea { height: 4.8em !important; min-height: 0 !important; }
/* Once the verdict is in, the numbered proof is the proof: the box goes (Clear brings it back). */
body.presenter:has(#proof-view li[data-state]) #proof { display: none !important; }
#proof-view .verdict-badge { display: inline-block; margin: 0 0 .4em; padding: .2em .7em; border-radius: 999px;
  font-weight: 700; border: 2px solid currentColor; }
#proof-view .verdict-badge[data-verdict="flawed"] { color: #991b1b; }
#proof-view .verdict-badge[data-verdict="none"] { color: #166534; }
#proof-view .verdict-badge[data-verdict="missing"] { color: #4b5563; font-weight: 400; }
"""
# Outline the step the reasoning is on, from the API's last output ({"type": "focus", "step": N}).
FOCUS_JS = """(value) => {
  const step = value && value.type === "focus" ? String(value.step) : null;
  document.querySelectorAll("#proof-view li[data-step]").forEach((li) => li.toggleAttribute("data-focus", li.dataset.step === step));
  return [];
}"""
# A bookmark with ?presenter opens the page in presenter mode.
PRESENTER_FROM_URL_JS = "() => new URLSearchParams(window.location.search).has('presenter')"
PRESENTER_TOGGLE_JS = "(on) => { document.body.classList.toggle('presenter', on); return []; }"
# The browser's languages, most preferred first, as an Accept-Language list for pick_language.
BROWSER_LANGUAGES_JS = "() => (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en']).join(',')"
