"""A small gallery of examples, one per way a run can end, and a loopback server scripted per
example: what the tests of ``magistral-debugger rehearse`` and of talk mode rehearse against.

Each example carries a marker word in its first step; the server answers a request by the
marker its prompt carries (``PerRequest``), so the reply depends on which example was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from magistral_debugger.rehearsal.rehearse import main as rehearse_main
from tests.loopback import (
    ModelServer,
    PerRequest,
    Received,
    Reply,
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
