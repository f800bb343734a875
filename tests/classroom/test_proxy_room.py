"""One room, one count across two ``python app.py`` processes behind HAProxy (deploy/haproxy.cfg
as shipped), sharing one room file: phones pinned to each process by the proxy's own cookie
(as a browser is after its first reply) join and vote; the count, and after Reveal the share
each phone is told, are the whole class's on both processes."""

from __future__ import annotations

import sys

import pytest
from gradio_client import Client

from magistral_debugger.classroom import Classroom, SqliteRoomStore
from tests.browser.test_proxy import COOKIE, PREFIX, Process, Proxy, haproxy_binary, wait_until
from tests.loopback import free_port
from tests.runs import REPO, child_env

pytestmark = pytest.mark.proxy

STEPS = ("Let x = y.", "Then x² = xy.", "So x² − y² = xy − y².", "Divide by x − y: x + y = y.", "So 2 = 1.")


class RoomApp(Process):
    """``python app.py`` under the proxy's prefix, on the shared room file."""

    def __init__(self, db: str) -> None:
        self.address = f"127.0.0.1:{free_port()}"
        env = child_env(
            MAGISTRAL_PORT=self.address.rsplit(":", 1)[1],
            MAGISTRAL_ROOT_PATH=PREFIX,
            MAGISTRAL_ROOM_DB=db,
            MAGISTRAL_OLLAMA_URL="http://127.0.0.1:9",
        )
        super().__init__([sys.executable, str(REPO / "app.py")], env)

    def wait_until_served(self) -> None:
        import httpx

        wait_until(
            lambda: httpx.get(f"http://{self.address}/", timeout=2).status_code == 200, "the app serving", self.output
        )


@pytest.mark.timeout(400)
def test_phones_on_two_processes_are_one_room_with_one_count(tmp_path):
    haproxy_binary()
    db = str(tmp_path / "rooms.sqlite3")
    classroom = Classroom(SqliteRoomStore(db))
    code, token = classroom.open_room()
    classroom.project(code, token, STEPS)
    apps = [RoomApp(db), RoomApp(db)]
    proxy = None
    try:
        for app in apps:
            app.wait_until_served()
        proxy = Proxy(apps)  # type: ignore[arg-type]
        proxy.wait_until_up()
        phones = {name: [] for name in ("app1", "app2")}
        plan = [("app1", 4)] * 6 + [("app2", 2)] * 4 + [("app2", 4)] * 2  # step 4: 8 of 12
        for server, choice in plan:
            phone = Client(proxy.url, headers={"Cookie": f"{COOKIE}={server}"}, verbose=False)
            phone.predict(code, "", "", api_name="/room_join")
            phone.predict(choice, api_name="/room_vote")
            phones[server].append(phone)
        served = proxy.servers()
        assert int(served["app1"]["stot"]) > 0 and int(served["app2"]["stot"]) > 0
        assert classroom.joined(code) == len(plan)
        assert classroom.tally(code).counts == {4: 8, 2: 4}
        classroom.reveal(code, token, 4, "division by zero", proof=classroom.current(code).id)
        for server in ("app1", "app2"):
            shown = phones[server][0].predict(api_name="/room_poll")
            assert "67 % chose step 4 — so did the model" in shown[2], (server, shown[2])
    finally:
        for process in [proxy, *apps]:
            if process is not None:
                process.stop()
