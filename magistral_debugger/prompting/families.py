"""Which Mistral reasoning model a name belongs to, and what its makers say that model needs.

A name is the weakest evidence there is (a server is asked first: see ``backends/``), but
it is what is left when a server says nothing, and a checkpoint path (vLLM's ``root``) or
a hosted API's model id is a name that does not lie. What each family needs comes from
its card or docs:

- Magistral Small/Medium 1.0 (2506) thinks between plain ``<think>`` tags; 1.1 (2507) and
  1.2 (2509) between the ``[THINK]`` control tokens, and 1.2 also reads images.
- Ministral 3 Reasoning (2512) shares the ``[THINK]`` tokens and the vision encoder, and its
  card says to keep reasoning traces in multi-turn context. Ministral 3 Instruct (what
  Ollama's library ``ministral-3`` is) does not think.
- Mistral Small 4 and Medium 3.5 think only when asked: ``reasoning_effort`` "none" or
  "high" (their chat template defaults to none; Mistral's API refuses "low" and "medium"
  for them with HTTP 400). Mistral Large 4 thinks by default and takes "low", "medium"
  or "high". Mistral's docs say stripping their thinking from later turns degrades the
  answers. The app asks for "high" where a person chose nothing: a proof is debugged by
  reasoning, and "none" is for seeing what the reasoning buys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Version = Literal["2506", "2507", "2509"]
THINK_CHUNK_VERSIONS = ("2507", "2509")


# Every reasoning effort the app knows, weakest first: "none" answers without thinking.
EFFORTS = ("none", "low", "medium", "high")


@dataclass(frozen=True)
class Family:
    # The prompt format the name says (2509: [THINK] tokens and vision); None: it does not say.
    version: Version | None = None
    # The ``reasoning_effort`` levels it takes, weakest first (sent only to these; empty: never sent).
    efforts: tuple[str, ...] = ()
    # Its makers say to keep its reasoning in follow-ups.
    keeps_reasoning: bool = False
    # The effort a run asks for when the person chose none ("auto").
    default_effort: str | None = None

    @property
    def reasoning_effort(self) -> bool:
        """Takes ``reasoning_effort`` at all."""
        return bool(self.efforts)


UNKNOWN = Family()
_MAGISTRAL_VERSIONS: tuple[tuple[Version, re.Pattern[str]], ...] = (
    ("2509", re.compile(r"2509|magistral[-_ ]?(?:small|medium)[-_ ]?1\.2", re.IGNORECASE)),
    ("2507", re.compile(r"2507|magistral[-_ ]?(?:small|medium)[-_ ]?1\.1", re.IGNORECASE)),
    ("2506", re.compile(r"2506", re.IGNORECASE)),
)
# "ministral-3", "ministral-3:8b", "Ministral-3-14B-Reasoning-2512"; not the older "ministral-3b-latest".
_MINISTRAL_3 = re.compile(r"ministral[-_ ]?3(?:[-_:. /]|$)", re.IGNORECASE)
# Small 4 and Medium 3.5: reasoning on ("high") or off ("none"), nothing between.
_ON_OFF = re.compile(
    r"mistral[-_ ]?small[-_ ]?(?:4|2603|latest)|mistral[-_ ]?medium[-_ ]?(?:3[-_.]5|2604)", re.IGNORECASE
)
_ON_OFF_FAMILY = Family("2509", efforts=("none", "high"), keeps_reasoning=True, default_effort="high")
# Large 4 ("mistral-large-4-0", "Mistral-Large-4-1T-A52B"): thinks by default, at three levels.
_LARGE_4 = re.compile(r"mistral[-_ ]?large[-_ ]?4", re.IGNORECASE)
_LARGE_4_FAMILY = Family("2509", efforts=("low", "medium", "high"), keeps_reasoning=True, default_effort="high")


def family_of(name: str) -> Family:
    """What ``name`` (a model id, an Ollama tag or a checkpoint path) says about the model."""
    for version, pattern in _MAGISTRAL_VERSIONS:
        if pattern.search(name):
            return Family(version)
    if _MINISTRAL_3.search(name):
        return Family("2509", keeps_reasoning=True) if "reasoning" in name.lower() else UNKNOWN
    if _LARGE_4.search(name):
        return _LARGE_4_FAMILY
    if _ON_OFF.search(name):
        return _ON_OFF_FAMILY
    return UNKNOWN


def format_label(version: Version) -> str:
    """How a prompt format is named for a person: by the tags the model thinks between."""
    return "[THINK]" if version in THINK_CHUNK_VERSIONS else "<think>"
