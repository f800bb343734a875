"""Synthetic Magistral output: a deterministic token stream in each wire form.

A stream is ``tokens`` tokens long: about 85 % reasoning, then the answer (Magistral
thinks far longer than it answers). Token texts look like English and maths, about
4.5 characters each as with Mistral's Tekken tokenizer, with a few ``<`` and ``[``
so the splitter's slow path (a possible tag start) is exercised as in real proofs.

Wire forms, as servers deliver reasoning:

- ``field``   — in its own field (Ollama ``message.thinking``, vLLM ``delta.reasoning``)
- ``bracket`` — inline ``[THINK]…[/THINK]`` (Magistral 2507/2509 without a reasoning parser)
- ``angle``   — inline ``<think>…</think>`` (Magistral 2506, what the tutorial filters)
"""

from __future__ import annotations

import bisect
import json
import random
from dataclasses import dataclass
from functools import lru_cache

FORMS = ("field", "bracket", "angle")
REASONING_SHARE = 0.85

_WORDS = (
    " the step x y equals so divide by zero both sides cancel we get assume then "
    "therefore but since this means factor subtract add square root of is not a valid "
    "move because when are equal which makes undefined proof claims that it follows "
    "let check again wait actually hmm right true false each term case holds for all n"
).split()
_MATH = [" x²", " −", " (x+y)", "(x−y)", " =", " y(x−y)", " 2y", " 1", " 0", " ≠", " ⇒", " ∀", " ∑"]
# Rare: a "<" or "[" that is not a tag, as in "x < y" or "a[i]" (forces the splitter's careful path).
_RARE = [" <", " x<y", " [", " a[i]", " <=", " [1]"]
_PUNCT = [",", ".", ":", ";"]


@dataclass(frozen=True)
class Token:
    text: str
    pane: str  # "reasoning", "answer", or "" for tags and separators nobody sees


@lru_cache(maxsize=16)
def stream(tokens: int, form: str, seed: int = 8, verdict: str = "") -> tuple[Token, ...]:
    """The tokens of one run, tags included (tags count as tokens, as on a real server).

    ``verdict`` ("3", "none"): the answer's last tokens are the verdict line the app asks
    for, ``Flawed step: 3``, in the same total of tokens (a rehearsal grades it)."""
    if form not in FORMS:
        raise ValueError(f"unknown wire form {form!r}")
    rng = random.Random(seed)
    open_tag, close_tag = {"field": ("", ""), "bracket": ("[THINK]", "[/THINK]"), "angle": ("<think>", "</think>")}[
        form
    ]
    head = [Token(open_tag, "")] if open_tag else []
    tail_sep = [Token(close_tag, "")] if close_tag else []
    body = tokens - len(head) - len(tail_sep)
    n_reasoning = int(body * REASONING_SHARE)
    out = list(head)
    out += _words(rng, n_reasoning, "reasoning", first="Okay")
    out += tail_sep
    out += _words(rng, body - n_reasoning, "answer", first="The")
    if verdict:
        line = [Token(text, "answer") for text in ("\n\n", "Fl", "awed", " step", ":", f" {verdict}")]
        out[len(out) - len(line) :] = line
    return tuple(out)


def _words(rng: random.Random, n: int, pane: str, first: str) -> list[Token]:
    out: list[Token] = []
    previous = ""
    for i in range(n):
        if i == 0:
            text = first
        else:
            roll = rng.random()
            if roll < 0.005:
                text = rng.choice(_RARE)
            elif roll < 0.12:
                text = rng.choice(_MATH)
            elif roll < 0.22:
                text = rng.choice(_PUNCT)
            elif roll < 0.235:
                text = ".\n\n"
            else:
                text = " " + rng.choice(_WORDS)
            if previous.endswith("\n"):
                text = text.lstrip(" ") or "So"  # no indented lines: Markdown would unindent them
        out.append(Token(text, pane))
        previous = text
    return out


def chunks_for_splitter(tokens: tuple[Token, ...], form: str) -> list[tuple[bool, str]]:
    """``(is_separate_reasoning, text)`` per token, as a backend hands them over."""
    if form == "field":
        return [(t.pane == "reasoning", t.text) for t in tokens]
    return [(False, t.text) for t in tokens]


