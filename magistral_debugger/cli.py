"""``python -m magistral_debugger "flawed text"``: the answer on stdout, the reasoning on stderr.

So ``… > answer.md`` keeps just the answer. ``--json`` prints one event per line on
stdout for scripts. Exit codes: 0 answered, 1 error, 3 no answer (e.g. out of tokens
while thinking), 130 interrupted. ``… rehearse`` is a command of its own (rehearse.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from collections.abc import AsyncIterator, Callable
from typing import TextIO

from .backends import BACKENDS
from .engine.run import DebugRun, Focused, Judged, RunEvent
from .engine.state import RunState
from .engine.verdict import NoVerdict, Verdict
from .events import Answer, AnswerWasReasoning, Notice, Reasoning
from .settings import Settings

DIM, RESET = "\x1b[2m", "\x1b[0m"
# C0 controls but line breaks and tabs, DEL and C1 controls: what the model or server sent must not
# drive the terminal (clear it, retitle it, write the clipboard through OSC 52, hide text).
_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text from the model or the server, made safe to print: control characters are dropped,
    so an escape sequence shows as its harmless remainder instead of acting."""
    return _TERMINAL_CONTROLS.sub("", text)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="magistral-debugger",
        description="Ask Magistral to find the flaw in an argument or proof.",
        epilog="Settings also come from MAGISTRAL_* environment variables and .env (see .env.example). "
        "'magistral-debugger rehearse --help': run the examples against the server and score them.",
    )
    parser.add_argument("text", nargs="?", help="the flawed argument or proof (read from stdin when omitted)")
    parser.add_argument("--backend", choices=list(BACKENDS), help="model server kind (default: ollama)")
    parser.add_argument(
        "--replay", metavar="FILE", help="play back a recorded run (a .jsonl file) instead of asking a server"
    )
    parser.add_argument(
        "--speed", choices=["1", "2", "4", "instant"], help="replay speed (default: 1, the recorded pace)"
    )
    parser.add_argument(
        "--url",
        help="server URL (Ollama: http://localhost:11434, OpenAI: http://localhost:8000/v1, "
        "Mistral: https://api.mistral.ai/v1)",
    )
    parser.add_argument(
        "--model", help="model name (default: magistral, the server's first model, or mistral-small-latest)"
    )
    parser.add_argument("--max-tokens", type=int, help="limit on generated tokens")
    parser.add_argument(
        "--thinking-budget",
        type=float,
        metavar="SECONDS",
        help="after this many seconds of thinking the model must answer from its reasoning so far (0: no limit)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON event per line on stdout")
    parser.add_argument("--ui", action="store_true", help="start the web UI instead")
    return parser.parse_args(argv)


def settings_from_args(args: argparse.Namespace) -> Settings:
    overrides: dict = {}
    if args.backend:
        overrides["backend"] = args.backend
    if args.model:
        overrides["model"] = args.model
    if args.max_tokens:
        overrides["max_tokens"] = args.max_tokens
    if args.thinking_budget is not None:
        overrides["thinking_budget"] = args.thinking_budget
    if args.replay:
        overrides.update(backend="replay", replay_file=args.replay)
    if args.speed:
        overrides["replay_speed"] = args.speed
    return Settings(**overrides).with_server_url(args.url or "")


def state_summary(state: RunState) -> dict:
    return {
        "model": state.model,
        "finish_reason": state.finish_reason,
        "message": state.outcome(),
        "time_to_first_token_s": state.time_to_first_token(),
        "thinking_s": state.thinking_seconds(),
        "reasoning_tokens": state.reasoning_tokens(),
        "answer_tokens": state.answer_tokens(),
        "tokens_per_s": state.tokens_per_second(),
    }


