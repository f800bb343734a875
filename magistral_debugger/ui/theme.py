"""How the page looks, and the few lines of JavaScript that only the browser can run."""

from __future__ import annotations

import gradio as gr

from .reasoning_pane import REASONING_PANE_CSS, REASONING_PANE_JS

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
CSS = (
    REASONING_PANE_CSS
    + """
#answer .prose { font-size: var(--answer-size, 1.08rem) !important; line-height: 1.6; padding-right: 2rem; }
#answer .katex { font-size: 1.15em !important; }
/* A display formula wider than a phone scrolls sideways instead of running off the screen. */
#answer .katex-display, #thread .katex-display { overflow-x: auto; overflow-y: hidden; }
#answer-heading .prose { font-size: var(--answer-heading-size, 1rem) !important; }
#proof textarea { font-size: var(--proof-size, 1rem) !important; }
#status { min-height: 2.2em; scroll-margin-top: 0.5rem; }
#status .prose { font-size: var(--status-size, 1rem) !important; }
#answer, #status, #thread { overflow-wrap: anywhere; }
#title h1 { margin-bottom: 0.2rem; }
#health .prose { font-size: 0.95rem !important; }
/* Technical notices: one small line, there for whoever looks, and in the downloads. */
#run-notes .prose { font-size: 0.85rem !important; color: var(--body-text-color-subdued) !important; }
#thread .prose { font-size: 0.98rem !important; }
#thread blockquote { margin: 0.3rem 0 0.6rem; }
/* The photo box's label sat on top of its upload icon. */
#photo [data-testid=block-label] { position: static; margin-bottom: 0.4rem; }
#photo { height: auto !important; }
#photo .image-container .upload-container { min-height: 0 !important; height: 8rem !important; }
/* A keyboard's first stop: out of sight until focused, and taking no room. */
#skip { position: absolute !important; width: 0; height: 0; padding: 0; }
.skip-link {
  position: absolute; left: -10000px; top: 0.5rem; z-index: 1000; padding: 0.6rem 1rem;
  background: #1e3a8a; color: #fff !important; border-radius: 0.4rem; font-weight: 600; transition: none;
}
.skip-link:focus { left: 1rem; }
/* Focus that a keyboard user can follow, on every control. */
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, summary:focus-visible,
[tabindex]:focus-visible { outline: 3px solid #1d4ed8 !important; outline-offset: 2px !important; }
/* Debug while a run goes on: a spinner, and a cursor that says wait. */
#debug[aria-busy="true"] { cursor: progress; background: var(--button-primary-background-fill-hover); }
#debug[aria-busy="true"]::before {
  content: ""; display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.5em; vertical-align: -0.1em;
  border: 0.16em solid currentColor; border-right-color: transparent; border-radius: 50%;
  animation: magistral-spin 0.8s linear infinite;
}
@keyframes magistral-spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { #debug[aria-busy="true"]::before { animation: none; } }
/* A phone has no room for the introduction: the proof box's label says what to do. */
@media (max-width: 640px) { #intro-text { display: none !important; } }
/* Presenter mode, for a projector: Gradio scopes every rule under its container, so the
   mode switches CSS variables on <body>, which every scoped rule above inherits. */
body.presenter {
  --answer-size: 1.9rem; --answer-heading-size: 1.4rem; --proof-size: 1.45rem; --status-size: 1.2rem;
  --reasoning-size: 1.2rem; --body-text-color: #000; background: #fff;
}
body.presenter #intro-text, body.presenter #backend-panel, body.presenter #run-notes,
body.presenter #examples .info-text, body.presenter #photo:not(:has(img)) { display: none !important; }
body.presenter #title h1 { font-size: 1.5rem; margin: 0; }
/* The proof stays on screen while the room reads down a long answer (when it fits the screen:
   a taller column would hide its last steps until the end of the answer). */
body.presenter.input-fits #input { position: sticky; top: 0.5rem; align-self: flex-start; }
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
/* Once the verdict is in, the numbered proof is the proof: the box goes (Clear brings it back),
   and so does the examples picker, so that a 1280x720 projector shows the proof's last steps. */
body.presenter:has(#proof-view li[data-state]) #proof,
body.presenter:has(#proof-view li[data-state]) #examples { display: none !important; }
body.presenter #proof-view li { padding: .1em .5em; margin: 0; line-height: 1.3; }
#proof-view .verdict-badge { display: inline-block; margin: 0 0 .4em; padding: .2em .7em; border-radius: 999px;
  font-weight: 700; border: 2px solid currentColor; }
#proof-view .verdict-badge[data-verdict="flawed"] { color: #991b1b; }
#proof-view .verdict-badge[data-verdict="none"] { color: #166534; }
/* The presenter's keys, listed by the ? key. */
#keys-help { position: absolute !important; width: 0; height: 0; padding: 0; }
.keys-dialog { padding: 1.2rem 1.6rem; border-radius: .6rem; border: 1px solid #9ca3af; font-size: 1.1rem; }
.keys-dialog::backdrop { background: rgb(0 0 0 / .45); }
.keys-dialog h2 { margin: 0 0 .6rem; font-size: 1.3rem; }
.keys-dialog td { padding: .25rem .8rem .25rem 0; }
.keys-dialog kbd { font-family: var(--font-mono); border: 1px solid #6b7280; border-radius: .3rem; padding: .05rem .4rem; }
.keys-dialog .keys-close { margin-top: .8rem; padding: .4rem 1rem; border: 1px solid #6b7280; border-radius: .4rem; }
#reveal, #reveal-reasoning { font-size: 1.2rem; }
/* The reveals show only over a covered run: from Debug (or Ask) until each is pressed (Reveal
   uncovers the reasoning too), or Clear. */
body:not(.magistral-covered) #reveals, body:not(.magistral-reasoning-covered) #reveal-reasoning { display: none !important; }
#proof-view .verdict-badge[data-verdict="missing"] { color: #4b5563; font-weight: 400; }
"""
)
# Outline the step the reasoning is on, from the API's last output ({"type": "focus", "step": N}).
FOCUS_JS = """(value) => {
  const step = value && value.type === "focus" ? String(value.step) : null;
  document.querySelectorAll("#proof-view li[data-step]").forEach((li) => li.toggleAttribute("data-focus", li.dataset.step === step));
  return [];
}"""
# A bookmark with ?presenter opens the page in presenter mode.
PRESENTER_FROM_URL_JS = "() => new URLSearchParams(window.location.search).has('presenter')"
# A bookmark with ?reveal opens the page in guess-first mode.
GUESS_FIRST_FROM_URL_JS = "() => new URLSearchParams(window.location.search).has('reveal')"
PRESENTER_TOGGLE_JS = "(on) => { document.body.classList.toggle('presenter', on); return []; }"
# The browser's languages, most preferred first, as an Accept-Language list for pick_language.
BROWSER_LANGUAGES_JS = "() => (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en']).join(',')"
RUN_STARTED_JS = "() => { window.magistralRun && window.magistralRun(true); return []; }"
UNCOVERED_JS = (
    "() => { document.body.classList.remove('magistral-covered', 'magistral-reasoning-covered'); return []; }"
)
REASONING_UNCOVERED_JS = "() => { document.body.classList.remove('magistral-reasoning-covered'); return []; }"
RUN_ENDED_JS = "() => { window.magistralRun && window.magistralRun(false); return []; }"
# Run once when the page loads: what the server cannot do for a person in the room.
ROOM_JS = """
() => {
  const find = (selector) => document.querySelector(selector);
  // Gradio mounts the components after this runs: do ``then`` once they are all there.
  const once = (selectors, then) => {
    const found = selectors.map(find);
    if (found.some((element) => !element)) return setTimeout(() => once(selectors, then), 200);
    then(...found);
  };
  const nearTop = (element, fraction) => {
    const top = element.getBoundingClientRect().top;
    return top >= 0 && top <= window.innerHeight * fraction;
  };
  let answerOnStage = false;
  // Debug says it is busy; on a phone, where the output is below the fold, the page moves to it.
  window.magistralRun = (running) => {
    document.body.classList.toggle('magistral-running', running);
    const button = find('#debug');
    if (button) button.setAttribute('aria-busy', String(running));
    if (!running) return;
    answerOnStage = false;
    // the server covers them only in guess-first mode
    document.body.classList.add('magistral-covered', 'magistral-reasoning-covered');
    const status = find('#status');
    if (status && !nearTop(status, 0.75)) status.scrollIntoView({ block: 'start', behavior: 'smooth' });
  };
  // The answer takes the stage: when its first words arrive (and the reasoning folds away),
  // the status, the folded reasoning and the answer's start come into view.
  once(['#answer', '#status', '#reasoning-accordion'], (answer, status, reasoning) => {
    new MutationObserver(() => {
      if (answerOnStage || !document.body.classList.contains('magistral-running') || !answer.textContent.trim()) return;
      answerOnStage = true;
      // Judge where the answer is once the reasoning has folded away (or after a second).
      let waited = 0;
      const judge = () => {
        const folded = reasoning.getBoundingClientRect().height < 120;  // just its header left
        if (!folded && (waited += 50) < 1000) return setTimeout(judge, 50);
        if (!nearTop(find('#answer-heading') || answer, 0.6)) status.scrollIntoView({ block: 'start', behavior: 'smooth' });
      };
      setTimeout(judge, 50);
    }).observe(answer, { childList: true, subtree: true, characterData: true });
  });
  // The skip link's target takes focus, so the next Tab goes on from the output.
  once(['#output'], (output) => output.setAttribute('tabindex', '-1'));
  once(['#input'], (input) => {
    // Gradio names the photo box "Drop an image file here to upload" while it shows "Drop
    // Image Here - or - Click to Upload": a person using speech says what they see, so the
    // words it shows become its name (axe-core: label-content-name-mismatch).
    const rename = () => input.querySelectorAll('button.upload-container[aria-label]').forEach((box) => box.removeAttribute('aria-label'));
    rename();
    new MutationObserver(rename).observe(input, { childList: true, subtree: true });
    // Whether the input column (the proof and its numbered steps) fits the screen, for presenter mode.
    const fits = () => document.body.classList.toggle('input-fits', input.offsetHeight <= window.innerHeight - 16);
    new ResizeObserver(fits).observe(input);
    window.addEventListener('resize', fits);
  });
  // A display formula wider than the screen scrolls sideways; a keyboard must reach it to
  // scroll it (axe-core: scrollable-region-focusable), so a formula that overflows takes focus.
  once(['#answer', '#thread'], (...blocks) => {
    const reach = () => blocks.forEach((block) => block.querySelectorAll('.katex-display').forEach((formula) => {
      if (formula.scrollWidth > formula.clientWidth) formula.setAttribute('tabindex', '0');
    }));
    blocks.forEach((block) => new MutationObserver(reach).observe(block, { childList: true, subtree: true }));
    window.addEventListener('resize', reach);
  });
  // The presenter's keys, where focus is not in a text box: S stops, A answers now, T shows the
  // reasoning, R reveals, F toggles full screen, ? lists them (Shift+Enter in the proof box runs,
  // as Gradio does).
  const typing = (element) => element instanceof HTMLElement &&
    (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName));
  const press = (selector) => {
    const button = find(selector);
    if (button && button.offsetParent !== null && !button.disabled) button.click();
  };
  const keysDialog = () => find('#keys-help dialog');
  document.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('.keys-close')) keysDialog()?.close();
  });
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || typing(event.target)) return;
    const dialog = keysDialog();
    if (dialog && dialog.open) return;  // the dialog's own Escape closes it
    const act = {
      s: () => press('#stop'),
      a: () => press('#answer-now'),
      t: () => press('#reveal-reasoning'),
      r: () => press('#reveal'),
      f: () => (document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen()).catch(() => {}),
      '?': () => dialog && dialog.showModal(),
    }[event.key.toLowerCase()];
    if (!act) return;
    event.preventDefault();
    act();
  });
  // Gradio's dropdowns keep their list open when Tab moves on (the Language list stayed over
  // the page); Escape is what closes them, so a combobox that focus has left gets one.
  document.addEventListener('focusout', (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.getAttribute('role') !== 'combobox') return;
    const block = input.closest('.block') || input.parentElement;
    setTimeout(() => {
      if (!block.contains(document.activeElement)) {
        input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      }
    }, 50);
  }, true);
}
"""
# Gradio runs one script at load: the room's, then the reasoning pane's (which follows the stream).
PAGE_JS = f"() => {{ ({ROOM_JS.strip()})(); ({REASONING_PANE_JS.strip()})(); }}"
