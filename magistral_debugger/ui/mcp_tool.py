"""The debugger as one tool for assistants, ``debug_proof``, served by Gradio's MCP server
(``MAGISTRAL_MCP=true``; the endpoints are /gradio_api/mcp/ and /gradio_api/mcp/sse).

Gradio serves each public endpoint as a tool. This one is registered with ``gr.api`` outside the
queue, so that it runs in the MCP request's own task: when the request is cancelled
(``notifications/cancelled``) the run is cancelled with it, and DebugRun's cancellation closes the
backend stream, so the model server sees the hang-up. A queued tool would run as a loopback
gradio_client job that goes on after the request is cancelled or the client has left (measured on
Gradio 6.31). Outside the queue Gradio sends no progress, so the tool sends its own through the MCP
SDK's request context, about once a second: a client waiting through a long thinking sees it move,
and a client that left is found out at the next one (sending fails), which stops the run too.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import gradio as gr

from ..engine.run import DebugRun, live_snapshots
from ..engine.state import RunState
from ..engine.verdict import NoVerdict, Verdict
from ..i18n import t
from ..prompting.examples import given_proof
from ..settings import Settings
from .admission import Busy
from .handlers import DebuggerPage
from .view import outcome_text, status_markdown

# Seconds between two progress notifications while the model works.
PROGRESS_INTERVAL = 1.0
TOOL_ENDPOINT = "/debug_proof"
TOOL_LANGUAGE = "en"  # what an assistant reads: the English words of the locales
Send = Callable[[float, str], Awaitable[None]]


def tool_result(state: RunState, include_reasoning: bool = False) -> dict[str, Any]:
    """What the tool returns for a finished run, as plain data: the verdict (the flawed step, its
    kind and its text; step None when the model found no flaw; None when it gave no verdict line),
    the explanation, how the run ended and, when asked, the reasoning."""
    result: dict[str, Any] = {
        "verdict": verdict_data(state.verdict),
        "explanation": state.answer,
        "outcome": state.finish_reason or "cancelled",
        "status": outcome_text(state, TOOL_LANGUAGE) if state.finish_reason != "stop" or not state.answer else "",
        "thinking_cut_short": state.thinking_stopped_at is not None,
        "steps": list(state.steps),
        "model": state.model,
    }
    if isinstance(state.verdict, NoVerdict):
        result["no_verdict_because"] = state.verdict.reason
    if include_reasoning:
        result["reasoning"] = state.reasoning
    return result


def verdict_data(verdict: Verdict | NoVerdict | None) -> dict[str, Any] | None:
    if not isinstance(verdict, Verdict):
        return None
    return {"step": verdict.step, "kind": verdict.kind, "text": verdict.text}


def chosen_budget(app_budget: float, asked: float) -> float:
    """The thinking budget of one call: the caller may ask for a shorter one than the app's
    (MAGISTRAL_THINKING_BUDGET), never a longer one; 0 means none."""
    budgets = [seconds for seconds in (app_budget, asked) if seconds and seconds > 0]
    return min(budgets) if budgets else 0.0


class Progress:
    """Progress notifications for the MCP request being served, when its client asked for them
    (a progress token); a call from anywhere else (gradio_client, a test) reports nothing."""

    def __init__(self, send: Send | None) -> None:
        self._send = send
        self._count = 0.0

    @classmethod
    def of_request(cls) -> Progress:
        try:
            from mcp.server.lowlevel.server import request_ctx  # the SDK: only there where MCP is served

            context = request_ctx.get()
        except (ImportError, LookupError):  # not an MCP request (gradio_client, a test)
            return cls(None)
        token = context.meta.progressToken if context.meta is not None else None
        if token is None:
            return cls(None)

        async def send(progress: float, message: str) -> None:
            await context.session.send_progress_notification(
                progress_token=token, progress=progress, message=message, related_request_id=str(context.request_id)
            )

        return cls(send)

    async def report(self, message: str) -> None:
        """One notification; the count goes up by one each time, as MCP wants progress to grow."""
        if self._send is not None:
            self._count += 1
            await self._send(self._count, message)


class DebugProofTool:
    """The one MCP tool: a debugging run with the app's server and settings, admitted like the
    page's runs (a caller beyond the waiting line is told the app is busy)."""

    def __init__(self, page: DebuggerPage) -> None:
        self.page = page

    def settings_for(self, thinking_budget: float) -> Settings:
        settings = self.page.settings
        budget = chosen_budget(settings.thinking_budget, thinking_budget)
        if budget == settings.thinking_budget:
            return settings
        return Settings.model_validate(settings.model_dump() | {"thinking_budget": budget})

    async def debug_proof(self, text: str, include_reasoning: bool = False, thinking_budget: float = 0) -> str:
        """Find the first flawed step of a mathematical proof or argument. Magistral, Mistral's reasoning model, reads the proof step by step and names the earliest step that does not follow (division by zero, an invalid cancellation, circular reasoning, an unproven assumption, ...), or says the proof holds. It thinks before it answers, which can take from seconds to minutes: progress is reported while it works, and cancelling the call stops the model.

        Args:
            text: The proof or argument to check, as plain text (LaTeX math is fine), one step per line or sentence; the steps are numbered from 1 in the order given.
            include_reasoning: True to get the model's full reasoning as well (long); false by default.
            thinking_budget: Seconds of thinking after which the model must answer from its reasoning so far; 0 (the default) keeps the app's own budget, and a budget longer than the app's is not granted. Keep it under your client's timeout for tool calls.

        Returns:
            A JSON object: "verdict" is {"step": N, "kind": K, "text": the step's text}, with "step": null when the model found no flaw, or the whole verdict null when the model gave none (then "no_verdict_because" says why); "explanation" is the model's explanation in Markdown; "outcome" is "stop" (answered), "length" (ran out of tokens), "cancelled" or "error", with "status" saying what went wrong in words; "thinking_cut_short" is true when the thinking budget ended the thinking; "steps" is the proof as numbered, "model" the model that answered, and "reasoning" is there when include_reasoning was true.
        """
        settings = self.settings_for(float(thinking_budget or 0))
        progress = Progress.of_request()
        try:
            slot = self.page.admission.request()
        except Busy:
            return as_json(
                {"verdict": None, "explanation": "", "outcome": "error", "status": t("status_busy", TOOL_LANGUAGE)}
            )
        async with slot:
            if slot.must_wait:
                await progress.report(t("status_queued", TOOL_LANGUAGE, ahead=slot.ahead))
                await slot.turn()
            run = DebugRun(settings, text or "", proof=given_proof(text or "", self.page.examples))
            async for state in live_snapshots(run, PROGRESS_INTERVAL):
                if not state.done:
                    await progress.report(status_markdown(state, TOOL_LANGUAGE))
        return as_json(tool_result(run.state, bool(include_reasoning)))


