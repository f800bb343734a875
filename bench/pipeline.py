"""Measurements 1 and 2: pipeline throughput and linearity, and the tutorial's loop.

Runs in its own process pinned to one core (``python -m bench.pipeline OUT.json``);
the loopback model server runs in another process on the other core, so the
numbers are the cost of our side alone.

- **our code alone** — ``ReasoningSplitter`` + ``RunState.apply`` fed ready-made stream
  events, the same dispatch as ``DebugRun._split``; also through ``DebugRun.events()``
  with an in-memory backend (adds the async run loop and its stall deadline).
- **whole path** — ``DebugRun.events()`` against the loopback server sending as fast as
  the socket takes it: bytes → httpx → backend → splitter → state.
- **client alone** — the same bytes read with httpx only (raw, lines, lines + json.loads),
  with the openai client only, and through our backend without the splitter: where the
  whole path's time goes.
- **the tutorial's loop** — the seed's ``debug_faulty_logic_stream`` reimplemented
  faithfully (buffer += content; re.sub over the whole buffer on every chunk; .strip();
  yield; time.sleep(0.02)) and fed the same chunks as real openai ``ChatCompletionChunk``s.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import re
import statistics
import sys
import time
from collections.abc import AsyncIterator, Iterable
from typing import Any

from . import tokens as tk
from .harness import Harness
from .stats import summary

BLOCK = 4096  # tokens per timing block, for cost per token along the stream


# --- our code alone -------------------------------------------------------------------


def ready_made_events(count: int, form: str) -> list:
    from magistral_debugger.events import ContentText, ReasoningText

    return [
        ReasoningText(text) if separate else ContentText(text)
        for separate, text in tk.chunks_for_splitter(tk.stream(count, form), form)
    ]


def our_code(events: list) -> tuple[float, list[float]]:
    """Splitter + run state over ready-made events, as ``DebugRun._split`` dispatches them."""
    from magistral_debugger.engine.splitter import ReasoningSplitter
    from magistral_debugger.engine.state import RunState
    from magistral_debugger.events import ContentText, ReasoningText

    blocks = [events[i : i + BLOCK] for i in range(0, len(events), BLOCK)]
    splitter = ReasoningSplitter()
    state = RunState()
    marks = []
    start = time.perf_counter()
    for block in blocks:
        for event in block:
            kind = type(event)
            if kind is ContentText:
                split = splitter.content(event.text)
            elif kind is ReasoningText:
                split = splitter.reasoning(event.text)
            else:
                continue
            for item in split:
                state.apply(item)
        marks.append(time.perf_counter())
    for item in splitter.finish():
        state.apply(item)
    elapsed = time.perf_counter() - start
    _check(state, events)
    return elapsed, _block_costs(start, marks, [len(b) for b in blocks])


def _check(state: Any, events: list) -> None:
    if not state.reasoning or not state.answer or "THINK" in state.answer or "think>" in state.answer:
        raise AssertionError("the splitter did not separate reasoning from answer")


def memory_backend(events: list) -> Any:
    """A backend that hands over ready-made events: the run loop without any socket."""
    from magistral_debugger.backends import Backend

    class MemoryBackend(Backend):
        kind = "memory"
        url = "memory://bench"

        def missing_model_hint(self, model: str) -> Any:
            return ""

        async def default_model(self) -> str:
            return "magistral"

        async def list_models(self) -> list:
            return []

        async def stream(self, request: Any) -> AsyncIterator[Any]:
            from magistral_debugger.events import Finished, Usage

            for event in events:
                yield event
            yield Usage(prompt_tokens=120, completion_tokens=len(events))
            yield Finished("stop")

    return MemoryBackend()


def _settings(**overrides: Any) -> Any:
    from magistral_debugger.settings import Settings

    return Settings(_env_file=None, **overrides)


async def our_code_in_run(events: list) -> float:
    from magistral_debugger.engine.run import DebugRun

    run = DebugRun(_settings(), "x = y, so 2 = 1", backend=memory_backend(events))
    start = time.perf_counter()
    async for _ in run.events():
        pass
    elapsed = time.perf_counter() - start
    if run.state.finish_reason != "stop":
        raise AssertionError(f"in-memory run ended {run.state.finish_reason}: {run.state.error}")
    return elapsed


# --- the whole path and its parts ----------------------------------------------------------


async def whole_path(url: str, protocol: str, form: str, count: int) -> tuple[float, list[float]]:
    from magistral_debugger.engine.run import DebugRun
    from magistral_debugger.events import Answer, Reasoning

    settings = _settings(backend=protocol, ollama_url=url, openai_base_url=url + "/v1")
    run = DebugRun(settings, tk.marker(form=form, tokens=count))
    marks: list[float] = []
    sizes: list[int] = []
    seen = 0
    next_mark = BLOCK
    start = time.perf_counter()
    async for event in run.events():
        kind = type(event)
        if kind is Reasoning or kind is Answer:
            seen += 1
            if seen == next_mark:
                marks.append(time.perf_counter())
                sizes.append(BLOCK)
                next_mark += BLOCK
    elapsed = time.perf_counter() - start
    state = run.state
    if state.finish_reason != "stop":
        raise AssertionError(f"{protocol}/{form} run ended {state.finish_reason}: {state.error}")
    return elapsed, _block_costs(start, marks, sizes)


async def client_alone(url: str, protocol: str, form: str, count: int, how: str) -> float:
    """The same stream read by the client library alone, to see where the time goes."""
    import httpx

    content = tk.marker(form=form, tokens=count)
    if protocol == "ollama":
        path, body = (
            "/api/chat",
            {"model": "magistral", "messages": [{"role": "user", "content": content}], "stream": True},
        )
    else:
        path, body = (
            "/v1/chat/completions",
            {"model": tk.OPENAI_MODEL, "messages": [{"role": "user", "content": content}], "stream": True},
        )
    start = time.perf_counter()
    async with httpx.AsyncClient(timeout=httpx.Timeout(None)) as http:
        if how == "openai client":
            import openai

            client = openai.AsyncOpenAI(base_url=url + "/v1", api_key="EMPTY", http_client=http, max_retries=0)
            stream = await client.chat.completions.create(model=tk.OPENAI_MODEL, messages=body["messages"], stream=True)
            async for _chunk in stream:
                pass
        elif how == "our backend":
            from magistral_debugger.backends import ChatRequest, make_backend

            backend = make_backend(_settings(backend=protocol, ollama_url=url, openai_base_url=url + "/v1"))
            request = ChatRequest(
                model=tk.OPENAI_MODEL if protocol == "openai" else "magistral",
                messages=body["messages"],
                temperature=0.7,
                top_p=0.95,
                max_tokens=count + 10,
            )
            async for _event in backend.stream(request):
                pass
        else:
            async with http.stream("POST", url + path, json=body) as response:
                if how == "httpx raw bytes":
                    async for _data in response.aiter_raw():
                        pass
                elif how == "httpx lines":
                    async for _line in response.aiter_lines():
                        pass
                elif how == "httpx lines + json.loads":
                    loads = json.loads
                    if protocol == "ollama":
                        async for line in response.aiter_lines():
                            if line:
                                loads(line)
                    else:
                        async for line in response.aiter_lines():
                            if line.startswith("data: {"):
                                loads(line[6:])
                else:
                    raise ValueError(how)
    return time.perf_counter() - start


def _block_costs(start: float, marks: list[float], sizes: list[int]) -> list[float]:
    """Seconds per token in each block."""
    costs = []
    previous = start
    for mark, size in zip(marks, sizes, strict=False):
        costs.append((mark - previous) / size)
        previous = mark
    return costs


def end_over_start(costs: list[float]) -> float | None:
    """Cost per token at the end of a stream ÷ at its start: the cheapest block among the last
    quarter ÷ the cheapest among the first (block 0, with warm-up, skipped). The cheapest block
    is the one other work on a shared machine disturbed least; anything quadratic still shows."""
    if len(costs) < 10:
        return None
    k = max(2, len(costs) // 4)
    return min(costs[-k:]) / min(costs[1 : 1 + k])


# --- the tutorial's loop (seed 000, step 6.2), faithfully --------------------------------


def debug_faulty_logic_stream(response: Iterable[Any], stop_signal: dict, sleep: bool = True):
    """The seed tutorial's streaming loop, as written there (the model call is replaced by
    ``response``, an iterable of openai ``ChatCompletionChunk``; ``sleep=False`` drops its
    ``time.sleep(0.02)``)."""
    stop_signal["stop"] = False
    try:
        buffer = ""
        for chunk in response:
            if stop_signal.get("stop"):
                break
            delta = chunk.choices[0].delta
            if hasattr(delta, "content") and delta.content:
                buffer += delta.content
                filtered = re.sub(r"<think>.*?</think>", "", buffer, flags=re.DOTALL).strip()
                yield filtered
            if sleep:
                time.sleep(0.02)
    except Exception as e:
        yield f"Error: {str(e)}"


def tutorial_chunks(count: int) -> list[Any]:
    """The ``<think>``-inline stream as the ChatCompletionChunk objects the openai client yields."""
    from openai._models import construct_type
    from openai.types.chat import ChatCompletionChunk

    chunks = []
    for event in tk.openai_events(tk.stream(count, "angle"), "angle"):
        data = event[len(b"data: ") :].strip()
        if data == b"[DONE]":
            continue
        parsed = json.loads(data)
        if not parsed.get("choices"):
            continue  # the tutorial does not ask for usage, so the server sends no usage chunk
        chunks.append(construct_type(type_=ChatCompletionChunk, value=parsed))
    return chunks


def tutorial_loop(chunks: list[Any], sleep: bool) -> tuple[float, list[float], str]:
    marks, sizes = [], []
    last = ""
    n = 0
    start = time.perf_counter()
    for last in debug_faulty_logic_stream(chunks, {"stop": False}, sleep=sleep):  # noqa: B007  (the last one is read after)
        n += 1
        if n % BLOCK == 0:
            marks.append(time.perf_counter())
            sizes.append(BLOCK)
    elapsed = time.perf_counter() - start
    return elapsed, _block_costs(start, marks, sizes), last


# --- the run --------------------------------------------------------------------------------


def run(quick: bool, progress=print) -> dict[str, Any]:
    sizes = (2048, 8192) if quick else (40960, 131072)
    reps_alone = 1 if quick else 5
    reps_path = 1 if quick else 3
    breakdown_tokens = 2048 if quick else 20480
    tutorial_tokens = 2048 if quick else 40960
    tutorial_reps = 1 if quick else 3
    sleep_sample = 10 if quick else 100
    out: dict[str, Any] = {
        "sizes": list(sizes),
        "block": BLOCK,
        "alone": {},
        "alone_in_run": {},
        "path": {},
        "client": {},
        "tutorial": {},
    }

    # Our code alone.
    for form in tk.FORMS:
        for count in sizes:
            events = ready_made_events(count, form)
            rates, ratios = [], []
            for _ in range(reps_alone + 1):  # the first is a warm-up
                gc.collect()
                elapsed, costs = our_code(events)
                rates.append(count / elapsed)
                ratios.append(end_over_start(costs))
            rates, ratios = rates[1:], ratios[1:]
            out["alone"][f"{form}/{count}"] = {
                "tokens_per_s": summary(rates),
                "end_over_start": summary([r for r in ratios if r]),
            }
            progress(f"  our code alone {form:7s} {count:>7,}: {statistics.median(rates):>12,.0f} tokens/s")
    for form in tk.FORMS:
        count = sizes[0]
        events = ready_made_events(count, form)
        rates = [count / asyncio.run(our_code_in_run(events)) for _ in range(reps_alone)]
        out["alone_in_run"][f"{form}/{count}"] = {"tokens_per_s": summary(rates)}
        progress(f"  our code in DebugRun {form:7s} {count:>7,}: {statistics.median(rates):>12,.0f} tokens/s")

    with Harness(cpu=1) as harness:
        # The whole path, each protocol and form.
        for protocol in ("ollama", "openai"):
            for form in tk.FORMS:
                for count in sizes:
                    if protocol == "openai" and count == sizes[1] and form != "field":
                        continue  # the openai client makes these slow; linearity is shown on one form
                    harness.prepare(protocol, form, count)
                    rates, ratios = [], []
                    for _ in range(reps_path if not (protocol == "openai" and count == sizes[1]) else 1):
                        gc.collect()
                        elapsed, costs = asyncio.run(whole_path(harness.url, protocol, form, count))
                        rates.append(count / elapsed)
                        ratios.append(end_over_start(costs))
                    out["path"][f"{protocol}/{form}/{count}"] = {
                        "tokens_per_s": summary(rates),
                        "end_over_start": summary([r for r in ratios if r]),
                    }
                    progress(
                        f"  whole path {protocol:6s} {form:7s} {count:>7,}: {statistics.median(rates):>10,.0f} tokens/s"
                    )
        # Where the whole path's time goes (separate-field form).
        for protocol in ("ollama", "openai"):
            harness.prepare(protocol, "field", breakdown_tokens)
            hows = ["httpx raw bytes", "httpx lines", "httpx lines + json.loads"]
            hows += ["openai client"] if protocol == "openai" else []
            hows += ["our backend"]
            for how in hows:
                rates = []
                for _ in range(reps_path):
                    gc.collect()
                    rates.append(
                        breakdown_tokens
                        / asyncio.run(client_alone(harness.url, protocol, "field", breakdown_tokens, how))
                    )
                out["client"][f"{protocol}/{how}"] = {"tokens_per_s": summary(rates), "tokens": breakdown_tokens}
                progress(f"  client alone {protocol:6s} {how:25s}: {statistics.median(rates):>10,.0f} tokens/s")
            out["client"][f"{protocol}/whole path"] = out["path"][f"{protocol}/field/{sizes[0]}"]

    # The tutorial's loop against ours, same <think>-inline chunks.
    chunks = tutorial_chunks(tutorial_tokens)
    events = ready_made_events(tutorial_tokens, "angle")
    ours, theirs, theirs_ratio = [], [], []
    for _ in range(tutorial_reps):
        gc.collect()
        elapsed, costs, last = tutorial_loop(chunks, sleep=False)
        if "</think>" in last or "Okay" in last[:10]:
            raise AssertionError("the tutorial loop did not filter the reasoning")
        theirs.append(tutorial_tokens / elapsed)
        theirs_ratio.append(end_over_start(costs))
        ours.append(tutorial_tokens / our_code(events)[0])
        progress(f"  tutorial loop (no sleep) {tutorial_tokens:,}: {theirs[-1]:,.0f} tokens/s; ours {ours[-1]:,.0f}")
    # With its sleep: 40,960 × 20 ms is 14 minutes, so time the first chunks and extrapolate.
    sample = chunks[:sleep_sample]
    with_sleep_sample, _c, _l = tutorial_loop(sample, sleep=True)
    without_sleep_sample, _c, _l = tutorial_loop(sample, sleep=False)
    sleep_per_chunk = (with_sleep_sample - without_sleep_sample) / len(sample)
    no_sleep_seconds = tutorial_tokens / statistics.median(theirs)
    with_sleep_seconds = no_sleep_seconds + sleep_per_chunk * len(chunks)
    out["tutorial"] = {
        "tokens": tutorial_tokens,
        "no_sleep_tokens_per_s": summary(theirs),
        "no_sleep_end_over_start": summary([r for r in theirs_ratio if r]),
        "ours_tokens_per_s": summary(ours),
        "speedup_no_sleep": summary([o / t for o, t in zip(ours, theirs, strict=False)]),
        "sleep_sample_chunks": len(sample),
        "sleep_seconds_per_chunk": sleep_per_chunk,
        "with_sleep_tokens_per_s_extrapolated": tutorial_tokens / with_sleep_seconds,
        "with_sleep_seconds_extrapolated": with_sleep_seconds,
        "speedup_with_sleep": statistics.median(ours) / (tutorial_tokens / with_sleep_seconds),
    }
    progress(
        f"  tutorial loop with sleep: {tutorial_tokens / with_sleep_seconds:,.1f} tokens/s (extrapolated from {len(sample)} chunks)"
    )
    return out


def main() -> None:
    args = sys.argv[1:]
    quick = "--quick" in args
    target = next(a for a in args if not a.startswith("--"))
    try:
        os.sched_setaffinity(0, {0})
        pinned = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        pinned = None
    result = run(quick, progress=lambda line: print(line, file=sys.stderr, flush=True))
    result["pinned_cpus"] = pinned
    with open(target, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
