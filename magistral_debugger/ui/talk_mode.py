"""Talk mode: the page reads back a folder ``magistral-debugger rehearse`` wrote (MAGISTRAL_REHEARSAL_DIR).

The evening-before rehearsal becomes the talk's safety net. The page marks each example
as the rehearsal graded it (right, wrong, not run), so the presenter picks ones that work
(a benchmark's items, ``rehearse --dataset``, join the picker, with their own steps);
and when the model server cannot be reached on the day, an example the rehearsal ran is
replayed from its recording, said to be a replay, instead of failing in front of the room.
With the server up, every run is live: a rehearsal never hides the real model.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from ..backends import check_health, make_backend
from ..i18n import DEFAULT_LANGUAGE, Message, t
from ..prompting.examples import Example
from ..prompting.steps import Proof
from ..settings import Settings

log = logging.getLogger(__name__)

Mark = Literal["right", "wrong", "not_run"]
MARK_WORDS: dict[Mark, str] = {
    "right": "rehearsal_mark_right",
    "wrong": "rehearsal_mark_wrong",
    "not_run": "rehearsal_mark_not_run",
}


@dataclass(frozen=True)
class RehearsedExample:
    steps: tuple[str, ...]  # the proof as the page numbers it: how a typed text is matched to it
    mark: Mark
    recording: Path | None  # the run to replay: a right one where the rehearsal has one


@dataclass(frozen=True)
class Rehearsal:
    folder: Path
    rehearsed_at: datetime
    model: str
    examples: dict[str, RehearsedExample]  # by the example's file name (slug)
    items: tuple[Example, ...] = ()  # a benchmark's items it ran, for the picker (none for the gallery)

    def mark(self, slug: str) -> Mark:
        example = self.examples.get(slug)
        return example.mark if example is not None else "not_run"

    def recording_for(self, proof: Proof) -> Path | None:
        """The recording of the rehearsed example with these steps, if any."""
        steps = proof.steps
        return next((e.recording for e in self.examples.values() if steps and e.steps == steps), None)


def load_rehearsal(folder: str | Path) -> Rehearsal | None:
    """The rehearsal in ``folder`` (its first configuration, when it compared two); None, with
    a warning in the log, when there is no readable scorecard: the page then runs as usual."""
    folder = Path(folder)
    try:
        data = json.loads((folder / "scorecard.json").read_text(encoding="utf-8"))
        configuration = data["configurations"][0]
        return Rehearsal(
            folder=folder,
            rehearsed_at=datetime.fromisoformat(data["started_at"]),
            model=configuration["model"],
            examples={
                example["slug"]: _rehearsed(folder, example, example["runs"].get(configuration["name"], []))
                for example in data["examples"]
            },
            items=tuple(_item(example) for example in data["examples"] if "steps" in example),
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError) as error:
        log.warning("MAGISTRAL_REHEARSAL_DIR=%s: no rehearsal to use (%s)", folder, error)
        return None


def _rehearsed(folder: Path, example: dict[str, Any], runs: list[dict[str, Any]]) -> RehearsedExample:
    """Right only when every run was: a presenter should trust an example the rehearsal never
    saw fail. The replay prefers a right run, then any that answered, then the rest."""
    outcomes = [run["outcome"] for run in runs]
    mark: Mark = "not_run" if not runs else ("right" if set(outcomes) == {"correct"} else "wrong")
    recorded = [run for run in runs if run.get("recording") and (folder / run["recording"]).is_file()]
    recorded.sort(key=lambda run: (run["outcome"] != "correct", run["finish_reason"] != "stop"))
    recording = folder / recorded[0]["recording"] if recorded else None
    return RehearsedExample(_proof(example).steps, mark, recording)


def _proof(example: dict[str, Any]) -> Proof:
    if "steps" in example:
        return Proof(tuple(example["steps"]), example.get("problem", ""))
    return Proof.of(example["argument"])


def _item(example: dict[str, Any]) -> Example:
    """A benchmark item of the scorecard as the picker lists it."""
    proof = _proof(example)
    return Example(
        slug=example["slug"],
        title=example["title"],
        language=example["language"],
        kind=example["kind"],
        topic="competition",
        argument=proof.text(),
        flaw="",
        flawed_step=example["flawed_step"],
        given=proof,
        split=example.get("split", ""),
    )


def mark_words(rehearsal: Rehearsal | None, slug: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """What follows an example's name in the picker: ``✅ rehearsal: right``; "" without a rehearsal."""
    return "" if rehearsal is None else t(MARK_WORDS[rehearsal.mark(slug)], lang)


async def choose(settings: Settings, proof: Proof, rehearsal: Rehearsal | None) -> tuple[Settings, Message | None]:
    """The settings to run ``proof`` with: these, live, unless the rehearsal recorded this proof
    and the model server cannot serve it now; then the recording's replay, and the words that
    say so ("Replay of the rehearsal from …")."""
    recording = rehearsal.recording_for(proof) if rehearsal is not None and settings.backend != "replay" else None
    if recording is None:
        return settings, None
    async with make_backend(settings) as server:
        health = await check_health(server, settings.model)
    if health.state == "ready":
        return settings, None
    assert rehearsal is not None  # the recording came from it
    replay = Settings.model_validate(settings.model_dump() | {"backend": "replay", "replay_file": str(recording)})
    return replay, Message("rehearsal_replay", date=f"{rehearsal.rehearsed_at:%Y-%m-%d %H:%M}", model=rehearsal.model)
