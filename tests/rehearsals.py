"""A small gallery of examples, one per way a run can end, and a loopback server scripted per
example: what the tests of ``magistral-debugger rehearse`` and of talk mode rehearse against.

Each example carries a marker word in its first step; the server answers a request by the
marker its prompt carries (``PerRequest``), so the reply depends on which example was sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from magistral_debugger.rehearsal.rehearse import main as rehearse_main
from tests.loopback import (
    ModelServer,
    PerRequest,
    Received,
    Reply,
    json_reply,
    ollama_chat_lines,
    ollama_error,
    openai_error,
    openai_sse_events,
    user_text,
)
from tests.runs import backend_url

REASONING = ["Checking ", "each step."]


@dataclass(frozen=True)
class Scripted:
    """An example of the gallery and what the server says to it."""

    slug: str
    flawed_step: int  # 0: a correct control
    verdict_line: str | None = None  # the answer's last line; None: the answer has none
    ending: str = "stop"  # or "length" (out of tokens while thinking), "500"

    @property
    def marker(self) -> str:
        return self.slug.split("_", 1)[1].capitalize() + "word"


GALLERY = [
    Scripted("a_right", 2, "Flawed step: 2 (division by zero)"),
    Scripted("b_wrong", 3, "Flawed step: 1 (algebra or arithmetic slip)"),
    Scripted("c_missed", 4, "Flawed step: none"),
    Scripted("d_accused", 0, "Flawed step: 2 (unproven assumption)"),
    Scripted("e_cleared", 0, "Flawed step: none"),
    Scripted("f_silent", 1),
    Scripted("g_long", 2, ending="length"),
    Scripted("h_broken", 3, ending="500"),
]
BY_SLUG = {example.slug: example for example in GALLERY}


def write_gallery(folder: Path, gallery: list[Scripted] = GALLERY) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for example in gallery:
        kind = "correct" if example.flawed_step == 0 else "flawed"
        (folder / f"{example.slug}.toml").write_text(
            f'title = "{example.marker}"\nlanguage = "en"\nkind = "{kind}"\ntopic = "algebra"\n'
            f"flawed_step = {example.flawed_step}\n"
            f'argument = """\n{argument(example)}\n"""\nflaw = "No flaw" \n',
            encoding="utf-8",
        )
    return folder


def argument(example: Scripted) -> str:
    return "\n".join(
        [
            f"{example.marker} says: let a and b be equal numbers.",
            "Then a² = ab.",
            "Subtract b² from both sides: a² − b² = ab − b².",
            "Divide both sides by a − b: a + b = b.",
        ]
    )


def answer_pieces(example: Scripted, say: str | None = None) -> list[str]:
    """The answer, in pieces: two of prose, then the verdict line (if any)."""
    line = example.verdict_line if say is None else say
    return ["The proof ", "breaks here." + ("\n\n" if line else "")] + ([line] if line else [])


def reply(backend: str, example: Scripted, say: str | None = None) -> Reply:
    """What the server says to ``example`` (``say``: another verdict line than its script's)."""
    if example.ending == "500":
        if backend == "ollama":
            return ollama_error("llama runner process has terminated", 500)
        return openai_error("EngineCore encountered an issue.", "InternalServerError", 500)
    if example.ending == "length":
        reasoning = REASONING + ["and more"]
        if backend == "ollama":
            return Reply(body=ollama_chat_lines(reasoning, [], done_reason="length"))
        return Reply(body=openai_sse_events(reasoning, [], finish_reason="length"))
    content = answer_pieces(example, say)
    if backend == "ollama":
        return Reply(body=ollama_chat_lines(REASONING, content))
    return Reply(body=openai_sse_events(REASONING, content))


def slug_asked(received: Received) -> str:
    text = user_text(received)
    return next(example.slug for example in GALLERY if example.marker in text)


def script_server(srv: ModelServer, backend: str, replies: dict[str, Any] | None = None) -> PerRequest:
    """Route the chat endpoint: each example's scripted reply, unless ``replies`` says otherwise."""
    scripted = PerRequest(slug_asked, {e.slug: reply(backend, e) for e in GALLERY} | (replies or {}))
    srv.route("POST", "/api/chat" if backend == "ollama" else "/v1/chat/completions", scripted)
    return scripted


def server_flags(srv: ModelServer | str, backend: str = "ollama") -> list[str]:
    return ["--backend", backend, "--url", next(iter(backend_url(srv, backend).values()))]


def rehearse(*args: str) -> int:
    """``magistral-debugger rehearse ARGS`` in this process (the CLI test runs it as a program),
    asking again after a server failure without the default's seconds of waiting."""
    return rehearse_main(["--retry-wait", "0.01", *args])


# --- a benchmark: items in ProcessBench's shape, the server answering each by its id -----------

MULTILINE = "Expand both sides:\n$$ (a+b)^2 = a^2 + 2ab + b^2 $$\nand compare."


def item(id: str, label: int, steps: int = 4) -> dict:
    """An item in ProcessBench's shape; its problem names its id, which is how the server knows it."""
    texts = [f"Step text {n} of {id}." for n in range(steps)]
    if id == "math-2":
        texts[1] = MULTILINE
    return {
        "id": id,
        "generator": "written for this test",
        "problem": f"Problem {id}: show that the sum is right.",
        "steps": texts,
        "final_answer_correct": label == -1,
        "label": label,
    }


ITEMS = [
    item("gsm8k-0", 1),  # step 2 named: found
    item("gsm8k-1", 2),  # step 1 named: wrong step
    item("gsm8k-2", 0),  # "none" on a flawed item: missed
    item("gsm8k-3", -1),  # step 2 named on a correct item: accused
    item("gsm8k-4", -1),  # "none": cleared
    item("math-0", 1),  # no verdict line
    item("math-1", 0),  # out of tokens
    item("math-2", 3, steps=5),  # a 500, then step 4 named on the retry: found
    item("math-3", -1),  # a 429 with Retry-After, then "none": cleared
]


def answer(verdict: str | None) -> Reply:
    content = ["The solution ", "is checked.\n\n"] + ([verdict] if verdict else [])
    return Reply(body=openai_sse_events(["Reading ", "the steps."], content))


REPLIES = {
    "gsm8k-0": answer("Flawed step: 2 (algebra or arithmetic slip)"),
    "gsm8k-1": answer("Flawed step: 1 (algebra or arithmetic slip)"),
    "gsm8k-2": answer("Flawed step: none"),
    "gsm8k-3": answer("Flawed step: 2 (unproven assumption)"),
    "gsm8k-4": answer("Flawed step: none"),
    "math-0": answer(None),
    "math-1": Reply(body=openai_sse_events(["Reading ", "and reading"], [], finish_reason="length")),
    "math-2": [
        openai_error("EngineCore encountered an issue.", "InternalServerError", 500),
        answer("Flawed step: 4 (algebra or arithmetic slip)"),
    ],
    "math-3": [
        json_reply({"error": {"message": "Too many requests", "code": 429}}, 429, {"Retry-After": "1"}),
        answer("Flawed step: none"),
    ],
}


def id_asked(received: Received) -> str:
    return user_text(received).split("Problem ", 1)[1].split(":", 1)[0]


def script_items(srv: ModelServer, replies: dict | None = None) -> PerRequest:
    responder = PerRequest(id_asked, REPLIES | (replies or {}))
    srv.route("POST", "/v1/chat/completions", responder)
    return responder


def write_json(path: Path, items: list[dict]) -> Path:
    path.write_text(json.dumps(items, indent=1), encoding="utf-8")
    return path
