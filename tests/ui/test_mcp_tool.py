"""The debugger as an MCP tool (MAGISTRAL_MCP=true): the MCP SDK's own client, over both transports
Gradio serves (SSE and streamable HTTP), against the real app and a loopback model server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest
from gradio_client import Client
from mcp import ClientSession, types
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

from tests.conftest import serve_app
from tests.loopback import ModelServer, Reply, Sleep, chat_path, chat_stream, paced
from tests.runs import backend_url

PROOF = "Let x = y.\nThen x² = xy.\nSo x² − y² = xy − y².\nDivide both sides by x − y: x + y = y.\nSo 2 = 1."
ANSWER = ["Step 4 divides both sides by x − y, which is zero.\n", "Flawed step: 4 (division by zero)"]
TRANSPORTS = ["sse", "streamable_http"]


@asynccontextmanager
async def mcp_session(app_url: str, transport: str) -> AsyncIterator[ClientSession]:
    """An initialized MCP session with the app, over the transport Gradio serves at that path."""
    base = app_url.rstrip("/") + "/gradio_api/mcp"
    streams: AbstractAsyncContextManager[Any] = (
        sse_client(base + "/sse") if transport == "sse" else streamable_http_client(base + "/")
    )
    async with streams as (read, write, *_), ClientSession(read, write) as session:
        await session.initialize()
        yield session


def run(coroutine_fn: Callable[[], Any], timeout: float = 60) -> Any:
    return asyncio.run(asyncio.wait_for(coroutine_fn(), timeout))


def serve(srv: ModelServer, backend: str, reasoning: list[str], answer: list[str] = ANSWER, pace: float = 0) -> None:
    body = chat_stream(backend, reasoning, answer)
    srv.route("POST", chat_path(backend), Reply(body=paced(body, pace) if pace else body))


def result_of(called: types.CallToolResult) -> dict[str, Any]:
    assert not called.isError, called.content
    [content] = called.content
    assert isinstance(content, types.TextContent)
    return json.loads(content.text)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_the_one_tool_is_listed_with_its_schema_and_a_description_to_act_on(srv, transport):
    with serve_app(mcp=True, ollama_url=srv.url) as url:

        async def listed() -> list[types.Tool]:
            async with mcp_session(url, transport) as session:
                return (await session.list_tools()).tools

        tools = run(listed)
    assert [tool.name for tool in tools] == ["debug_proof"]
    [tool] = tools
    schema = tool.inputSchema
    assert schema["required"] == ["text"]
    assert schema["properties"]["text"]["type"] == "string"
    assert schema["properties"]["include_reasoning"]["type"] == "boolean"
    assert schema["properties"]["thinking_budget"]["type"] == "number"
    assert "flawed step" in (tool.description or "")
    assert "cancelling the call stops the model" in (tool.description or "")
    for name in ("text", "include_reasoning", "thinking_budget"):
        assert schema["properties"][name].get("description"), name


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_call_returns_the_verdict_and_the_explanation(srv, transport):
    serve(srv, "ollama", ["x − y is zero, ", "so step 4 divides by zero"])
    with serve_app(mcp=True, ollama_url=srv.url) as url:

        async def called() -> types.CallToolResult:
            async with mcp_session(url, transport) as session:
                return await session.call_tool("debug_proof", {"text": PROOF, "include_reasoning": True})

        result = result_of(run(called))
    assert result["verdict"] == {
        "step": 4,
        "kind": "division by zero",
        "text": "Divide both sides by x − y: x + y = y.",
    }
    assert result["explanation"] == "Step 4 divides both sides by x − y, which is zero."
    assert result["outcome"] == "stop" and result["status"] == ""
    assert result["reasoning"] == "x − y is zero, so step 4 divides by zero"
    assert result["steps"][3] == "Divide both sides by x − y: x + y = y."
    assert PROOF.splitlines()[0] in srv.wait_for_request("/api/chat").json["messages"][-1]["content"]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_progress_notifications_arrive_while_the_model_thinks(srv, transport):
    serve(srv, "ollama", [f"thought {i} " for i in range(30)], pace=0.1)  # three seconds of thinking
    with serve_app(mcp=True, ollama_url=srv.url) as url:
        seen: list[tuple[float, str | None]] = []

        async def on_progress(progress: float, total: float | None, message: str | None) -> None:
            seen.append((progress, message))

        async def called() -> types.CallToolResult:
            async with mcp_session(url, transport) as session:
                return await session.call_tool("debug_proof", {"text": PROOF}, progress_callback=on_progress)

        result = result_of(run(called))
    assert result["verdict"]["step"] == 4
    assert len(seen) >= 2, seen
    assert [progress for progress, _ in seen] == sorted({progress for progress, _ in seen})
    assert any("Thinking" in (message or "") for _, message in seen), seen


def test_a_cancelled_call_hangs_up_on_the_model_server(srv):
    """Over SSE the session lives as long as the client's connection, so the client's
    notifications/cancelled reaches the call. (Gradio serves streamable HTTP stateless: a
    notification comes in a request of its own that knows no earlier call, so there a call
    ends when its client hangs up its request, the test after this one.)"""
    serve(srv, "ollama", [f"thought {i} " for i in range(400)], pace=0.05)
    with serve_app(mcp=True, ollama_url=srv.url) as url:

        async def cancel_midway() -> None:
            async with mcp_session(url, "sse") as session:
                call = asyncio.ensure_future(session.call_tool("debug_proof", {"text": PROOF}))
                await asyncio.to_thread(srv.wait_for_request, "/api/chat", 20)
                await asyncio.sleep(0.5)
                request_id = session._request_id - 1  # the call's: the SDK numbers requests in order
                await session.send_notification(
                    types.ClientNotification(
                        types.CancelledNotification(
                            params=types.CancelledNotificationParams(requestId=request_id, reason="the user stopped")
                        )
                    )
                )
                hung_up = await asyncio.to_thread(srv.wait_for_hangup, 5)
                call.cancel()
                assert hung_up is not None, "the model server was not hung up on"

        run(cancel_midway)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_client_that_leaves_mid_call_hangs_up_on_the_model_server(srv, transport):
    serve(srv, "ollama", [f"thought {i} " for i in range(400)], pace=0.05)
    with serve_app(mcp=True, ollama_url=srv.url) as url:

        async def leave_midway() -> None:
            async with mcp_session(url, transport) as session:
                call = asyncio.ensure_future(session.call_tool("debug_proof", {"text": PROOF}))
                await asyncio.to_thread(srv.wait_for_request, "/api/chat", 20)
                await asyncio.sleep(0.5)
                call.cancel()
            # the session and its connection are closed here

        run(leave_midway)
        assert srv.wait_for_hangup(timeout=5) is not None


def test_the_thinking_budget_cuts_a_long_thinking_and_the_call_still_answers(srv):
    backend = "openai"
    srv.route(
        "POST",
        chat_path(backend),
        [
            Reply(body=[*chat_stream(backend, ["Step 4 divides ", "by x − y, "], complete=False), Sleep(30)]),
            Reply(body=chat_stream(backend, (), ANSWER)),
        ],
    )
    with serve_app(mcp=True, backend=backend, **backend_url(srv, backend)) as url:

        async def called() -> types.CallToolResult:
            async with mcp_session(url, "streamable_http") as session:
                return await session.call_tool("debug_proof", {"text": PROOF, "thinking_budget": 1})

        result = result_of(run(called))
    assert srv.wait_for_hangup(5) is not None
    assert result["thinking_cut_short"] is True
    assert result["verdict"]["step"] == 4 and result["outcome"] == "stop"
    assert result["explanation"].startswith("Step 4 divides")


def test_with_the_tool_on_the_pages_api_is_still_there_for_gradio_client(srv):
    serve(srv, "ollama", ["x − y is zero"])
    with serve_app(mcp=True, ollama_url=srv.url) as url:
        client = Client(url, verbose=False)
        endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
        reasoning, answer, *_ = client.submit(PROOF, api_name="/debug").result(timeout=30)
    assert {"/debug", "/follow_up", "/debug_proof"} <= set(endpoints)
    assert (reasoning, answer) == ("x − y is zero", "Step 4 divides both sides by x − y, which is zero.")


def test_without_the_setting_there_is_no_tool_and_no_mcp_endpoint(srv):
    import requests

    with serve_app(ollama_url=srv.url) as url:
        endpoints = Client(url, verbose=False).view_api(print_info=False, return_format="dict")["named_endpoints"]
        schema = requests.get(url + "gradio_api/mcp/schema", timeout=10)
    # the page's API and the phone's (room_*), no tool
    assert {name for name in endpoints if not name.startswith("/room_")} == {"/debug", "/follow_up"}
    assert schema.status_code == 404


def test_public_mode_serves_no_tool_whose_calls_would_skip_the_visitors_budgets(srv, capfd):
    import requests

    with serve_app(
        mcp=True, public=True, backend="mistral", mistral_base_url=srv.url + "/v1", mistral_api_key="k"
    ) as url:
        endpoints = Client(url, verbose=False).view_api(print_info=False, return_format="dict")["named_endpoints"]
        schema = requests.get(url + "gradio_api/mcp/schema", timeout=10)
    assert "/debug_proof" not in endpoints and schema.status_code == 404
    assert "MAGISTRAL_MCP=true is ignored in public mode" in capfd.readouterr().err
