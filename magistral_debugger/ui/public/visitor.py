"""Who a visitor is, as far as the app can tell: the browser session, and the client's address
as the trusted proxies report it.

A session is free to make (a new tab, a new gradio_client), so each budget counts the address
too. The address is read from ``X-Forwarded-For``, which every proxy appends the address it
was reached from to; anything to the left of what the trusted proxies wrote was sent by the
client and may be made up. So the entry taken is the one the outermost trusted proxy wrote:
with one proxy (a Hugging Face Space), the last. Without trusted proxies (``hops`` 0) it is
the address the connection came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Visitor:
    session: str
    address: str

    def keys(self) -> tuple[str, ...]:
        """What the budgets count: the session and the address (either may be unknown)."""
        return tuple(key for key in (f"session:{self.session}", f"address:{self.address}") if not key.endswith(":"))


def forwarded_address(values: Iterable[str], peer: str, hops: int) -> str:
    """The client's address from every ``X-Forwarded-For`` header value, trusting ``hops`` proxies."""
    if hops <= 0:
        return peer
    entries = [entry.strip() for value in values for entry in value.split(",") if entry.strip()]
    if not entries:
        return peer  # reached without the proxy: the peer is the client
    return entries[-hops] if len(entries) >= hops else entries[0]


def visitor_of(request: Any, hops: int) -> Visitor:
    """The visitor behind a Gradio request (``gr.Request``; None: an in-process caller)."""
    if request is None:
        return Visitor("", "")
    values = _forwarded_values(getattr(request, "headers", None))
    client = getattr(request, "client", None)
    peer = str(getattr(client, "host", "") or "")
    return Visitor(str(getattr(request, "session_hash", "") or ""), forwarded_address(values, peer, hops))


def _forwarded_values(headers: Any) -> list[str]:
    """Every ``X-Forwarded-For`` value: Starlette's headers list repeated ones, a plain mapping
    (a request Gradio kept for its queue) holds one."""
    if hasattr(headers, "getlist"):
        return [str(value) for value in headers.getlist("x-forwarded-for")]
    try:
        value = headers.get("x-forwarded-for") if headers is not None else None
    except (AttributeError, TypeError):
        value = None
    return [str(value)] if value else []
