"""The command line: ``python -m magistral_debugger "flawed text"`` puts the answer on stdout, the reasoning on stderr.

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
from typing import TextIO, get_args

from .backends import BACKENDS
from .engine.run import DebugRun, Focused, Judged, RunEvent
from .engine.state import RunState
from .engine.verdict import NoVerdict, Verdict
from .events import Answer, AnswerWasReasoning, Notice, Reasoning
from .settings import ReasoningEffort, Settings

EFFORT_CHOICES: tuple[str, ...] = get_args(ReasoningEffort)

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
        "'magistral-debugger rehearse --help': run the examples against the server and score them; "
        "'magistral-debugger handout --help': a proof as a worksheet PDF with its answer key.",
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
    parser.add_argument(
        "--effort",
        choices=list(EFFORT_CHOICES),
        help="reasoning effort, only where the model takes that level (default: auto, the model's own; "
        "none answers without thinking)",
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
    if args.effort:
        overrides["reasoning_effort"] = args.effort
    if args.replay:
        overrides.update(backend="replay", replay_file=args.replay)
    if args.speed:
        overrides["replay_speed"] = args.speed
    return Settings(**overrides).with_server_url(args.url or "")


def state_summary(state: RunState) -> dict:
    return {
        "model": state.model,
        "reasoning_effort": state.effort,
        "finish_reason": state.finish_reason,
        "message": state.outcome(),
        "time_to_first_token_s": state.time_to_first_token(),
        "thinking_s": state.thinking_seconds(),
        "reasoning_tokens": state.reasoning_tokens(),
        "answer_tokens": state.answer_tokens(),
        "tokens_per_s": state.tokens_per_second(),
    }


async def stream_to_terminal(run: DebugRun, out: TextIO, err: TextIO, as_json: bool) -> RunState:
    """The run's events as they come (one JSON line each, or the answer on ``out`` and the
    reasoning on ``err``), then how it ended: the printers do the first, one function the last."""
    printer = _JsonLines(out) if as_json else _TerminalText(out, err)
    async for event in _then(run.events(), printer.release):  # held text is answer once the stream ends
        printer.show(event)
    printer.end_reasoning()
    state = run.state
    _print_ending(state, out, err, as_json)
    return state


class _JsonLines:
    """``--json``: one line on stdout for each event, for scripts (nothing is ever held back)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def show(self, event: RunEvent) -> None:
        record = _json_record(event)
        if record is None:
            return
        self.out.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.out.flush()

    def release(self) -> None:
        """Nothing to release: every event was written as it came."""

    def end_reasoning(self) -> None:
        """Nothing to end: a JSON line carries no terminal colour."""


def _json_record(event: RunEvent) -> dict | None:
    """The JSON line for one event; None for a verdict event with no usable verdict line."""
    if isinstance(event, Reasoning):
        return {"type": "reasoning", "text": event.text}
    if isinstance(event, Answer):
        return {"type": "answer", "text": event.text}
    if isinstance(event, AnswerWasReasoning):
        return {"type": "answer_was_reasoning"}
    if isinstance(event, Notice):
        return {"type": "notice", "message": event.message}
    if isinstance(event, Focused):
        return {"type": "focus", "step": event.step}
    if isinstance(event, Judged):
        return event.verdict.as_json() if isinstance(event.verdict, Verdict) else None
    return {"type": "end", **state_summary(event.state)}


class _TerminalText:
    """The answer on stdout and the reasoning on stderr, dimmed where stderr is a terminal.

    Where a server's template opened the thinking block itself, reasoning arrives as plain
    content until its closing tag. A terminal can take it back with a note; a file
    (``> answer.md``) cannot, so there answer text is held until it is surely answer: a
    reasoning field or an opening tag came (a closing tag can no longer turn it into
    reasoning), a closing tag came, or the stream ended."""

    def __init__(self, out: TextIO, err: TextIO) -> None:
        self.out, self.err = out, err
        self.dim = err.isatty()
        self.in_reasoning = False
        self.held: list[str] = []
        self.sure = out.isatty()

    def show(self, event: RunEvent) -> None:
        if isinstance(event, Reasoning):
            self._reasoning(event.text)
            return
        self.end_reasoning()
        if isinstance(event, Answer):
            self._answer(event.text)
        elif isinstance(event, AnswerWasReasoning):
            self._answer_was_reasoning()
        elif isinstance(event, Notice):
            self.err.write(f"note: {printable(event.message)}\n")

    def release(self) -> None:
        """The held text goes out as answer."""
        if self.held:
            self.out.write(printable("".join(self.held)))
            self.out.flush()
            self.held.clear()

    def end_reasoning(self) -> None:
        """The reasoning's dimming ends, on a line of its own, before anything else is printed."""
        if self.in_reasoning:
            self.err.write((RESET if self.dim else "") + "\n")
            self.in_reasoning = False

    def _reasoning(self, text: str) -> None:
        """Reasoning proves what was held is answer (so it goes out first), then goes to stderr."""
        if not self.sure:
            self.sure = True
            self.release()
        if not self.in_reasoning and self.dim:
            self.err.write(DIM)
        self.in_reasoning = True
        self.err.write(printable(text))
        self.err.flush()

    def _answer(self, text: str) -> None:
        if self.sure:
            self.out.write(printable(text))
            self.out.flush()
        else:
            self.held.append(text)

    def _answer_was_reasoning(self) -> None:
        """Held text never reached stdout, so it goes where reasoning goes; printed text gets a note."""
        if self.held:
            dim, reset = (DIM, RESET) if self.dim else ("", "")
            self.err.write(dim + printable("".join(self.held)) + reset + "\n")
            self.held.clear()
        else:
            self.err.write("(the text printed as answer so far was the model's reasoning)\n")
        self.sure = True


def _print_ending(state: RunState, out: TextIO, err: TextIO, as_json: bool) -> None:
    """The answer's last line ended, then the error or (for people) the verdict on stderr."""
    if not as_json and state.answer and not state.answer.endswith("\n"):
        out.write("\n")
    if not state.ok:
        err.write(f"error: {printable(state.outcome())}\n")
    elif not as_json and state.verdict is not None:
        err.write(verdict_line(state.verdict) + "\n")


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
    if argv[:1] == ["handout"]:  # a worksheet PDF and its .tex, from an example, a file or a recording
        from .handout.command import main as handout

        return handout(argv[1:])
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
