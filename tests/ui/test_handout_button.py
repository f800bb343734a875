"""The page's Handout button, through its handler against a loopback model: the proof in the
box as a PDF and a .tex, with the run's verdict and explanation on page 2 once the page shows
them, never while guess-first covers them."""

from __future__ import annotations

import asyncio
import warnings
from pathlib import Path

from magistral_debugger.i18n import t
from magistral_debugger.prompting.examples import load_examples
from magistral_debugger.ui.handlers import DebuggerPage, LiveRun
from tests.handout.conftest import page_count, page_text, squeezed
from tests.loopback import Reply, chat_stream
from tests.runs import settings_for

PROOF = "Let x = y.\nThen x² = xy.\nSo x² − y² = xy − y².\nDivide both sides by x − y: x + y = y.\nSo 2 = 1."
ANSWER = ["Step 4 cancels a factor that vanishes: $x - y = 0$.\n\n", "Flawed step: 4 (division by zero)"]


def debugged(srv, guess_first: bool = False) -> tuple[DebuggerPage, LiveRun]:
    srv.route("POST", "/api/chat", Reply(body=chat_stream("ollama", ["Step 4 divides by x − y. "], ANSWER)))
    page, live = DebuggerPage(settings_for(srv, model="magistral")), LiveRun()
    page.set_guess_first(guess_first, live)

    async def go() -> None:
        async for _ in page.debug(PROOF, live=live):
            pass

    asyncio.run(asyncio.wait_for(go(), 30))
    return page, live


def files(update) -> tuple[bytes, str]:
    # Gradio hands the component the files as it will serve them (a dict each, with their path).
    pdf, tex = (Path(file["path"] if isinstance(file, dict) else file) for file in update.value)
    assert (pdf.suffix, tex.suffix) == (".pdf", ".tex") and update.visible
    return pdf.read_bytes(), tex.read_text(encoding="utf-8")


def test_after_a_run_the_handout_has_the_steps_and_the_models_verdict_and_explanation(srv, tmp_path):
    page, live = debugged(srv)
    pdf, tex = files(page.handout(PROOF, live, "en"))
    assert squeezed("4.Divide both sides by x − y: x + y = y.") in squeezed(page_text(pdf, 1, tmp_path))
    key = squeezed(page_text(pdf, 2, tmp_path))
    assert squeezed("Step 4: division by zero") in key and squeezed("cancels a factor that vanishes") in key
    assert "Flawed step" not in key  # the verdict line is the badge's, not the explanation's
    assert r"\(x - y = 0\)" in tex


def test_guess_first_prints_no_key_until_reveal(srv, tmp_path):
    page, live = debugged(srv, guess_first=True)
    pdf, tex = files(page.handout(PROOF, live, "en"))
    assert page_count(pdf, tmp_path) == 1 and "cancels" not in tex
    asyncio.run(page.reveal(live, "en"))
    pdf, _ = files(page.handout(PROOF, live, "en"))
    assert page_count(pdf, tmp_path) == 2 and "cancels" in page_text(pdf, 2, tmp_path)


def test_a_proof_changed_after_the_run_gets_no_verdict_of_another_proof(srv, tmp_path):
    page, live = debugged(srv)
    pdf, _ = files(page.handout(PROOF + "\nSo 3 = 2.", live, "pt"))
    key = page_text(pdf, 2, tmp_path)
    assert "cancels" not in key and squeezed(t("handout_key_empty", "pt")) in squeezed(key)


def test_an_example_before_any_run_gets_its_recorded_step_and_flaw(srv, tmp_path):
    page = DebuggerPage(settings_for(srv, model="magistral"))
    chosen = next(e for e in load_examples() if e.slug == "03_all_horses_same_colour")
    pdf, _ = files(page.handout(chosen.argument, LiveRun(), "es"))
    key = squeezed(page_text(pdf, 2, tmp_path))
    assert squeezed(t("handout_step", "es", step=chosen.flawed_step)) in key and squeezed(chosen.flaw[:80]) in key


def test_an_empty_box_is_told_to_paste_a_proof_first(srv):
    page = DebuggerPage(settings_for(srv, model="magistral"))
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        update = page.handout("   ", LiveRun(), "en")
    assert update == {"__type__": "update"}  # nothing on the page changes
    assert any(t("input_empty", "en") in str(warning.message) for warning in said)
