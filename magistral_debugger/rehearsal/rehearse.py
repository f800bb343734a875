"""``magistral-debugger rehearse``: every example against the model server, the evening before class.

It answers what a teacher needs to know before the room does: which examples this model
and server get right, how long each takes, and whether it accuses correct proofs. It
writes one folder:

- ``recordings/``: one recording per run, in the format of ``MAGISTRAL_RECORD_DIR``, named
  after its example (``recordings/A/…`` and ``recordings/B/…`` with ``--compare``);
- ``scorecard.json``, ``scorecard.md``, ``scorecard.html``: the runs graded (``scorecard.py``);
- ``plan.json`` and ``runs.jsonl``: the command and each run as it ended (``journal.py``), which
  ``--resume DIR`` goes on from.

``--dataset FILE`` rehearses a benchmark instead of the gallery (ProcessBench, or any set in its
shape: ``benchmark/processbench.py``), ``--limit N --seed S`` a stratified sample of it
(``benchmark/sample.py``); the scorecard then also scores it as the paper does
(``benchmark/paper.py``). A run that fails on the server's side (a 5xx, a 429, a stream cut
off) is asked again ``--retries`` times, waiting longer each time (a 429's Retry-After when
it gives one), and then counted as the error it was.

Pointed at that folder (``MAGISTRAL_REHEARSAL_DIR``), the page marks its examples and
replays their recordings when the model server is down (``talk_mode.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time
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
from .benchmark.paper import with_benchmark
from .benchmark.processbench import read_datasets
from .benchmark.sample import stratified_sample
from .journal import Journal, read_plan, write_plan
from .keep import keep
from .scorecard import OUTCOME_WORDS, Counts, RunResult, scorecard
from .scorecard_pages import html_page, markdown, summary_lines

# What a failed run is asked again for: the server failed (5xx, 429, an error in the stream),
# the stream broke off, or it went silent. Not a missing model, a refused request, no server.
RETRIED = frozenset({"server", "cut", "timeout"})

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
    parser.add_argument(
        "--dataset",
        nargs="+",
        metavar="FILE",
        help="a benchmark's files instead of the examples: ProcessBench's JSON (or JSON Lines of the same items)",
    )
    parser.add_argument("--limit", type=int, metavar="N", help="a stratified sample of N dataset items")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="the sample's seed (default: 0)")
    parser.add_argument("--resume", metavar="DIR", help="go on with the rehearsal in DIR, skipping the runs it holds")
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="write the dataset items the rehearsal in DIR got right (or --only these) as example files to --out",
    )
    parser.add_argument(
        "--retries", type=int, default=2, metavar="R", help="ask again R times after a server failure (default: 2)"
    )
    parser.add_argument(
        "--retry-wait", type=float, default=2.0, metavar="S", help="first wait before asking again, doubled each time"
    )
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
    for flag in ("parallel", "repeat", "limit"):
        if getattr(args, flag) is not None and getattr(args, flag) < 1:
            parser.error(f"--{flag} must be at least 1")
    if args.retries < 0 or args.retry_wait < 0:
        parser.error("--retries and --retry-wait cannot be negative")
    if args.limit and not args.dataset:
        parser.error("--limit samples a --dataset")
    if args.keep and (args.dataset or args.resume):
        parser.error("--keep reads a finished rehearsal: it runs nothing")
    if args.dataset and (args.examples or args.only):
        parser.error("--dataset takes the place of --examples and --only")
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


def chosen_examples(args: argparse.Namespace) -> list[Example]:
    """The dataset's items (its sample with ``--limit``), else the gallery's examples (``--only``)."""
    if args.dataset:
        items = read_datasets(args.dataset)
        return stratified_sample(items, args.limit, args.seed) if args.limit else list(items)
    return pick_examples(examples_in(args.examples), args.only)


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
    name = re.sub(r"[^\w.-]+", "_", example.slug)  # a dataset's id may hold anything
    return folder / f"{name}{f'-{repeat}' if repeats > 1 else ''}{SUFFIX}"


@dataclass(frozen=True)
class Retries:
    times: int = 0
    first_wait_s: float = 2.0

    def wait_s(self, attempt: int, retry_after_s: int | None) -> float:
        """Before asking again the ``attempt``-th time (from 1): what a 429 asked, else doubling."""
        return float(retry_after_s) if retry_after_s is not None else self.first_wait_s * 2 ** (attempt - 1)


async def run_example(
    configuration: Configuration,
    example: Example,
    repeat: int,
    server: Backend,
    out: Path,
    recording: Path,
    retries: Retries = Retries(),
) -> RunResult:
    """One run, recorded (the last attempt's); the server's client is shared by every run of its configuration."""
    for attempt in range(retries.times + 1):
        backend = RecordingBackend(server, out / recording.parent, configuration.settings, name=recording.name)
        run = DebugRun(configuration.settings, example.argument, backend=backend, proof=example.given)
        async for _ in run.events():
            pass
        state = run.state
        if state.finish_reason != "error" or state.error_kind not in RETRIED or attempt == retries.times:
            break
        if backend.path is not None:
            backend.path.unlink(missing_ok=True)  # the attempt's recording gives way to the next one's
        await asyncio.sleep(retries.wait_s(attempt + 1, state.retry_after_s))
    recorded = recording.as_posix() if backend.path is not None and backend.path.exists() else None
    return RunResult.of(configuration.name, example, repeat, state, recorded)


async def rehearse(
    chosen: Sequence[Configuration],
    examples: Sequence[Example],
    out: Path,
    *,
    repeat: int = 1,
    parallel: int = 1,
    retries: Retries = Retries(),
    report: Callable[[RunResult], None] = lambda result: None,
) -> dict[str, Any]:
    """Every example × repetition × configuration, ``parallel`` at a time, but those the folder's
    journal holds already (a resumed rehearsal); each run is journaled as it ends, and the
    scorecard is written at the end, or as far as it got when interrupted (``"complete": false``)."""
    started = datetime.now().astimezone()
    compared = len(chosen) > 1
    journal = Journal(out)
    results = journal.results()
    done = {(r.configuration, r.slug, r.repeat) for r in results}
    # Repetition by repetition, the configurations side by side: a server that slows down
    # over the evening slows every configuration and example alike.
    every = [(c, e, k) for k in range(1, repeat + 1) for e in examples for c in chosen]
    jobs = iter([(c, e, k) for c, e, k in every if (c.name, e.slug, k) not in done])
    servers = {c.name: backend_class(c.settings.backend).from_settings(c.settings) for c in chosen}
    complete = False

    async def worker() -> None:
        for configuration, example, k in jobs:  # one iterator: each job is taken once
            path = recording_path(configuration, example, k, repeat, compared)
            server = servers[configuration.name]
            result = await run_example(configuration, example, k, server, out, path, retries)
            results.append(result)
            journal.add(result)
            report(result)

    journal.start_sitting()
    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(parallel):
                group.create_task(worker())
        complete = True
    finally:
        journal.end_sitting()
        for server in servers.values():
            await server.aclose()
        card = scorecard(
            [describe(c, results) for c in chosen],
            examples,
            results,
            repeat=repeat,
            started=started,
            finished=datetime.now().astimezone(),
            complete=complete,
            seconds=journal.seconds(),
            parallel=parallel,
        )
        data = with_benchmark(card, examples, results)
        write_scorecard(out, data)
    return data


def write_scorecard(out: Path, data: dict[str, Any]) -> None:
    (out / "scorecard.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "scorecard.md").write_text(markdown(data), encoding="utf-8")
    (out / "scorecard.html").write_text(html_page(data), encoding="utf-8")


class Progress:
    """A progress bar on stderr (tqdm, drawn only on a terminal) with the running F1 and the
    generated tokens per second, and a line per finished run."""

    def __init__(self, total: int, compared: bool, stream: TextIO = sys.stderr, done: Sequence[RunResult] = ()) -> None:
        self.bar = tqdm(total=total, initial=len(done), unit="run", file=stream, disable=None, dynamic_ncols=True)
        self.stream = stream
        self.compared = compared
        # Running totals, a run added as it ends: the bar's F1 costs the same at run 3,400 as at run 1.
        self.counts: dict[str, Counts] = {}
        self.tally: Counter[str] = Counter()
        for result in done:
            self.count(result)
        self.tokens = 0  # generated in this sitting, since ``started``
        self.started = time.monotonic()

    def __call__(self, result: RunResult) -> None:
        self.count(result)
        self.tokens += result.reasoning_tokens + result.answer_tokens
        self.bar.write(self.line(result), file=self.stream)
        self.bar.set_postfix_str(self.postfix(), refresh=False)
        self.bar.update()

    def count(self, result: RunResult) -> None:
        self.counts[result.configuration] = self.counts.get(result.configuration, Counts()) + Counts.of([result])
        self.tally[OUTCOME_WORDS[result.outcome]] += 1

    def line(self, result: RunResult) -> str:
        verdict = "" if result.verdict is None else f" (verdict: {result.verdict})"
        where = f"{result.configuration} " if self.compared else ""
        seconds = sum(s for s in (result.time_to_first_token_s, result.thinking_s, result.answer_s) if s is not None)
        return f"{where}{result.slug} #{result.repeat}: {OUTCOME_WORDS[result.outcome]}{verdict}, {seconds:.1f} s"

    def postfix(self) -> str:
        """``F1 0.67, 412 tok/s, correct 8, wrong step 3`` (F1 per configuration when comparing)."""
        f1s = []
        for name in sorted(self.counts):
            f1 = self.counts[name].rates()["f1"]
            f1s.append(f"{name + ' ' if self.compared else ''}F1 {'—' if f1 is None else f'{f1:.2f}'}")
        per_second = self.tokens / max(time.monotonic() - self.started, 1e-9)
        return ", ".join([*f1s, f"{per_second:.0f} tok/s", *(f"{word} {n}" for word, n in self.tally.items())])

    def close(self) -> None:
        self.bar.close()


def prepared(
    args: argparse.Namespace, argv: Sequence[str]
) -> tuple[argparse.Namespace, list[Configuration], list[Example], Path]:
    """The arguments (a resumed rehearsal's own, with what this command line adds), the
    configurations, the examples and the folder; ``ValueError``/``OSError`` say what is wrong."""
    resumed = Path(args.resume) if args.resume else None
    plan = read_plan(resumed) if resumed else None
    if plan is not None:
        args = parse_args([*plan["argv"], *argv])  # later flags win: a --url given again, say
    chosen = configurations(base_settings(args), args.compare)
    examples = chosen_examples(args)
    ids = [e.slug for e in examples]
    if resumed is None or plan is None:
        out = output_folder(args.out, datetime.now())
        write_plan(out, argv, ids)
        return args, chosen, examples, out
    if ids != plan["examples"]:
        raise ValueError(f"--resume {resumed}: these arguments choose other examples than the rehearsal did")
    return args, chosen, examples, resumed


def keep_examples(args: argparse.Namespace) -> int:
    to = Path(args.out or Path(args.keep) / "examples")
    try:
        written = keep(Path(args.keep), args.only, to)
    except (ValueError, OSError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    print(
        f"{len(written)} example file(s) in {to}: MAGISTRAL_EXAMPLES_DIR={to} lists them on the page", file=sys.stderr
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Exit codes: 0 every run happened (whatever the model said), 1 some run ended in an
    error, 2 bad arguments or settings, 130 interrupted (the folder holds what was done)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if args.keep:
        return keep_examples(args)
    own = [w for w in argv if w not in ("--resume", args.resume) and not w.startswith("--resume=")]
    try:
        args, chosen, examples, out = prepared(args, own)
    except (ValueError, OSError) as error:
        detail = (
            "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
            if isinstance(error, ValidationError)
            else str(error)
        )
        print(f"error: {detail}", file=sys.stderr)
        return 2
    total = len(examples) * args.repeat * len(chosen)
    progress = Progress(total, len(chosen) > 1, done=Journal(out).results())
    retries = Retries(args.retries, args.retry_wait)
    try:
        data = asyncio.run(
            rehearse(
                chosen, examples, out, repeat=args.repeat, parallel=args.parallel, retries=retries, report=progress
            )
        )
    except KeyboardInterrupt:
        progress.close()
        print(f"\nstopped: {out} holds the runs done so far; --resume {out} goes on.", file=sys.stderr)
        return 130
    progress.close()
    for line in summary_lines(data):
        print(line)
    print(f"scorecard: {out / 'scorecard.md'} (and .html, .json); recordings: {out / 'recordings'}")
    return 1 if any(c["totals"]["outcomes"]["error"] for c in data["configurations"]) else 0
