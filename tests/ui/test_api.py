"""The `debug` API that other tools drive with gradio_client (an outside contract: docs/ARCHITECTURE.md)."""

from __future__ import annotations

import pytest
from gradio_client import Client

from tests.conftest import serve_app
from tests.loopback import Reply, Sleep, chat_path, chat_stream, json_reply, ollama_chat_lines, openai_sse_events, paced
from tests.runs import backend_url


def test_debug_api_takes_only_the_text_and_returns_reasoning_then_answer(srv, app_url):
    srv.route(
        "POST",
        "/api/chat",
        Reply(body=ollama_chat_lines(content=["<think>\nx − y is zero", "</think>\n\nStep 5 divides by zero."])),
    )
    client = Client(app_url, verbose=False)
    reasoning, answer, status, *_ = client.submit("Assume x = y …", api_name="/debug").result(timeout=30)
    assert reasoning == "x − y is zero"
    assert answer == "Step 5 divides by zero."
    assert "Finished" in status
    sent = srv.wait_for_request("/api/chat").json
    assert "Assume x = y …" in sent["messages"][-1]["content"]


def test_debug_api_on_an_openai_compatible_server_keeps_tags_out_of_both_outputs(srv):
    srv.route(
        "POST",
        "/v1/chat/completions",
        Reply(body=openai_sse_events(content=["[THINK]The step ", "cancels x − y[/TH", "INK]It divides by zero."])),
    )
    with serve_app(backend="openai", **backend_url(srv, "openai")) as url:
        reasoning, answer, *_ = (
            Client(url, verbose=False).submit("x = y so 2 = 1", api_name="/debug").result(timeout=30)
        )
    assert reasoning == "The step cancels x − y"
    assert answer == "It divides by zero."


@pytest.mark.parametrize("backend", ["ollama", "openai"])
def test_cancelling_a_debug_job_hangs_up_on_the_model_server(srv, backend):
    srv.route(
        "POST", chat_path(backend), Reply(body=paced(chat_stream(backend, [f"thought {i} " for i in range(400)]), 0.05))
    )
    with serve_app(backend=backend, **backend_url(srv, backend)) as url:
        job = Client(url, verbose=False).submit("Assume x = y …", api_name="/debug")
        srv.wait_for_request(chat_path(backend), timeout=20)
        job.cancel()
        assert srv.wait_for_hangup(timeout=5) is not None


@pytest.mark.parametrize("backend", ["ollama", "openai"])
def test_cancelling_while_the_model_server_is_silent_still_hangs_up(srv, backend):
    srv.route("POST", chat_path(backend), Reply(body=[Sleep(30), *chat_stream(backend, content=["late"])]))
    with serve_app(backend=backend, **backend_url(srv, backend)) as url:
        job = Client(url, verbose=False).submit("Assume x = y …", api_name="/debug")
        srv.wait_for_request(chat_path(backend), timeout=20)
        job.cancel()
        assert srv.wait_for_hangup(timeout=5) is not None


def test_runs_beyond_the_waiting_line_are_told_the_app_is_busy(srv):
    """One run at a time, one waiting: a third person hears "busy" at once, not a queue error."""
    srv.route("POST", "/api/chat", Reply(body=[Sleep(3), *ollama_chat_lines(content=["done"])]))
    with serve_app(ollama_url=srv.url, concurrency_limit=1, queue_max_size=1) as url:
        client = Client(url, verbose=False)
        first = client.submit("first", api_name="/debug")
        srv.wait_for_request("/api/chat", timeout=20)
        second = client.submit("second", api_name="/debug")
        import time

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "ahead" not in str(second.outputs()):
            time.sleep(0.05)
        third = client.submit("third", api_name="/debug")
        assert "busy" in third.result(timeout=10)[2]
        assert first.result(timeout=30)[1] == "done"
        assert second.result(timeout=30)[1] == "done"


def test_a_run_whose_reader_went_away_without_closing_it_is_stopped(srv):
    """If a cancel lands between two updates and the framework never closes the
    generator, the model server must not go on generating for nobody."""
    import asyncio

    from magistral_debugger.engine.run import DebugRun, live_snapshots
    from magistral_debugger.settings import Settings

    srv.route("POST", "/api/chat", Reply(body=paced(ollama_chat_lines(thinking=["x "] * 400), 0.05)))

    async def read_once_then_walk_away():
        run = DebugRun(Settings(_env_file=None, ollama_url=srv.url), "Assume x = y …")
        snapshots = live_snapshots(run, abandon_after=0.5)
        await anext(snapshots)  # …and never touch it again, nor close it
        await asyncio.sleep(2)
        return run.state.finish_reason

    assert asyncio.run(read_once_then_walk_away()) == "cancelled"
    assert srv.wait_for_hangup(timeout=1) is not None


