"""``magistral-debugger rehearse``: every example against the model server, the evening before class.

It answers what a teacher needs to know before the room does: which examples this model
and server get right, how long each takes, and whether it accuses correct proofs. It
writes one folder:

- ``recordings/``: one recording per run, in the format of ``MAGISTRAL_RECORD_DIR``, named
  after its example (``recordings/A/…`` and ``recordings/B/…`` with ``--compare``);
- ``scorecard.json``, ``scorecard.md``, ``scorecard.html``: the runs graded (``scorecard.py``).

Pointed at that folder (``MAGISTRAL_REHEARSAL_DIR``), the page marks its examples and
replays their recordings when the model server is down (``talk_mode.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from dotenv import dotenv_values
from pydantic import ValidationError
from tqdm import tqdm

from ..backends import BACKENDS, Backend, RecordingBackend, backend_class
from ..backends.recording import SUFFIX
from ..engine.run import DebugRun
from ..prompting.examples import EXAMPLES_DIR, Example, load_examples
from ..prompting.families import EFFORTS
from ..prompting.messages import detect_version
from ..redaction import public_url
from ..settings import Settings
from .scorecard import OUTCOME_WORDS, RunResult, scorecard
from .scorecard_pages import html_page, markdown, summary_lines

COMPARE_HELP = """\
--compare takes two configurations, each either KEY=VALUE[,KEY=VALUE...] or a .env file.
Keys are the settings' names, with or without MAGISTRAL_ (model, model_version, temperature,
top_p, max_tokens, reasoning_effort, backend, ...), url for the chosen backend's server and
effort for reasoning_effort. Each is applied over the settings of this command line, the
environment and .env. For example:
  --compare effort=none effort=high        (what thinking buys on these examples)
  --compare model=magistral:24b model=magistral:24b-small-2509-q8_0
  --compare temperature=0.7 temperature=0.2
  --compare backend=ollama backend=openai,url=http://gpu-box:8000/v1
  --compare laptop.env gpu.env"""


# --compare keys that are not a setting's own name.
COMPARE_ALIASES = {"effort": "reasoning_effort"}


@dataclass(frozen=True)
class Configuration:
    name: str  # "A", "B": how the scorecard's columns and the recordings' folders are named
    label: str  # what was asked for, as typed ("" without --compare)
    settings: Settings


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="magistral-debugger rehearse",
        description="Run the examples against the model server; write a scorecard and a recording of every run.",
        epilog=COMPARE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="EXAMPLE",
        help="only these examples: a file name without .toml, or its start (01 18_monty)",
    )
    parser.add_argument("--examples", metavar="DIR", help="a folder of example .toml files (default: the app's own)")
    parser.add_argument("--parallel", type=int, default=1, metavar="N", help="runs at once (default: 1)")
    parser.add_argument(
        "--repeat", type=int, default=1, metavar="K", help="run each example K times; rates get their spread"
    )
    parser.add_argument("--compare", nargs=2, metavar=("A", "B"), help="two configurations side by side (see below)")
    parser.add_argument("--out", metavar="DIR", help="the folder to write (default: rehearsal-DATE-TIME)")
    parser.add_argument("--backend", choices=[name for name in BACKENDS if name != "replay"], help="model server kind")
    parser.add_argument("--url", help="server URL")
    parser.add_argument("--model", help="model name")
    parser.add_argument("--max-tokens", type=int, help="limit on generated tokens")
    parser.add_argument(
        "--effort", choices=["auto", *EFFORTS], help="reasoning effort, only where the model takes it (default: auto)"
    )
    args = parser.parse_args(argv)
    for flag in ("parallel", "repeat"):
        if getattr(args, flag) < 1:
            parser.error(f"--{flag} must be at least 1")
    return args


def base_settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    for field in ("backend", "model", "max_tokens"):
        if getattr(args, field):
            overrides[field] = getattr(args, field)
    if getattr(args, "effort", None):
        overrides["reasoning_effort"] = args.effort
    return Settings(**overrides).with_server_url(args.url or "")


def configuration_settings(base: Settings, spec: str) -> Settings:
    """``base`` with one ``--compare`` configuration applied: KEY=VALUE pairs, or a .env file."""
    path = Path(spec)
    if path.is_file():
        pairs = {key: value for key, value in dotenv_values(path).items() if value is not None}
    elif "=" in spec:
        pairs = dict(item.split("=", 1) for item in spec.split(",") if item.strip())
    else:
        raise ValueError(f"--compare {spec!r} is neither KEY=VALUE[,KEY=VALUE...] nor a file")
    overrides: dict[str, str] = {}
    url = ""
    for key, value in pairs.items():
        name = COMPARE_ALIASES.get(name := key.strip().lower().removeprefix("magistral_"), name)
        if name == "url":
            url = value.strip()
        elif name in Settings.model_fields:
            overrides[name] = value.strip()
        else:
            raise ValueError(f"--compare {spec!r}: {key.strip()!r} is not a setting")
    return Settings.model_validate(base.model_dump() | overrides).with_server_url(url)


def configurations(base: Settings, compare: Sequence[str] | None) -> list[Configuration]:
    chosen = [Configuration("A", "", base)]
    if compare:
        chosen = [
            Configuration(name, spec, configuration_settings(base, spec))
            for name, spec in zip("AB", compare, strict=True)
        ]
    for configuration in chosen:
        if not backend_class(configuration.settings.backend).live:
            raise ValueError("a rehearsal needs a model server: MAGISTRAL_BACKEND=replay only plays a recording back")
    return chosen


def examples_in(folder: str | None) -> tuple[Example, ...]:
    path = Path(folder) if folder else EXAMPLES_DIR
    try:
        examples = load_examples(path)  # type: ignore[arg-type]  # hashable; typeshed's Traversable protocol does not say so
    except KeyError as missing:
        raise ValueError(f"an example file in {path} has no {missing} field") from None
    if not examples:
        raise ValueError(f"{path} holds no example files (*.toml)")
    return examples


def pick_examples(examples: Sequence[Example], only: Sequence[str] | None) -> list[Example]:
    """``--only``: each name picks the example with that file name, else those that start with it."""
    if not only:
        return list(examples)
    picked: list[Example] = []
    for name in only:
        exact = [e for e in examples if e.slug == name]
        matches = exact or [e for e in examples if e.slug.startswith(name)]
        if not matches:
            raise ValueError(f"--only {name}: no example file is named like that")
        picked += [e for e in matches if e not in picked]
    return picked


def output_folder(out: str | None, now: datetime) -> Path:
    folder = Path(out or f"rehearsal-{now:%Y%m%d-%H%M%S}")
    if folder.exists() and any(folder.iterdir()):
        raise ValueError(f"{folder} already holds files: a rehearsal writes a folder of its own (choose another --out)")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def describe(configuration: Configuration, results: Sequence[RunResult]) -> dict[str, Any]:
    """A configuration as the scorecard's top names it: no secret, the model the server ran."""
    settings = configuration.settings
    ran = Counter(r.model for r in results if r.configuration == configuration.name and r.model)
    model = ran.most_common(1)[0][0] if ran else settings.model
    return {
        "name": configuration.name,
        "label": configuration.label,
        "model": model or "(the server's default: no run reached it)",
        "backend": settings.backend,
        "server": public_url(settings.server_url),
        "prompt_format": detect_version(model, settings.model_version) if model else settings.model_version,
        "prompt_format_setting": settings.model_version,
        "temperature": settings.temperature,
        "top_p": settings.top_p,
        "max_tokens": settings.max_tokens,
        "reasoning_effort": _effort_used(configuration, results),
    }


