"""``magistral-debugger handout SOURCE``: a handout made from the command line, for a teacher
preparing a class without the page (the same files as the page's Handout button).

SOURCE is an example's name (as the gallery's files are named), a recording of a finished run
(``.jsonl``: its verdict and explanation make the key), a text file of a proof, or ``-`` for
standard input. Exit codes: 0 written, 1 nothing to make (one line on stderr), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from ..engine.run import DebugRun
from ..engine.state import RunState
from ..prompting.examples import load_examples
from ..settings import Settings
from . import Handout, HandoutError, from_example, from_run, worksheet

LANGUAGES = ("en", "pt", "es", "zh_cn", "vi")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="magistral-debugger handout",
        description="A proof as a worksheet PDF (answer key on page 2) and the same as .tex.",
    )
    parser.add_argument(
        "source", help="an example's name (01_two_equals_one_cancel), a run's recording (.jsonl), a text file, or -"
    )
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="the handout's language (default: en)")
    parser.add_argument("--out", default=".", help="the folder to write NAME.pdf and NAME.tex in (default: .)")
    parser.add_argument("--title", default="", help="the title (default: the example's, or a generic one)")
    parser.add_argument("--no-key", action="store_true", help="the worksheet alone, without the answer key")
    return parser.parse_args(argv)


def replayed(path: Path) -> RunState:
    """A recording played back at once: the run's steps, verdict and answer as it ended."""
    run = DebugRun(Settings(backend="replay", replay_file=str(path), replay_speed="instant"), "")

    async def to_end() -> None:
        async for _ in run.events():
            pass

    asyncio.run(to_end())
    return run.state


def made(args: argparse.Namespace) -> tuple[str, Handout]:
    key = not args.no_key
    example = next((e for e in load_examples() if e.slug == args.source), None)
    if example is not None:
        return example.slug, from_example(example, args.lang, answer_key=key)
    if args.source == "-":
        return "handout", worksheet(sys.stdin.read(), lang=args.lang, title=args.title, answer_key=key)
    path = Path(args.source)
    if not path.is_file():
        raise ValueError(f"{args.source} is neither an example's name nor a file")
    if path.suffix == ".jsonl":
        state = replayed(path)
        if state.error is not None:
            raise ValueError(f"{path}: {state.error}")
        return path.stem, from_run(state, args.lang, title=args.title, answer_key=key)
    text = path.read_text(encoding="utf-8")
    return path.stem, worksheet(text, lang=args.lang, title=args.title, answer_key=key)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        name, handout = made(args)
    except (ValueError, OSError, HandoutError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not handout.tex.count(r"\item"):
        print("error: the proof has no step to print", file=sys.stderr)
        return 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for suffix, write in ((".pdf", handout.pdf), (".tex", handout.tex.encode("utf-8"))):
        target = out / f"{name}{suffix}"
        target.write_bytes(write)
        print(target)
    return 0
