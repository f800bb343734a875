"""The app's own files: the prompts it ships (``prompts/``, installed as the package
``magistral_debugger.prompts``). One that cannot be read is a broken installation, the
app's fault: its message says so in one line and does not blame the model server."""

from __future__ import annotations

from ..i18n import Message


class OwnFileError(Exception):
    """One of the app's own files is missing or unreadable; the :class:`Message` names it."""

    def __init__(self, name: str, error: OSError | UnicodeDecodeError) -> None:
        detail = (error.strerror if isinstance(error, OSError) else None) or type(error).__name__
        self.message = Message("own_file_unreadable", path=f"prompts/{name}", detail=detail)
        super().__init__(self.message)