def _effort_used(configuration: Configuration, results: Sequence[RunResult]) -> str:
    """The effort the runs sent (the most common; "none sent" for a model that takes none), else the setting."""
    sent = Counter(r.reasoning_effort for r in results if r.configuration == configuration.name and r.model)
    if not sent:
        return configuration.settings.reasoning_effort
    effort = sent.most_common(1)[0][0]
    return effort if effort is not None else "(none sent)"


def recording_path(configuration: Configuration, example: Example, repeat: int, repeats: int, compared: bool) -> Path:
    """``recordings/[A/]<example>[-<run>].jsonl``, relative to the rehearsal folder."""
    folder = Path("recordings") / (configuration.name if compared else "")
    return folder / f"{example.slug}{f'-{repeat}' if repeats > 1 else ''}{SUFFIX}"


async def run_example(
    configuration: Configuration, example: Example, repeat: int, server: Backend, out: Path, recording: Path
) -> RunResult:
    """One run, recorded; the server's client is shared by every run of its configuration."""
    backend = RecordingBackend(server, out / recording.parent, configuration.settings, name=recording.name)
    run = DebugRun(configuration.settings, example.argument, backend=backend)
    async for _ in run.events():
        pass
    recorded = recording.as_posix() if backend.path is not None and backend.path.exists() else None
    return RunResult.of(configuration.name, example, repeat, run.state, recorded)


