"""Exports of a finished run: Markdown for people (argument, answer, reasoning folded in
``<details>``, then the facts) and JSON for programs (the same, plus the exact messages
sent). Runs are real ones against loopback servers; no export ever holds the API key."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import uuid
from datetime import UTC, datetime

import pytest

from magistral_debugger.engine.run import DebugRun
from magistral_debugger.i18n import t
from magistral_debugger.settings import Settings
from magistral_debugger.ui.export import (
    RunRecord,
    export_filename,
    export_json,
    export_markdown,
    write_export,
)
from tests.loopback import Close, ModelServer, Reply, Sleep, dead_url, ollama_chat_lines, openai_sse_events
from tests.runs import FLAWED, settings_for

MODEL = "mistralai/Magistral-Small-2509"
THINKING = ["Step 5 divides by x − y, ", "which is 0 since x = y."]
ANSWER = ["**Step 5** divides by zero: ", "$x - y = 0$."]
CANARY = f"sk-canary-{uuid.uuid4().hex}"


def keyed_settings(srv: ModelServer, backend: str, **overrides) -> Settings:
    """Settings for an OpenAI-compatible server or Mistral's API, with the canary as its key."""
    return settings_for(srv, backend, model=MODEL, **{f"{backend}_api_key": CANARY}, **overrides)


def finished_run(settings: Settings, text: str = FLAWED) -> DebugRun:
    run = DebugRun(settings, text)

    async def go() -> None:
        async for _ in run.events():
            pass

    asyncio.run(asyncio.wait_for(go(), 30))
    return run


def ollama_run(srv: ModelServer, **overrides) -> DebugRun:
    srv.route("POST", "/api/chat", Reply(body=ollama_chat_lines(THINKING, ANSWER)))
    return finished_run(settings_for(srv, "ollama", **overrides))


# --- Markdown ------------------------------------------------------------------------------------


def test_markdown_has_the_argument_then_the_answer_then_the_reasoning_folded_away(srv):
    md = export_markdown(RunRecord.from_run(ollama_run(srv)))
    argument_at, answer_at, details_at = md.index(FLAWED), md.index("".join(ANSWER)), md.index("<details>")
    assert argument_at < answer_at < details_at
    details = md[details_at : md.index("</details>") + len("</details>")]
    assert "<summary>Reasoning" in details and "".join(THINKING) in details
    assert "".join(THINKING) not in md[:details_at]  # the reasoning is only in the folded block
    assert md.startswith("# Magistral Debugger run — 20")


@pytest.mark.parametrize("lang", ["pt", "es", "zh-CN", "vi"])
def test_a_download_speaks_the_pages_language_and_keeps_the_texts_as_they_are(srv, tmp_path, lang):
    run = ollama_run(srv, max_tokens=2048)
    record = RunRecord.from_run(run, lang)
    md = export_markdown(record)
    for key in ("export_argument", "export_answer", "export_details", "export_model", "max_tokens_label"):
        assert t(key, lang) in md, key
    assert f"**{t('outcome_finished', lang)}**" in md and "Finished." not in md
    assert "The argument" not in md and "Run details" not in md
    assert FLAWED in md and "".join(ANSWER) in md and "".join(THINKING) in md  # the texts are not translated
    data = json.loads(write_export(record, tmp_path, "json").read_text(encoding="utf-8"))
    assert data["language"] == lang and data["outcome"] == t("outcome_finished", lang)


def test_markdown_states_model_backend_sampling_timings_and_ending(srv):
    run = ollama_run(srv, temperature=0.3, top_p=0.9, max_tokens=2048)
    md = export_markdown(RunRecord.from_run(run))
    facts = dict(re.findall(r"^\| ([^|]+?) \| (.+?) \|$", md, re.MULTILINE))
    assert facts["Model"] == "`magistral`"
    assert facts["Backend"] == f"ollama · {srv.url}"
    assert (facts["Temperature"], facts["top_p"], facts["Max tokens"]) == ("0.3", "0.9", "2,048")
    assert facts["Prompt format"] == "2506"
    assert facts["Finish reason"] == "stop"
    assert facts["Time to first token"].endswith(" sec") and facts["Total time"].endswith(" sec")
    assert facts["Tokens"] == f"{run.state.reasoning_tokens()} reasoning + {run.state.answer_tokens()} answer tokens"
    assert "**Finished.**" in md


def test_text_with_backticks_and_closing_tags_cannot_break_out_of_its_block():
    record = RunRecord(
        started=datetime(2025, 11, 25, 20, 21, tzinfo=UTC),
        argument="Here is code:\n```\nx = y\n```\nand a | pipe",
        model="mag|istral",
        prompt_format="2506",
        backend_kind="ollama",
        backend_url="http://localhost:11434",
        settings={},
        temperature=0.7,
        top_p=0.95,
        max_tokens=100,
        messages=[],
        reasoning="What if I write </details> and ````four````?",
        answer="Fine.",
        finish_reason="stop",
        outcome="Finished.",
    )
    md = export_markdown(record)
    assert "`````text\nWhat if I write </details> and ````four````?\n`````" in md
    assert "````text\nHere is code:\n```\nx = y\n```\nand a | pipe\n````" in md
    assert "| Model | `mag\\|istral` |" in md
    assert md.count("</details>") == 2  # the one in the reasoning, inside its code block, and ours


