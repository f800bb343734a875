"""The class's room on the page (``classroom/`` keeps the room; this renders and wires it):
``page.py`` the events, projector's and phone's; ``layout.py`` the teacher's panel and the
phone's page at ``/room``; ``view.py`` the room as HTML and words."""

from .layout import ROOM_ATTRIBUTE, build_open_button, build_phone_page, build_teacher_panel, wire_teacher
from .page import RoomPage

__all__ = ["ROOM_ATTRIBUTE", "RoomPage", "build_open_button", "build_phone_page", "build_teacher_panel", "wire_teacher"]
