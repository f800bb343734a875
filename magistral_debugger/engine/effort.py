"""Which reasoning effort a run sends: one the model takes here, and never another.

The person's choice (``MAGISTRAL_REASONING_EFFORT``, ``--effort``, the Backend panel) meets what
the server says of the model (``ModelInfo.efforts``: its family on Mistral's API and vLLM,
``/api/show`` on Ollama). A level the model does not take is refused before any request, in
words that name the levels it does take: sending it would get an HTTP 400 from Mistral's API,
or, from a server that ignores it, a run that silently is not what was asked (a comparison of
efforts would then compare nothing). A model that takes no effort at all runs as it always
does, and the person who asked for one is told it was not sent.
"""

from __future__ import annotations

from ..backends import ModelInfo
from ..i18n import Message
from ..prompting.input_errors import InputError

# The choice that leaves the level to the model (its default here; "high" where it takes it).
AUTO = "auto"


def choose_effort(asked: str, info: ModelInfo) -> tuple[str | None, tuple[Message, ...]]:
    """The effort to send (None: none) and what the person is told about it.
    Raises :class:`InputError` for a level the model does not take."""
    if not info.efforts:
        if asked == AUTO:
            return None, ()
        return None, (Message("effort_not_adjustable", model=info.name, effort=asked),)
    if asked == AUTO:
        effort = info.default_effort if info.default_effort in info.efforts else info.efforts[-1]
    elif asked in info.efforts:
        effort = asked
    else:
        raise InputError(Message("effort_not_taken", model=info.name, effort=asked, efforts=", ".join(info.efforts)))
    if effort == "none":
        return effort, (Message("effort_none_no_thinking", model=info.name),)
    return effort, ()