def test_after_a_follow_up_the_download_holds_the_whole_conversation(srv):
    """It used to hold only the follow-up, with the question filed as "The argument"."""
    question = "Why can't we cancel x − y?"
    srv.route(
        "POST",
        "/api/chat",
        [
            Reply(body=ollama_chat_lines(THINKING, ANSWER)),
            Reply(body=ollama_chat_lines(["0/0 is undefined."], ["Because x − y = 0."])),
        ],
    )
    settings = settings_for(srv)
    first = finished_run(settings)
    follow_up = DebugRun(settings, question, history=[first.turn()])
    asyncio.run(asyncio.wait_for(drain(follow_up), 30))
    record = RunRecord.from_run(follow_up)
    md = export_markdown(record)
    argument = md[md.index("## The argument") : md.index("## The answer")]
    assert FLAWED in argument and question not in argument
    order = [md.index(text) for text in (FLAWED, "".join(ANSWER), "## You asked", question, "Because x − y = 0.")]
    assert order == sorted(order)
    assert "".join(THINKING) in md and "0/0 is undefined." in md  # each turn's reasoning, folded
    assert md.count("<details>") == 2
    data = json.loads(export_json(record))
    assert data["argument"] == FLAWED and data["answer"] == "Because x − y = 0."
    assert data["conversation"] == [
        {"question": FLAWED, "answer": "".join(ANSWER), "reasoning": "".join(THINKING)},
        {"question": question, "answer": "Because x − y = 0.", "reasoning": "0/0 is undefined."},
    ]


def test_numbers_in_a_download_are_written_as_its_language_writes_them(srv):
    run = ollama_run(srv, temperature=0.35, max_tokens=40960)
    facts = dict(re.findall(r"^\| ([^|]+?) \| (.+?) \|$", export_markdown(RunRecord.from_run(run, "pt")), re.MULTILINE))
    assert (facts["Temperatura"], facts["Máximo de tokens"]) == ("0,35", "40.960")
    assert re.fullmatch(r"\d+,\d s", facts["Tempo total"]), facts["Tempo total"]


async def drain(run: DebugRun) -> None:
    async for _ in run.events():
        pass


# --- JSON ------------------------------------------------------------------------------------------


def test_json_carries_the_exact_messages_the_server_received(srv):
    srv.route("POST", "/v1/chat/completions", Reply(body=openai_sse_events(THINKING, ANSWER, model=MODEL)))
    run = finished_run(settings_for(srv, "openai", temperature=0.5, max_tokens=2048))
    data = json.loads(export_json(RunRecord.from_run(run)))
    sent = srv.wait_for_request("/v1/chat/completions").json

    assert data["messages"] == sent["messages"]
    assert (
        data["sampling"]
        == {"temperature": 0.5, "top_p": 0.95, "max_tokens": 2048}
        == {k: sent[k] for k in ("temperature", "top_p", "max_tokens")}
    )
    assert data["model"] == sent["model"] == MODEL
    assert data["prompt_format"] == "2509"
    assert data["backend"] == {"kind": "openai", "url": srv.url + "/v1"}
    assert (data["argument"], data["answer"], data["reasoning"]) == (FLAWED, "".join(ANSWER), "".join(THINKING))
    assert (data["finish_reason"], data["outcome"]) == ("stop", "Finished.")
    assert data["format"] == "magistral-debugger-run" and data["version"] == 1
    stats = data["stats"]
    assert stats["reasoning_tokens"] == 2 and stats["answer_tokens"] == 2
    assert stats["time_to_first_token_s"] >= 0 and stats["total_s"] >= stats["time_to_first_token_s"]
    assert data["settings"]["temperature"] == 0.5 and data["settings"]["server_url"] == srv.url + "/v1"


def test_a_stopped_run_exports_what_arrived_and_says_it_was_stopped(srv):
    srv.route("POST", "/api/chat", Reply(body=[*ollama_chat_lines(THINKING, ANSWER)[:1], Sleep(10)]))
    run = DebugRun(settings_for(srv), FLAWED)

    async def stop_after_first() -> None:
        events = run.events()
        async for _ in events:
            break
        await events.aclose()

    asyncio.run(asyncio.wait_for(stop_after_first(), 30))
    data = json.loads(export_json(RunRecord.from_run(run)))
    assert (data["finish_reason"], data["outcome"]) == ("cancelled", "Stopped by you.")
    assert data["reasoning"] == THINKING[0] and data["answer"] == ""
    assert "*(no answer)*" in export_markdown(RunRecord.from_run(run))


def test_a_run_refused_before_any_request_still_exports(srv):
    run = finished_run(settings_for(srv), "   ")
    record = RunRecord.from_run(run)
    assert record.messages == [] and record.finish_reason == "error" and record.outcome
    assert json.loads(export_json(record))["outcome"] == run.state.outcome()
    assert "*(no reasoning)*" in export_markdown(record)


