"""Browser sessions of the real app without a browser: a teacher's tab is a Gradio session
(its own ``session_hash``, so its own room token, run and proof), driven over HTTP as the page
drives it — the page's private events by their index, found by the method they run — and a
phone is a ``gradio_client.Client``, as the phone's page has API names."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from magistral_debugger.classroom import Classroom, SqliteRoomStore
from magistral_debugger.settings import Settings
from magistral_debugger.ui import launch
from tests.loopback import free_port


@dataclass
class Served:
    app: Any
    url: str
    classroom: Classroom


@contextmanager
def served_room(db: str, **settings: Any) -> Iterator[Served]:
    """The app on a free loopback port, and the room's rules on the same SQLite file."""
    port = free_port()
    app = launch(Settings(_env_file=None, port=port, room_db=db, **settings), block=False)
    try:
        yield Served(app, f"http://127.0.0.1:{port}/", Classroom(SqliteRoomStore(db)))
    finally:
        app.close()


def event_index(app: Any, owner: str, method: str) -> int:
    """The fn_index of the event that runs ``owner``'s ``method`` (the first, if several do)."""
    for index, block_fn in app.fns.items():
        fn = block_fn.fn
        if type(getattr(fn, "__self__", None)).__name__ == owner and getattr(fn, "__name__", "") == method:
            return index
    raise LookupError(f"{owner}.{method}")


class Tab:
    """One browser tab: a session of its own on the app."""

    def __init__(self, served: Served, query: str = "") -> None:
        self.served, self.query = served, query
        self.session = uuid.uuid4().hex

    def call(self, owner: str, method: str, *data: Any) -> httpx.Response:
        """The event as the page fires it (``run/predict``: one reply, the event's outputs or its error)."""
        body = {
            "fn_index": event_index(self.served.app, owner, method),
            "data": list(data),
            "session_hash": self.session,
            "event_data": None,
        }
        url = f"{self.served.url}gradio_api/run/predict{self.query}"
        return httpx.post(url, json=body, timeout=30)

    def room(self, method: str, *data: Any) -> httpx.Response:
        return self.call("RoomPage", method, *data)

    def page(self, method: str, *data: Any) -> httpx.Response:
        return self.call("DebuggerPage", method, *data)

    def open_teacher_link(self, code: str, token: str) -> None:
        """The teacher's link opened in this tab: the room's controls are this session's."""
        self.query = f"?room={code}&key={token}"
        reply = self.room("from_url", None, "en")
        assert reply.status_code == 200, reply.text

    def debug(self, text: str) -> Debugging:
        """The debug API's run in this tab's session (its ``live`` state is the tab's), on Gradio's
        queue; the run's events are read on a thread until it completes."""
        run = Debugging(self, text)
        run.start()
        return run


class Debugging(threading.Thread):
    def __init__(self, tab: Tab, text: str) -> None:
        super().__init__(daemon=True)
        self.tab, self.text = tab, text
        self.outputs: list[Any] | None = None

    def run(self) -> None:
        served = self.tab.served
        data = [self.text, "ollama", "", "magistral", 0.7, 0.95, 2048, "auto", None, None, "en"]
        body = {
            "fn_index": event_index(served.app, "DebuggerPage", "debug"),
            "data": data,
            "session_hash": self.tab.session,
            "event_data": None,
        }
        with httpx.Client(base_url=served.url, timeout=60) as http:
            http.post("gradio_api/queue/join", json=body).raise_for_status()
            with http.stream("GET", "gradio_api/queue/data", params={"session_hash": self.tab.session}) as events:
                for line in events.iter_lines():
                    message = json.loads(line[5:]) if line.startswith("data:") else {}
                    if message.get("msg") == "process_completed":
                        self.outputs = (message.get("output") or {}).get("data")
                        return

    def finish(self) -> list[Any]:
        self.join(60)
        assert self.outputs is not None, "the run did not complete"
        return self.outputs