class PaneIndex:
    """Which tokens a pane of a given length shows: for latency, from the pane text alone.

    Panes are shown stripped, so the visible length after token *i* is the length of
    everything up to it, right-stripped.
    """

    def __init__(self, tokens: tuple[Token, ...]) -> None:
        self.ends: dict[str, list[int]] = {"reasoning": [], "answer": []}
        self.token_ids: dict[str, list[int]] = {"reasoning": [], "answer": []}
        # Streams start each pane with a non-blank token, so only the right strip matters.
        length = {"reasoning": 0, "answer": 0}
        for i, token in enumerate(tokens):
            if not token.pane:
                continue
            ends = self.ends[token.pane]
            visible = token.text.rstrip()
            ends.append(length[token.pane] + len(visible) if visible else (ends[-1] if ends else 0))
            length[token.pane] += len(token.text)
            self.token_ids[token.pane].append(i)

    def shown(self, pane: str, length: int) -> int:
        """How many of ``pane``'s tokens a pane of ``length`` characters shows."""
        return bisect.bisect_right(self.ends[pane], length)


# --- wire encodings -------------------------------------------------------------------

OLLAMA_MODEL = "magistral:latest"
OPENAI_MODEL = "mistralai/Magistral-Small-2509"
_CREATED_AT = "2025-09-18T10:00:00.000000000Z"


def ollama_lines(tokens: tuple[Token, ...], form: str) -> list[bytes]:
    """One NDJSON line per token, as Ollama's /api/chat streams them, then the done line."""
    head = '{"model":"magistral","created_at":"' + _CREATED_AT + '","message":{"role":"assistant","content":'
    lines = []
    for token in tokens:
        text = json.dumps(token.text, ensure_ascii=False)
        if form == "field" and token.pane == "reasoning":
            lines.append(f'{head}"","thinking":{text}}},"done":false}}\n')
        else:
            lines.append(f'{head}{text}}},"done":false}}\n')
    done = {
        "model": "magistral",
        "created_at": _CREATED_AT,
        "message": {"role": "assistant", "content": ""},
        "done": True,
        "done_reason": "stop",
        "total_duration": 1_234_000_000,
        "load_duration": 12_000_000,
        "prompt_eval_count": 120,
        "prompt_eval_duration": 45_000_000,
        "eval_count": len(tokens),
        "eval_duration": 1_100_000_000,
    }
    lines.append(json.dumps(done, separators=(",", ":")) + "\n")
    return [line.encode() for line in lines]


def openai_events(tokens: tuple[Token, ...], form: str) -> list[bytes]:
    """One SSE event per token, as vLLM streams chat completion chunks, then usage and [DONE]."""
    head = (
        'data: {"id":"chatcmpl-bench0123456789abcdef","object":"chat.completion.chunk","created":1758189600,'
        f'"model":"{OPENAI_MODEL}","choices":[{{"index":0,"delta":{{'
    )
    tail = '},"logprobs":null,"finish_reason":null}]}\n\n'
    events = []
    for i, token in enumerate(tokens):
        key = "reasoning" if form == "field" and token.pane == "reasoning" else "content"
        role = '"role":"assistant",' if i == 0 else ""
        events.append(f'{head}{role}"{key}":{json.dumps(token.text, ensure_ascii=False)}{tail}')
    events.append(head + '},"logprobs":null,"finish_reason":"stop"}]}\n\n')
    usage = {"prompt_tokens": 120, "completion_tokens": len(tokens), "total_tokens": 120 + len(tokens)}
    events.append(
        'data: {"id":"chatcmpl-bench0123456789abcdef","object":"chat.completion.chunk","created":1758189600,'
        f'"model":"{OPENAI_MODEL}","choices":[],"usage":{json.dumps(usage)}}}\n\n'
    )
    events.append("data: [DONE]\n\n")
    return [event.encode() for event in events]


def frames(protocol: str, tokens: tuple[Token, ...], form: str) -> list[bytes]:
    """Per-token wire frames (the last frames end the stream), without HTTP chunk framing."""
    return ollama_lines(tokens, form) if protocol == "ollama" else openai_events(tokens, form)


def chunked(frame: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(frame), frame)


# --- the scenario marker: the flawed text tells the loopback model server what to stream ---


def marker(**fields: object) -> str:
    return "BENCH:" + ";".join(f"{k}={v}" for k, v in fields.items())


def parse_marker(body: bytes) -> dict[str, str]:
    start = body.find(b"BENCH:")
    if start < 0:
        return {}
    end = start + 6
    allowed = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.=;-"
    while end < len(body) and body[end] in allowed:
        end += 1
    fields = {}
    for item in body[start + 6 : end].decode().split(";"):
        key, _, value = item.partition("=")
        if key:
            fields[key] = value
    return fields
