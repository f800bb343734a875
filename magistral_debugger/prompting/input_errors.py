"""Input a person gave that cannot be sent; shared by the prompt builder and the photo reader."""

from __future__ import annotations

from ..i18n import Message


class InputError(ValueError):
    """The pasted text or photo cannot be sent; the :class:`Message` says what to do instead."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message
