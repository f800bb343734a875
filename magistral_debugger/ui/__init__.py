"""Builds and serves the Gradio page, which renders run state and knows nothing of wire formats.

``build_app(settings)`` makes the Blocks without launching (tests use it);
``launch(settings)`` serves it with the queue, auth and share link the settings ask for.
The page's parts: ``handlers`` (what each event does), ``layout`` (components and wiring),
``theme`` (looks, and the stylesheets and scripts in ``static/``).
"""

from __future__ import annotations

import asyncio
import gc
import importlib.util
import sys
from concurrent.futures import ThreadPoolExecutor

import gradio as gr

from ..backends import Health, check_health, make_backend
from ..settings import Settings
from .handlers import DebuggerPage
from .layout import WORDS, build_blocks
from .mcp_tool import keep_only_the_tool
from .public import locked
from .room import ROOM_ATTRIBUTE
from .theme import CSS_PATHS, PAGE_JS, THEME
from .view import health_markdown

__all__ = ["build_app", "launch"]


def build_app(settings: Settings | None = None) -> gr.Blocks:
    return build_blocks(DebuggerPage(settings or Settings()))


def _known_absent(module: str) -> None:
    """Mark a module that is not installed as absent, so importing it fails at once. Gradio
    tries ``import matplotlib`` twice per update of every streaming event; without it each try
    searched sys.path again: 7 % of the app's CPU with a class of 16 streaming (bench/, measurement 7)."""
    if module not in sys.modules and importlib.util.find_spec(module) is None:
        sys.modules[module] = None  # type: ignore[assignment]  # the import system's "not here"


def _spare_the_collector() -> None:
    """Keep Python's cycle collector off the objects that live as long as the process.

    Gradio, FastAPI and the page's components are a quarter of a million objects, and
    every update of every streaming run allocates more: with a class streaming, the
    collector walked them all every few seconds, a quarter-second pause for every run
    each time, and took a fifth of the process's CPU (a class of 64: 3.9 s of 22 s;
    bench/, measurement 7). Frozen, they are never walked again; a larger young
    generation makes the collector run less often over what is left. Garbage without
    cycles is freed at once as ever.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, *gc.get_threshold()[1:])


def launch(settings: Settings | None = None, *, block: bool = True) -> gr.Blocks:
    settings = settings or Settings()
    _warn_of_risky(settings)
    settings = locked(settings)  # public mode's caps hold for the queue's size too
    _known_absent("matplotlib")
    auth = settings.auth_pairs() or None
    app = build_app(settings)
    mcp = settings.mcp and _mcp_installed()
    app.launch(
        server_name=settings.host,
        server_port=settings.port,
        share=settings.share,
        root_path=settings.root_path or None,  # None: Gradio's own GRADIO_ROOT_PATH still applies
        auth=auth,
        auth_message="Magistral Debugger: sign in with the name and password you were given.",
        prevent_thread_lock=True,
        ssr_mode=False,
        theme=THEME,
        i18n=WORDS,
        css_paths=CSS_PATHS,
        js=PAGE_JS,
        footer_links=["api"],
        # Gradio keeps ~60 KB per browser session until this many exist: bound it.
        state_session_capacity=1000,
        max_file_size=f"{settings.max_image_mb:g}mb",  # a photo over the limit is refused before it uploads
        # Gradio runs at most max_threads events at once, even async ones with no concurrency
        # limit (measured: 24 of a class of 64 waited behind the default 40).
        max_threads=max(40, settings.concurrency_limit + settings.queue_max_size + 8),
        mcp_server=mcp,
        # Gradio's own start-up lines name its launch() arguments ("set `share=True`"), which are not
        # this app's settings: quiet, and the app says where it runs and how to share it (below).
        quiet=True,
    )
    if mcp:
        keep_only_the_tool(app)
    print(started_lines(app.local_url, app.share_url, mcp=mcp), flush=True)
    if room := getattr(app, ROOM_ATTRIBUTE, None):  # none in public mode
        room.share_url = app.share_url  # the room's join link, when sharing
    if settings.share and not app.share_url:
        print(
            "share link: Gradio could not create one (it needs internet to fetch its tunnel client and reach "
            f"its share server; its own message is above). The app keeps serving locally at {app.local_url}",
            file=sys.stderr,
        )
    # Whoever starts the app learns at once whether the model server answers, not at the first Debug.
    # The page's Markdown, less its bold marks (a terminal shows them as asterisks).
    print(f"model server: {health_markdown(server_health(settings)).replace('**', '')}", flush=True)
    _spare_the_collector()
    if block:
        app.block_thread()
    return app


def _warn_of_risky(settings: Settings) -> None:
    """Say on the console what a setting will not do, or what it lets strangers do."""
    if settings.public and settings.mcp:
        print(
            "warning: MAGISTRAL_MCP=true is ignored in public mode: the tool's calls would skip the visitors' budgets.",
            file=sys.stderr,
        )
    if settings.share and not settings.public and not settings.auth_pairs():
        print(
            "warning: MAGISTRAL_SHARE=true without MAGISTRAL_AUTH: anyone with the link can use this app "
            "and your model server. Set MAGISTRAL_AUTH=user:pass.",
            file=sys.stderr,
        )


def started_lines(local_url: str | None, share_url: str | None, *, mcp: bool = False) -> str:
    """Where the app runs, and how to get a public link or reach its MCP tool, in its own settings."""
    lines = [f"* Running on local URL:  {(local_url or '').rstrip('/')}"]
    if not share_url:
        lines.append(
            "* To create a public link, set MAGISTRAL_SHARE=true (with MAGISTRAL_AUTH=user:pass, "
            "or anyone with the link uses your model server)."
        )
    if mcp:
        base = (share_url or local_url or "").rstrip("/")
        lines.append(
            f"* MCP tool debug_proof: {base}/gradio_api/mcp/ (streamable HTTP), {base}/gradio_api/mcp/sse (SSE)"
        )
    return "\n".join(lines)


def _mcp_installed() -> bool:
    """Whether the MCP SDK is there; MAGISTRAL_MCP=true without it says so and serves the page alone."""
    if importlib.util.find_spec("mcp") is not None:
        return True
    print(
        "warning: MAGISTRAL_MCP=true needs the MCP SDK: pip install 'magistral-debugger[mcp]' "
        "(the page is served without its MCP tool).",
        file=sys.stderr,
    )
    return False


def server_health(settings: Settings) -> Health:
    """The model server's health, asked on a thread of its own: the caller may be running an
    event loop already (a notebook, or a test driving a browser)."""

    async def check() -> Health:
        async with make_backend(settings) as server:
            return await check_health(server, settings.model if server.live else "")

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, check()).result()
