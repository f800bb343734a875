"""Two ``python app.py`` processes behind HAProxy under /debugger, with deploy/haproxy.cfg as shipped.

Gradio keeps a session's queue and event stream in one process, so the proxy must keep
each browser on the process that served its page (an inserted cookie), pass the event
stream on unbuffered, and strip the path prefix the apps know as MAGISTRAL_ROOT_PATH.
Two Chromium contexts each run a proof to the end through it; each lands on its own
process; then one process is killed and both a returning browser and a new one still work.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.loopback import ModelServer, Reply, free_port, ollama_chat_lines, paced
from tests.runs import REPO, child_env, stop_process

pytestmark = [pytest.mark.proxy, pytest.mark.browser]

CONFIG = REPO / "deploy" / "haproxy.cfg"
PREFIX = "/debugger"
COOKIE = "MAGISTRAL_APP"  # the cookie deploy/haproxy.cfg inserts
THINKING = ["Step 4 factors both sides. ", "Step 5 divides by x − y, ", "which is zero."]
ANSWER = ["The flaw is step 5: ", "it divides by zero."]


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's haproxy (.ci/run does)")
        pytest.skip("HAProxy is not installed (apt-get install haproxy)")
    return found


def wait_until(check, what: str, output: list[str], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen:\n" + "".join(output)[-3000:])


class Process:
    """A child process whose output is collected on a thread."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output: list[str] = []
        threading.Thread(target=lambda: self.output.extend(self.process.stdout), daemon=True).start()

    def stop(self) -> None:
        stop_process(self.process)


class App(Process):
    """``python app.py`` serving under the prefix, as the proxy's backend."""

    def __init__(self, model_url: str) -> None:
        self.address = f"127.0.0.1:{free_port()}"
        port = self.address.rsplit(":", 1)[1]
        env = child_env(MAGISTRAL_PORT=port, MAGISTRAL_OLLAMA_URL=model_url, MAGISTRAL_ROOT_PATH=PREFIX)
        super().__init__([sys.executable, str(REPO / "app.py")], env)

    def wait_until_served(self) -> None:
        wait_until(
            lambda: httpx.get(f"http://{self.address}/", timeout=2).status_code == 200, "the app serving", self.output
        )


class Proxy(Process):
    """HAProxy in the foreground on deploy/haproxy.cfg, its addresses given by the environment."""

    def __init__(self, apps: list[App]) -> None:
        self.bind, self.stats_address = f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"
        env = dict(
            os.environ,
            MAGISTRAL_PROXY_BIND=self.bind,
            MAGISTRAL_PROXY_STATS=self.stats_address,
            MAGISTRAL_APP1=apps[0].address,
            MAGISTRAL_APP2=apps[1].address,
        )
        super().__init__([haproxy_binary(), "-db", "-f", str(CONFIG)], env)
        self.url = f"http://{self.bind}{PREFIX}/"

    def servers(self) -> dict[str, dict[str, str]]:
        """The stats page's row for each backend server (status, sessions served: stot)."""
        text = httpx.get(f"http://{self.stats_address}/stats;csv", timeout=2).text.lstrip("# ")
        return {row["svname"]: row for row in csv.DictReader(io.StringIO(text)) if row["pxname"] == "apps"}

    def wait_until_up(self) -> None:
        def both_up() -> bool:
            servers = self.servers()
            return all(servers.get(name, {}).get("status") == "UP" for name in ("app1", "app2"))

        wait_until(both_up, "both apps UP in the proxy's health checks", self.output, timeout=30)


@pytest.fixture(scope="module")
def deployment() -> Iterator[tuple[Proxy, dict[str, App], ModelServer]]:
    haproxy_binary()
    with ModelServer() as model:
        model.route("POST", "/api/chat", Reply(body=paced(ollama_chat_lines(THINKING, ANSWER), 0.05)))
        apps = [App(model.url), App(model.url)]
        proxy = None
        try:
            for app in apps:
                app.wait_until_served()
            proxy = Proxy(apps)
            proxy.wait_until_up()
            yield proxy, {"app1": apps[0], "app2": apps[1]}, model
        finally:
            for process in [proxy, *apps]:
                if process is not None:
                    process.stop()


def run_a_proof(context, url: str) -> str:
    """Runs a proof to the end in ``context`` and returns the app the proxy pinned it to."""
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(url)
        page.locator("#proof textarea").fill("Assume x = y. Then x² = xy … so 2 = 1.")
        page.locator("#debug").click()
        page.locator("#status").get_by_text("Finished").wait_for()
        assert page.locator("#reasoning-content").inner_text().strip() == "".join(THINKING).strip()
        assert "The flaw is step 5" in page.locator("#answer").inner_text()
    finally:
        page.close()
    pinned = {c["name"]: c for c in context.cookies()}[COOKIE]
    assert pinned["path"] == "/" and pinned["httpOnly"]
    return pinned["value"]


def test_two_apps_behind_the_proxy_each_finish_a_run_and_share_the_class(browser, deployment):  # noqa: F811
    proxy, apps, _ = deployment
    assert httpx.get(f"http://{proxy.bind}{PREFIX}").headers["location"] == f"{PREFIX}/"
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)]
    try:
        pinned = [run_a_proof(context, proxy.url) for context in contexts]
    finally:
        for context in contexts:
            context.close()
    # Round robin for newcomers, the cookie for everything after: one app each.
    assert sorted(pinned) == ["app1", "app2"]
    served = {name: int(row["stot"]) for name, row in proxy.servers().items() if name in apps}
    assert all(count > 0 for count in served.values()), served
    for app in apps.values():
        assert "Traceback" not in "".join(app.output), "".join(app.output)[-3000:]


def test_with_one_app_killed_returning_and_new_browsers_still_finish_runs(browser, deployment):  # noqa: F811
    proxy, apps, _ = deployment
    returning = browser.new_context(viewport={"width": 1280, "height": 900})
    newcomer = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        first = run_a_proof(returning, proxy.url)
        apps[first].process.kill()  # a crash, not a clean shutdown
        apps[first].process.wait()
        # The browser still holds a cookie naming the dead process: the proxy sends it to the survivor.
        survivor = run_a_proof(returning, proxy.url)
        assert survivor != first
        assert run_a_proof(newcomer, proxy.url) == survivor
    finally:
        returning.close()
        newcomer.close()
    wait_until(lambda: proxy.servers()[first]["status"].startswith("DOWN"), "the dead app marked DOWN", proxy.output)