async def rehearse(
    chosen: Sequence[Configuration],
    examples: Sequence[Example],
    out: Path,
    *,
    repeat: int = 1,
    parallel: int = 1,
    report: Callable[[RunResult], None] = lambda result: None,
) -> dict[str, Any]:
    """Every example × repetition × configuration, ``parallel`` at a time; the folder is
    written at the end, or as far as it got when interrupted (``"complete": false``)."""
    started = datetime.now().astimezone()
    compared = len(chosen) > 1
    # Repetition by repetition, the configurations side by side: a server that slows down
    # over the evening slows every configuration and example alike.
    jobs = iter([(c, e, k) for k in range(1, repeat + 1) for e in examples for c in chosen])
    servers = {c.name: backend_class(c.settings.backend).from_settings(c.settings) for c in chosen}
    results: list[RunResult] = []
    complete = False

    async def worker() -> None:
        for configuration, example, k in jobs:  # one iterator: each job is taken once
            path = recording_path(configuration, example, k, repeat, compared)
            result = await run_example(configuration, example, k, servers[configuration.name], out, path)
            results.append(result)
            report(result)

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(parallel):
                group.create_task(worker())
        complete = True
    finally:
        for server in servers.values():
            await server.aclose()
        data = scorecard(
            [describe(c, results) for c in chosen],
            examples,
            results,
            repeat=repeat,
            started=started,
            finished=datetime.now().astimezone(),
            complete=complete,
        )
        write_scorecard(out, data)
    return data


def write_scorecard(out: Path, data: dict[str, Any]) -> None:
    (out / "scorecard.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "scorecard.md").write_text(markdown(data), encoding="utf-8")
    (out / "scorecard.html").write_text(html_page(data), encoding="utf-8")


class Progress:
    """A progress bar on stderr (tqdm, drawn only on a terminal) and a line per finished run."""

    def __init__(self, total: int, compared: bool, stream: TextIO = sys.stderr) -> None:
        self.bar = tqdm(total=total, unit="run", file=stream, disable=None, dynamic_ncols=True)
        self.stream = stream
        self.compared = compared
        self.tally: Counter[str] = Counter()

    def __call__(self, result: RunResult) -> None:
        self.tally[OUTCOME_WORDS[result.outcome]] += 1
        verdict = "" if result.verdict is None else f" (verdict: {result.verdict})"
        where = f"{result.configuration} " if self.compared else ""
        seconds = sum(s for s in (result.time_to_first_token_s, result.thinking_s, result.answer_s) if s is not None)
        line = f"{where}{result.slug} #{result.repeat}: {OUTCOME_WORDS[result.outcome]}{verdict}, {seconds:.1f} s"
        self.bar.write(line, file=self.stream)
        self.bar.set_postfix_str(", ".join(f"{word} {n}" for word, n in self.tally.items()), refresh=False)
        self.bar.update()

    def close(self) -> None:
        self.bar.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Exit codes: 0 every run happened (whatever the model said), 1 some run ended in an
    error, 2 bad arguments or settings, 130 interrupted (the folder holds what was done)."""
    args = parse_args(argv)
    try:
        chosen = configurations(base_settings(args), args.compare)
        examples = pick_examples(examples_in(args.examples), args.only)
        out = output_folder(args.out, datetime.now())
    except (ValueError, OSError) as error:
        detail = (
            "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
            if isinstance(error, ValidationError)
            else str(error)
        )
        print(f"error: {detail}", file=sys.stderr)
        return 2
    total = len(examples) * args.repeat * len(chosen)
    progress = Progress(total, len(chosen) > 1)
    try:
        data = asyncio.run(rehearse(chosen, examples, out, repeat=args.repeat, parallel=args.parallel, report=progress))
    except KeyboardInterrupt:
        progress.close()
        print(f"\nstopped: the scorecard in {out} holds the runs done so far.", file=sys.stderr)
        return 130
    progress.close()
    for line in summary_lines(data):
        print(line)
    print(f"scorecard: {out / 'scorecard.md'} (and .html, .json); recordings: {out / 'recordings'}")
    return 1 if any(c["totals"]["outcomes"]["error"] for c in data["configurations"]) else 0