async def stream_to_terminal(run: DebugRun, out: TextIO, err: TextIO, as_json: bool) -> RunState:
    dim = err.isatty() and not as_json
    in_reasoning = False
    # Where a server's template opened the thinking block itself, reasoning arrives as plain
    # content until its closing tag. A terminal can take it back with a note; a file
    # (``> answer.md``) cannot, so there answer text is held until it is surely answer: a
    # reasoning field or an opening tag came (a closing tag can no longer turn it into
    # reasoning), a closing tag came, or the stream ended.
    held: list[str] = []
    sure = as_json or out.isatty()

    def release() -> None:
        if held:
            out.write(printable("".join(held)))
            out.flush()
            held.clear()

    async for event in _then(run.events(), release):  # held text is answer once the stream ends
        if as_json:
            if isinstance(event, Reasoning):
                record: dict[str, object] = {"type": "reasoning", "text": event.text}
            elif isinstance(event, Answer):
                record = {"type": "answer", "text": event.text}
            elif isinstance(event, AnswerWasReasoning):
                record = {"type": "answer_was_reasoning"}
            elif isinstance(event, Notice):
                record = {"type": "notice", "message": event.message}
            elif isinstance(event, Focused):
                record = {"type": "focus", "step": event.step}
            elif isinstance(event, Judged):
                if not isinstance(event.verdict, Verdict):
                    continue  # no usable verdict line: no event
                record = event.verdict.as_json()
            else:
                record = {"type": "end", **state_summary(event.state)}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
            continue
        if isinstance(event, Reasoning):
            if not sure:
                sure = True
                release()
            if not in_reasoning and dim:
                err.write(DIM)
            in_reasoning = True
            err.write(printable(event.text))
            err.flush()
            continue
        if in_reasoning:
            err.write((RESET if dim else "") + "\n")
            in_reasoning = False
        if isinstance(event, Answer):
            if sure:
                out.write(printable(event.text))
                out.flush()
            else:
                held.append(event.text)
        elif isinstance(event, AnswerWasReasoning):
            if held:  # it never reached stdout: it goes where reasoning goes
                err.write((DIM if dim else "") + printable("".join(held)) + (RESET if dim else "") + "\n")
                held.clear()
            else:
                err.write("(the text printed as answer so far was the model's reasoning)\n")
            sure = True
        elif isinstance(event, Notice):
            err.write(f"note: {printable(event.message)}\n")
    if in_reasoning:
        err.write((RESET if dim else "") + "\n")
    state = run.state
    if not as_json and state.answer and not state.answer.endswith("\n"):
        out.write("\n")
    if not state.ok:
        err.write(f"error: {printable(state.outcome())}\n")
    elif not as_json and state.verdict is not None:
        err.write(verdict_line(state.verdict) + "\n")
    return state


async def _then(events: AsyncIterator[RunEvent], last: Callable[[], None]) -> AsyncIterator[RunEvent]:
    """``events``, then ``last()`` however they end (finished, failed, or stopped by Ctrl-C)."""
    try:
        async for event in events:
            yield event
    finally:
        last()


def verdict_line(outcome: Verdict | NoVerdict) -> str:
    """The plain CLI's last line on stderr: ``verdict: step 4 (division by zero)``."""
    if isinstance(outcome, NoVerdict):
        return "note: the model gave no step verdict"
    if outcome.step is None:
        return "verdict: none (no flaw found)"
    kind = f"other: {outcome.words}" if outcome.words else outcome.kind  # words: a kind outside the list
    return f"verdict: step {outcome.step} ({printable(kind)})"


def exit_code(state: RunState) -> int:
    if state.ok:
        return 0
    return 1 if state.finish_reason == "error" else 3


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["rehearse"]:  # a subcommand of its own: the examples against the server, scored
        from .rehearsal.rehearse import main as rehearse

        return rehearse(argv[1:])
    args = parse_args(argv)
    try:
        settings = settings_from_args(args)
    except ValueError as error:
        print(f"error: invalid setting: {_first_line(error)}", file=sys.stderr)
        return 2
    if args.ui:
        from .ui import launch

        launch(settings)
        return 0
    text = args.text if args.text is not None else ("" if sys.stdin.isatty() else sys.stdin.read())
    run = DebugRun(settings, text)
    try:
        state = asyncio.run(stream_to_terminal(run, sys.stdout, sys.stderr, args.json))
    except KeyboardInterrupt:
        sys.stderr.write(("\x1b[0m" if sys.stderr.isatty() else "") + "\nstopped.\n")
        return 130
    return exit_code(state)


def _first_line(error: Exception) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return "; ".join(lines[1:3]) if len(lines) > 1 else (lines[0] if lines else "")


if __name__ == "__main__":
    raise SystemExit(main())