def as_json(result: dict[str, Any]) -> str:
    """JSON text: Gradio hands a tool's output to the client as ``str(value)``, which for a dict
    would be Python's repr, not JSON."""
    return json.dumps(result, ensure_ascii=False)


def add_mcp_tool(page: DebuggerPage) -> None:
    """Registers ``debug_proof`` on the Blocks being built (call it inside ``with gr.Blocks()``)."""
    tool = DebugProofTool(page)
    gr.api(tool.debug_proof, api_name=TOOL_ENDPOINT.lstrip("/"), queue=False)


def keep_only_the_tool(app: gr.Blocks) -> None:
    """Makes ``debug_proof`` the MCP server's one tool, once ``launch`` has made the server.

    Gradio makes every documented endpoint a tool, and its one way to leave an endpoint out,
    ``api_visibility="undocumented"``, also hides its parameters from gradio_client, which then
    no longer fills in the defaults of ``/debug`` (the page's API must stay as it is: only the
    text required). So the server's map of tools to endpoints keeps only this one: the page's
    endpoints stay on the API, and are neither listed nor callable as tools.
    """
    server = app.mcp_server_obj
    if server is None:  # MCP not served (the SDK is missing: launch said so)
        return
    server.tool_to_endpoint = {
        name: endpoint for name, endpoint in server.tool_to_endpoint.items() if endpoint == TOOL_ENDPOINT
    }
