"""Talk mode: a rehearsal folder read back by the page. Its examples are marked right, wrong or
not run; a rehearsed proof replays its recording when the model server is down, said to be a
replay of the rehearsal, and runs live when the server is up."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from magistral_debugger.engine.run import DebugRun
from magistral_debugger.prompting.steps import Proof
from magistral_debugger.settings import Settings
from magistral_debugger.ui.handlers import DebuggerPage, example_choices
from magistral_debugger.ui.talk_mode import choose, load_rehearsal, mark_words
from tests.loopback import ModelServer, Reply, dead_url, ollama_chat_lines
from tests.rehearsals import (
    BY_SLUG,
    ITEMS,
    argument,
    rehearse,
    reply,
    script_items,
    script_server,
    server_flags,
    user_text,
    write_gallery,
    write_json,
)
from tests.runs import settings_for

RIGHT, WRONG, NOT_RUN = BY_SLUG["a_right"], BY_SLUG["b_wrong"], BY_SLUG["e_cleared"]
LIVE_ANSWER = "Live: step 2 divides by a − b = 0."


@pytest.fixture(autouse=True)
def no_env_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def rehearsal_of(srv: ModelServer, folder: Path, *more: str) -> Path:
    """A rehearsal of a_right (graded right) and b_wrong (graded wrong); e_cleared is not run."""
    gallery = write_gallery(folder / "gallery", [RIGHT, WRONG])
    out = folder / "rehearsal"
    assert rehearse("--examples", str(gallery), "--out", str(out), *more, *server_flags(srv)) == 0
    return out


def serve_live(srv: ModelServer) -> None:
    """From now on the server answers anything with LIVE_ANSWER (the day of the talk)."""
    srv.route("POST", "/api/chat", Reply(body=ollama_chat_lines(["Live reasoning."], [LIVE_ANSWER])))


def run_to_end(settings: Settings, text: str) -> DebugRun:
    run = DebugRun(settings, text)

    async def drain() -> None:
        async for _ in run.events():
            pass

    asyncio.run(asyncio.wait_for(drain(), 30))
    return run


def test_each_example_is_marked_as_the_rehearsal_graded_it(srv, tmp_path):
    script_server(srv, "ollama")
    rehearsal = load_rehearsal(rehearsal_of(srv, tmp_path))
    assert [rehearsal.mark(e.slug) for e in (RIGHT, WRONG, NOT_RUN)] == ["right", "wrong", "not_run"]
    assert [mark_words(rehearsal, e.slug) for e in (RIGHT, WRONG, NOT_RUN)] == [
        "✅ rehearsal: right",
        "❌ rehearsal: wrong",
        "➖ not rehearsed",
    ]
    assert mark_words(rehearsal, RIGHT.slug, "pt") == "✅ ensaio: certo"
    assert mark_words(None, RIGHT.slug) == ""  # no rehearsal, no marks


def test_with_the_server_down_a_rehearsed_proof_replays_its_recording_and_says_so(srv, tmp_path):
    script_server(srv, "ollama")
    out = rehearsal_of(srv, tmp_path)
    rehearsal = load_rehearsal(out)
    down = settings_for(dead_url())
    chosen, said = asyncio.run(choose(down, Proof.of(argument(RIGHT)), rehearsal))
    assert (chosen.backend, Path(chosen.replay_file)) == ("replay", out / "recordings" / "a_right.jsonl")
    assert (
        said == f"Replay of the rehearsal from {rehearsal.rehearsed_at:%Y-%m-%d %H:%M} (magistral): "
        "the model server cannot be reached"
    )
    assert said.text("vi").startswith("Phát lại buổi chạy thử ngày")
    run = run_to_end(chosen, argument(RIGHT))
    assert run.state.answer == "The proof breaks here." and run.state.verdict.step == 2


def test_with_the_server_up_a_rehearsed_proof_runs_live(srv, tmp_path):
    script_server(srv, "ollama")
    rehearsal = load_rehearsal(rehearsal_of(srv, tmp_path))
    serve_live(srv)
    up = settings_for(srv)
    chosen, said = asyncio.run(choose(up, Proof.of(argument(RIGHT)), rehearsal))
    assert chosen is up and said is None
    assert run_to_end(chosen, argument(RIGHT)).state.answer == LIVE_ANSWER


def test_a_proof_the_rehearsal_did_not_run_goes_live_even_with_the_server_down(srv, tmp_path):
    script_server(srv, "ollama")
    rehearsal = load_rehearsal(rehearsal_of(srv, tmp_path))
    down = settings_for(dead_url())
    for text in (argument(NOT_RUN), "Assume x = y, so 2 = 1.", ""):
        assert asyncio.run(choose(down, Proof.of(text), rehearsal)) == (down, None)


def test_a_rehearsed_proof_is_recognised_by_its_steps_whatever_the_spacing(srv, tmp_path):
    script_server(srv, "ollama")
    rehearsal = load_rehearsal(rehearsal_of(srv, tmp_path))
    retyped = "\n\n".join(f"  {line}  " for line in argument(RIGHT).splitlines()) + "\n"
    assert rehearsal.recording_for(Proof.of(retyped)) == rehearsal.recording_for(Proof.of(argument(RIGHT))) is not None
    assert rehearsal.recording_for(Proof.of(argument(RIGHT).replace("a² = ab", "a² = 2ab"))) is None


def test_with_repeats_right_means_right_every_time_and_the_replay_is_a_right_run(srv, tmp_path):
    """b_wrong names its step on the second run only: marked wrong, but that right run is the one replayed."""
    script_server(srv, "ollama", {"b_wrong": [reply("ollama", WRONG), reply("ollama", WRONG, say="Flawed step: 3")]})
    out = rehearsal_of(srv, tmp_path, "--repeat", "2")
    rehearsal = load_rehearsal(out)
    assert (rehearsal.mark(RIGHT.slug), rehearsal.mark(WRONG.slug)) == ("right", "wrong")
    assert rehearsal.recording_for(Proof.of(argument(WRONG))) == out / "recordings" / "b_wrong-2.jsonl"


def test_a_folder_without_a_readable_scorecard_is_no_rehearsal_and_the_page_runs_as_usual(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        assert load_rehearsal(tmp_path / "nowhere") is None
    assert "MAGISTRAL_REHEARSAL_DIR" in caplog.text
    (tmp_path / "scorecard.json").write_text("{not json", encoding="utf-8")
    assert load_rehearsal(tmp_path) is None


# --- the page's handler -----------------------------------------------------------------------


def last_update(page: DebuggerPage, text: str, lang: str = "en") -> tuple:
    async def run() -> tuple:
        return [update async for update in page.debug(text, lang=lang)][-1]

    return asyncio.run(asyncio.wait_for(run(), 30))


@pytest.mark.parametrize("lang, label", [("en", "Replay of the rehearsal from"), ("pt", "Reprodução do ensaio de")])
def test_the_page_replays_a_rehearsed_example_when_its_server_is_down(srv, tmp_path, lang, label):
    script_server(srv, "ollama")
    out = rehearsal_of(srv, tmp_path)
    page = DebuggerPage(settings_for(dead_url(), rehearsal_dir=str(out), replay_speed="instant"))
    reasoning, answer, status, *_, verdict = last_update(page, argument(RIGHT), lang)
    assert status.startswith(f"🎞️ {label}")
    assert answer == "The proof breaks here." and verdict["step"] == 2
    _, answer, status, *_ = last_update(page, argument(NOT_RUN), lang)  # not rehearsed: the server's own error
    assert "🎞️" not in status and "❌" in status and answer == ""


def test_the_page_runs_live_when_the_server_is_up(srv, tmp_path):
    script_server(srv, "ollama")
    out = rehearsal_of(srv, tmp_path)
    serve_live(srv)
    page = DebuggerPage(settings_for(srv, rehearsal_dir=str(out)))
    _, answer, status, *_ = last_update(page, argument(RIGHT))
    assert answer == LIVE_ANSWER and "🎞️" not in status


def test_a_benchmark_rehearsals_items_join_the_picker_and_run_with_the_datasets_steps(srv, tmp_path):
    """math-2's second step spans three lines: the page previews it as one step, sends it as the
    dataset numbered it, and with the server down replays the rehearsal's run of it."""
    script_items(srv)
    dataset = write_json(tmp_path / "pb.json", ITEMS)
    assert rehearse("--dataset", str(dataset), "--out", "bench", *server_flags(srv, "openai")) == 0
    page = DebuggerPage(settings_for(srv, backend="openai", rehearsal_dir="bench", replay_speed="instant"))
    [choice] = [label for label, slug in example_choices(page.examples, "en", page.rehearsal) if slug == "math-2"]
    assert choice.startswith("Competition problems (benchmarks) · English · math-2: Problem math-2") and "✅" in choice
    text = page.pick_example("math-2")
    assert page.preview(text).count("<li data-step=") == 5  # not the 8 lines of its text

    srv.requests.clear()
    _, _, status, *_, verdict = last_update(page, text)
    assert verdict["step"] == 4 and "🎞️" not in status  # live, and step 4 is the dataset's fourth step
    assert "2. Expand both sides:\n   $$" in user_text(srv.requests[-1])

    down = DebuggerPage(settings_for(dead_url(), backend="openai", rehearsal_dir="bench", replay_speed="instant"))
    _, answer, status, *_, verdict = last_update(down, text)
    assert status.startswith("🎞️ Replay of the rehearsal from") and verdict["step"] == 4


def test_own_example_files_join_the_picker_after_the_apps(tmp_path):
    folder = write_gallery(tmp_path / "own", [RIGHT])
    page = DebuggerPage(settings_for(dead_url(), examples_dir=str(folder)))
    assert (
        page.examples[-1].slug == RIGHT.slug
        and len(page.examples) == len(DebuggerPage(settings_for(dead_url())).examples) + 1
    )
    assert page.pick_example(RIGHT.slug) == argument(RIGHT)