def test_a_replayed_run_says_so_and_names_the_recorded_server(srv, tmp_path):
    srv.route("POST", "/api/chat", Reply(body=ollama_chat_lines(THINKING, ANSWER)))
    live = finished_run(settings_for(srv, record_dir=str(tmp_path)))
    replay = finished_run(
        Settings(_env_file=None, backend="replay", replay_file=str(live.backend.path), replay_speed="instant"), ""
    )
    record = RunRecord.from_run(replay)
    assert record.replay_of == replay.backend.recording().describe()
    assert (record.backend_kind, record.backend_url) == ("ollama", srv.url)
    assert record.argument == FLAWED and record.messages == live.request.messages
    assert export_markdown(record).count("Replay of a run recorded on") == 1


# --- secrets ---------------------------------------------------------------------------------------


def everything_written(record: RunRecord, tmp_path) -> list[str]:
    texts = [export_markdown(record), export_json(record), repr(record)]
    for kind in ("md", "json"):
        texts.append(write_export(record, tmp_path / "exports", kind).read_text(encoding="utf-8"))
    return texts


@pytest.mark.parametrize("backend", ["openai", "mistral"])
def test_exports_and_recordings_never_contain_the_api_key(srv, tmp_path, backend):
    srv.route("POST", "/v1/chat/completions", Reply(body=openai_sse_events(THINKING, ANSWER, model=MODEL)))
    settings = keyed_settings(srv, backend, record_dir=str(tmp_path / "runs"))
    run = finished_run(settings)
    assert srv.wait_for_request("/v1/chat/completions").headers["authorization"] == f"Bearer {CANARY}"
    assert run.state.ok

    recording = run.backend.path.read_text(encoding="utf-8")
    for text in [*everything_written(RunRecord.from_run(run), tmp_path), recording]:
        assert CANARY not in text and CANARY[3:] not in text


def test_credentials_in_a_url_are_kept_out_even_when_an_error_quotes_the_url(tmp_path):
    url = dead_url().replace("http://", f"http://teacher:{CANARY}@") + "/v1"
    settings = Settings(
        _env_file=None,
        backend="openai",
        openai_base_url=url,
        openai_api_key=CANARY,
        model=MODEL,
        connect_timeout=2.0,
        record_dir=str(tmp_path / "runs"),
    )
    run = finished_run(settings)
    assert run.state.finish_reason == "error" and "127.0.0.1" in run.state.error
    record = RunRecord.from_run(run)
    public = url.replace(f"teacher:{CANARY}@", "")
    assert record.backend_url == public and record.settings["server_url"] == public
    for text in [*everything_written(record, tmp_path), run.backend.path.read_text(encoding="utf-8")]:
        assert CANARY not in text and "teacher:" not in text


@pytest.mark.parametrize("backend", ["openai", "mistral"])
def test_the_key_is_scrubbed_from_text_that_quotes_it(srv, backend):
    """A server that echoes the key into the stream (a misconfigured proxy) does not leak it."""
    srv.route(
        "POST", "/v1/chat/completions", Reply(body=openai_sse_events(["your key is " + CANARY], ["done"], model=MODEL))
    )
    run = finished_run(keyed_settings(srv, backend))
    assert CANARY in run.state.reasoning
    record = RunRecord.from_run(run)
    assert CANARY not in export_json(record) and "your key is [redacted]" in record.reasoning


# --- files -------------------------------------------------------------------------------------------


def test_write_export_names_files_by_time_and_model(srv, tmp_path):
    """The name is ``magistral-YYYYMMDD-HHMMSS-<model>.<md|json>``: when the run started, to the
    second, and the model, made fit for a file name."""
    record = RunRecord.from_run(ollama_run(srv))
    md, js = write_export(record, tmp_path, "md"), write_export(record, tmp_path, "json")
    started = record.started
    assert md.name == f"magistral-{started:%Y%m%d}-{started:%H%M%S}-magistral.md"
    assert js.name == md.name.removesuffix(".md") + ".json"
    assert json.loads(js.read_text(encoding="utf-8"))["answer"] == "".join(ANSWER)
    assert md.read_text(encoding="utf-8") == export_markdown(record)

    other = dataclasses.replace(
        record, started=datetime(2025, 11, 25, 20, 21, 7, tzinfo=UTC), model="mistralai/Magistral-Small-2509"
    )
    assert write_export(other, tmp_path, "md").name == "magistral-20251125-202107-mistralai-Magistral-Small-2509.md"
    assert export_filename(other, "json") == "magistral-20251125-202107-mistralai-Magistral-Small-2509.json"
    assert {p.name for p in tmp_path.iterdir()} == {
        md.name,
        js.name,
        "magistral-20251125-202107-mistralai-Magistral-Small-2509.md",
    }


def test_a_cut_stream_exports_the_error_message(srv):
    srv.route("POST", "/api/chat", Reply(body=[*ollama_chat_lines(THINKING, ANSWER)[:2], Close()]))
    run = finished_run(settings_for(srv))
    data = json.loads(export_json(RunRecord.from_run(run)))
    assert data["finish_reason"] == "error" and data["outcome"] == run.state.error
    assert data["reasoning"] == "".join(THINKING)
