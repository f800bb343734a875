"""What a browser sends when a student presses Debug, without the browser.

A class watches the page, not the API: the page's run event streams into the reasoning
pane's shelves (about forty outputs), while ``/debug`` has seven. Gradio's client library
only calls API endpoints, so this speaks the page's wire itself: join the queue with the
page event's index and the page's own input values, then read the session's event stream
to the end. The bench's wiretap sees these bytes as it sees a browser's.
"""

from __future__ import annotations

import json
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import httpx

PAGE_EVENT = "debug_in_page"  # the Debug button's handler (ui/layout.py)


class PageClient:
    """One browser tab: its own session, joining the page's Debug event."""

    def __init__(self, url: str, pool: ThreadPoolExecutor) -> None:
        self.url = url.rstrip("/")
        self.session_hash = uuid.uuid4().hex[:11]
        self._pool = pool
        # A connection per request, as the wiretap tells a stream by its connection's first line.
        self._http = httpx.Client(
            timeout=httpx.Timeout(60, read=None), trust_env=False, limits=httpx.Limits(max_keepalive_connections=0)
        )
        config = self._http.get(f"{self.url}/config").raise_for_status().json()
        self._api = self.url + "/" + config.get("api_prefix", "/gradio_api").strip("/")
        components = {c["id"]: c for c in config["components"]}
        event = next(d for d in config["dependencies"] if d.get("api_name") == PAGE_EVENT)
        self._fn_index = event["id"]
        # The values a freshly loaded page sends: each input's initial value (a State's is the
        # server's), the proof box's replaced by the text to debug.
        self._inputs = [components[i] for i in event["inputs"]]
        self._text_at = next(k for k, c in enumerate(self._inputs) if c.get("props", {}).get("elem_id") == "proof")
        self._open_page(config)

    def _open_page(self, config: dict[str, Any]) -> None:
        """What a browser does when the page opens, before anyone presses Debug: it runs the
        page's load event that goes to the server (the browser's languages), which is when
        Gradio makes the session's state (a few milliseconds of the app's CPU per session)."""
        load = next(
            d for d in config["dependencies"] if d.get("backend_fn") and (0, "load") in map(tuple, d["targets"])
        )
        body = {"data": ["en-US"], "fn_index": load["id"], "session_hash": self.session_hash, "event_data": None}
        self._http.post(f"{self._api}/run/predict", json=body).raise_for_status()

    def submit(self, text: str) -> Future[None]:
        return self._pool.submit(self._run, text)

    def _run(self, text: str) -> None:
        data: list[Any] = [None if c["type"] == "state" else c.get("props", {}).get("value") for c in self._inputs]
        data[self._text_at] = text
        body = {"data": data, "fn_index": self._fn_index, "session_hash": self.session_hash, "event_data": None}
        self._http.post(f"{self._api}/queue/join", json=body).raise_for_status()
        with self._http.stream("GET", f"{self._api}/queue/data", params={"session_hash": self.session_hash}) as events:
            for line in events.iter_lines():
                if line.startswith("data:") and json.loads(line[5:]).get("msg") == "process_completed":
                    return

    def close(self) -> None:
        self._http.close()