def test_a_run_whose_reader_is_only_late_because_the_whole_app_was_busy_goes_on(srv):
    """A crowd arriving at once keeps the event loop busy for seconds (Gradio builds each new
    session's state there): the reader that has not come back by then is late, not gone."""
    import asyncio
    import time

    from magistral_debugger.engine.run import DebugRun, live_snapshots
    from magistral_debugger.settings import Settings

    srv.route("POST", "/api/chat", Reply(body=paced(ollama_chat_lines(thinking=["x "] * 20, content=["done"]), 0.05)))

    async def read_through_a_swamped_loop():
        run = DebugRun(Settings(_env_file=None, ollama_url=srv.url), "Assume x = y …")
        snapshots = live_snapshots(run, abandon_after=0.5)
        await anext(snapshots)

        async def swamp() -> None:
            await asyncio.sleep(0.05)
            time.sleep(2)  # the whole loop held, as 200 sessions built at once held it

        hog = asyncio.create_task(swamp())
        await asyncio.sleep(0.3)  # the reader's next turn comes after the swamp
        async for _ in snapshots:
            pass
        await hog
        return run.state

    state = asyncio.run(read_through_a_swamped_loop())
    assert state.finish_reason != "cancelled"
    assert state.answer == "done"


def test_the_api_names_every_input_and_takes_the_apps_settings_as_defaults(srv):
    """What gradio_client callers read: only the text (or question) is required; the rest
    default to what the app was started with, and the outputs keep their order."""
    settings = dict(model="magistral:small", temperature=0.3, top_p=0.5, max_tokens=99, model_version="2509")
    with serve_app(ollama_url=srv.url, **settings) as url:
        api = Client(url, verbose=False).view_api(print_info=False, return_format="dict")
    panel = [
        ("backend", "Radio", True, "ollama"),
        ("url", "Textbox", True, ""),
        ("model", "Dropdown", True, "magistral:small"),
        ("temperature", "Slider", True, 0.3),
        ("top_p", "Slider", True, 0.5),
        ("max_tokens", "Number", True, 99),
        ("version", "Dropdown", True, "2509"),
    ]
    described = {
        name: [
            (p["parameter_name"], p["component"], p["parameter_has_default"], p["parameter_default"])
            for p in endpoint["parameters"]
        ]
        for name, endpoint in api["named_endpoints"].items()
        if not name.startswith("/room_")  # the phone's page's API (tests/ui/test_room_access.py)
    }
    assert described == {
        "/debug": [
            ("text", "Textbox", False, None),
            *panel,
            ("image", "Image", True, None),
            ("lang", "Dropdown", True, "en"),
        ],
        "/follow_up": [("question", "Textbox", False, None), *panel, ("lang", "Dropdown", True, "en")],
    }
    assert api["unnamed_endpoints"] == {}
    for name in ("/debug", "/follow_up"):
        assert [r["label"] for r in api["named_endpoints"][name]["returns"]] == [
            "Reasoning",
            "Answer",
            "Status",
            "Conversation",
            "Notes",
            "Verdict",
        ]


def test_the_debug_handler_given_only_the_text_runs_with_the_apps_settings(srv):
    """The page's handlers are plain methods: called without a browser and with every
    optional input left out, a debug runs on the model, sampling and limit the app was given."""
    import asyncio

    from magistral_debugger.settings import Settings
    from magistral_debugger.ui.handlers import DebuggerPage

    srv.route("POST", "/api/show", json_reply({"capabilities": ["completion", "thinking"]}))
    srv.route(
        "POST",
        "/api/chat",
        Reply(body=ollama_chat_lines(content=["<think>\nx − y is zero", "</think>\n\nStep 5 divides by zero."])),
    )
    page = DebuggerPage(
        Settings(
            _env_file=None, ollama_url=srv.url, model="magistral:small", temperature=0.3, top_p=0.5, max_tokens=321
        )
    )

    async def last_update() -> tuple:
        return [update async for update in page.debug("Assume x = y …")][-1]

    reasoning, answer, status, _, thread, notes, _ = asyncio.run(last_update())
    assert (reasoning, answer, thread, notes) == ("x − y is zero", "Step 5 divides by zero.", "", "")
    assert "Finished" in status
    sent = srv.wait_for_request("/api/chat").json
    assert sent["model"] == "magistral:small"
    assert sent["options"] == {"temperature": 0.3, "top_p": 0.5, "num_predict": 321}
