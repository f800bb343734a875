// The reasoning pane follows the stream: the newest line stays in view until the person scrolls
// up (wheel, touch, keys or the scroll bar), which pauses following and shows "↓ latest";
// scrolling back down to the bottom or clicking it resumes. Pausing is read from the person's own
// input, never from positions, so an update landing mid-scroll cannot pull the pane back down;
// resuming from a position needs a move downwards, as the first frames of a scroll up still sit
// near the bottom. Run once when the page loads (launch(js=…); see reasoning_pane.py).
(() => {
  const SLACK = 48;  // px from the bottom that still count as the bottom
  function attach(pane) {
    const scroller = pane.querySelector("#reasoning-scroll");
    const content = pane.querySelector("#reasoning-content");
    const latest = pane.querySelector("#reasoning-latest");
    if (!scroller || !content || !latest) return null;
    scroller.dataset.follows = "yes";
    scroller.tabIndex = 0;  // a scrolling region must be reachable by keyboard
    let following = true, dragging = false, touchY = null, lastTop = 0;
    // Whether scrolling down by ``by`` px reaches the bottom (0: whether it is there now).
    const reaches = (by = 0) => scroller.scrollTop + scroller.clientHeight + by >= scroller.scrollHeight - SLACK;
    const show = () => pane.classList.toggle("paused", !following);
    const stick = () => {
      if (!following || dragging) return;
      scroller.scrollTop = scroller.scrollHeight;
      lastTop = scroller.scrollTop;
    };
    const pause = () => { if (following && scroller.scrollTop > 0) { following = false; show(); } };
    const resume = () => { following = true; show(); stick(); };
    // A gesture down that aims past the bottom resumes at once: its smooth scroll would
    // end short of a bottom that keeps moving.
    const aimsDown = (by) => { if (!following && reaches(by)) resume(); };
    const resized = () => {
      if (scroller.scrollHeight - scroller.clientHeight <= SLACK && !following) resume();  // all in view again
      stick();
    };
    new ResizeObserver(resized).observe(content);
    new ResizeObserver(resized).observe(scroller);
    scroller.addEventListener("wheel", (e) => { if (e.deltaY < 0) pause(); else aimsDown(e.deltaY); }, { passive: true });
    scroller.addEventListener("touchstart", (e) => { touchY = e.touches[0].clientY; }, { passive: true });
    scroller.addEventListener("touchmove", (e) => {
      if (touchY !== null && e.touches[0].clientY > touchY + 4) pause();
    }, { passive: true });
    scroller.addEventListener("keydown", (e) => {
      const page = scroller.clientHeight;
      if (["ArrowUp", "PageUp", "Home"].includes(e.key) || (e.key === " " && e.shiftKey)) pause();
      else aimsDown({ ArrowDown: 40, PageDown: page, " ": page, End: Infinity }[e.key] ?? -Infinity);
    });
    scroller.addEventListener("pointerdown", (e) => { if (e.target === scroller) dragging = true; });  // the scroll bar
    window.addEventListener("pointerup", () => {
      if (!dragging) return;
      dragging = false;
      if (reaches()) resume(); else pause();
    });
    // A scroll nobody asked for (the page clamping a pane whose content shrank) must not
    // pause: only the person's own input does (or a drag of the scroll bar).
    scroller.addEventListener("scroll", () => {
      const movedDown = scroller.scrollTop > lastTop;
      lastTop = scroller.scrollTop;
      if (reaches()) { if (!following && movedDown) resume(); }
      else if (dragging) pause();
      else stick();
    }, { passive: true });
    latest.addEventListener("click", resume);
    show();
    stick();
    return scroller;
  }
  // Gradio may mount the pane late, or again (a re-render): look whenever the page changes,
  // which costs a check of one element while the pane is there.
  let attached = null;
  const find = () => {
    if (attached && attached.isConnected) return;
    const pane = document.getElementById("reasoning-pane");
    attached = pane && attach(pane);
  };
  new MutationObserver(find).observe(document.body, { childList: true, subtree: true });
  find();
})();
