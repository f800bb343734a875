"""Where the phones reach the app, and that address as a QR code to scan off the projector.

The link is the one a person set (``MAGISTRAL_PUBLIC_URL``: a proxy's address), else Gradio's
share link when sharing is on, else this machine's address on the room's network. That address
is found without sending anything anywhere: the host's own name resolved locally, then a UDP
socket "connected" to a private address, which only asks the kernel which interface it would
use (UDP's connect sends no packet). segno makes the QR code: a maintained, pure-Python
encoder writing SVG directly, so no imaging library and no browser script are needed.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import quote

import segno

ROOM_PATH = "room"
# Any private address does: nothing is sent, the kernel only picks the interface it would use.
_PRIVATE_PROBE = ("10.254.254.254", 9)


def lan_address() -> str:
    """This machine's IPv4 address on its network, or 127.0.0.1 when it has none."""
    candidates: list[str] = []
    try:
        candidates += [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    except OSError:
        pass
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_PRIVATE_PROBE)
            candidates.append(probe.getsockname()[0])
    except OSError:
        pass
    for address in candidates:
        ip = ipaddress.ip_address(address)
        if not (ip.is_loopback or ip.is_unspecified or ip.is_link_local):
            return address
    return "127.0.0.1"


def listens_beyond_loopback(host: str) -> bool:
    """Whether phones on the network can reach an app bound to ``host``."""
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host not in ("localhost", "")


def app_base(public_url: str, share_url: str | None, host: str, port: int, root_path: str) -> str:
    """The address of the app's main page as a phone reaches it, ending in "/"."""
    if public_url.strip():
        return public_url.strip().rstrip("/") + "/"
    if share_url:
        return share_url.rstrip("/") + "/"
    if root_path.startswith(("http://", "https://")):
        return root_path.rstrip("/") + "/"
    address = host if listens_beyond_loopback(host) and host not in ("0.0.0.0", "::") else lan_address()
    return f"http://{address}:{port}{root_path.rstrip('/')}/"


def join_link(base: str, code: str) -> str:
    return f"{base}{ROOM_PATH}?code={quote(code)}"


def teacher_link(base: str, code: str, token: str) -> str:
    """The main page that takes the room's controls back (another browser, a reload)."""
    return f"{base}?room={quote(code)}&key={quote(token)}"


def qr_svg(link: str) -> str:
    """The link as an inline SVG QR code (medium error correction survives a blurry projector)."""
    return str(segno.make(link, error="m").svg_inline(scale=6, border=2, dark="#000", light="#fff"))
