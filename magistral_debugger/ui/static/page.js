// The page's script: what the server cannot do for a person in the room. Gradio runs it once,
// when the page has mounted (launch(js=…), with reasoning_pane.js after it); the page's events
// call the functions it leaves in window.magistral (layout.py).
(() => {
  // What the page's events do in the browser: each event's js= is a one-line call to one of these.
  window.magistral = {
    // Outline the step the reasoning is on, from the API's last output ({"type": "focus", "step": N}).
    focusStep: (value) => {
      const step = value && value.type === "focus" ? String(value.step) : null;
      document.querySelectorAll("#proof-view li[data-step]").forEach((li) => li.toggleAttribute("data-focus", li.dataset.step === step));
      return [];
    },
    // A bookmark with ?presenter opens the page in presenter mode.
    presenterFromUrl: () => new URLSearchParams(window.location.search).has('presenter'),
    // A bookmark with ?reveal opens the page in guess-first mode.
    guessFirstFromUrl: () => new URLSearchParams(window.location.search).has('reveal'),
    presenter: (on) => { document.body.classList.toggle('presenter', on); return []; },
    // The browser's languages, most preferred first, as an Accept-Language list for pick_language.
    browserLanguages: () => (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en']).join(','),
    runStarted: () => { window.magistralRun && window.magistralRun(true); return []; },
    runEnded: () => { window.magistralRun && window.magistralRun(false); return []; },
    uncovered: () => { document.body.classList.remove('magistral-covered', 'magistral-reasoning-covered'); return []; },
    reasoningUncovered: () => { document.body.classList.remove('magistral-reasoning-covered'); return []; },
  };
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
  // Gradio names a photo box "Drop an image file here to upload" while it shows "Drop Image
  // Here - or - Click to Upload": a person using speech says what they see, so the words it
  // shows become its name (axe-core: label-content-name-mismatch).
  const nameUploadsAsShown = (container) => {
    const rename = () => container.querySelectorAll('button.upload-container[aria-label]').forEach((box) => box.removeAttribute('aria-label'));
    rename();
    new MutationObserver(rename).observe(container, { childList: true, subtree: true });
  };
  once(['#phone-send'], nameUploadsAsShown);  // the phone's photo box, at /room
  once(['#input'], (input) => {
    nameUploadsAsShown(input);
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
})();
