"""The TUI in a browser: textual-serve runs ``supplier-register --db PATH`` once per connection.

The page is this package's own template (``tui/web/app_index.html``): it loads nothing from any
other host (textual-serve's own loads a font from Google), its links are relative to the page
and its websocket is the page's own server, so it works the same through an SSH tunnel or a
reverse proxy.  The scripts, styles and fonts are textual-serve's bundled static files.
"""

from __future__ import annotations

import asyncio
import gc
import shlex
import sys
from pathlib import Path

import textual_serve
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

TEMPLATES = Path(__file__).parent / "web"
"""The page's template (``app_index.html``)."""
STATICS = Path(textual_serve.__file__).parent / "static"
"""textual-serve's scripts, styles and fonts, served from here."""
TITLE = "Supplier register"
SHUTDOWN_WAIT = 10.0
"""Seconds Ctrl+C waits at most for the browsers' apps to quit."""


def app_command(db_path: Path, *, read_only: bool) -> str:
    """The shell command textual-serve runs for each browser: this program's TUI on the register."""
    words = [sys.executable, "-m", "supplier_register", "--db", str(db_path)]
    return shlex.join([*words, "--read-only"] if read_only else words)


class RegisterServer(Server):
    """textual-serve's server with the register's page and a plain start-up message."""

    def __init__(self, command: str, host: str, port: int, *, read_only: bool) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title=TITLE + (" (read-only)" if read_only else ""),
            statics_path=STATICS,
            templates_path=TEMPLATES,
        )
        self.read_only = read_only
        self._sockets: set[web.WebSocketResponse] = set()
        """The browsers connected now, each with its app."""
        self._sessions = 0
        """Browser sessions not yet ended (their app may still be quitting)."""

    def initialize_logging(self) -> None:
        """No log handler of textual-serve's: the command prints what the user needs."""

    async def on_startup(self, app: web.Application) -> None:
        """Nothing printed here: the command says where to browse before it starts."""

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        self._sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self._sessions -= 1

    async def _process_messages(
        self, websocket: web.WebSocketResponse, app_service: AppService
    ) -> None:
        self._sockets.add(websocket)
        try:
            await super()._process_messages(websocket, app_service)
        finally:
            self._sockets.discard(websocket)

    async def on_shutdown(self, app: web.Application) -> None:
        """On Ctrl+C, end each browser's session and let its app quit before the server stops
        (textual-serve leaves the app's pipes to the garbage collector: collected here, while
        the event loop still runs, rather than after it, which printed a traceback)."""
        for websocket in list(self._sockets):
            await websocket.close()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SHUTDOWN_WAIT
        while self._sessions and loop.time() < deadline:
            await asyncio.sleep(0.05)
        gc.collect()


def serve(db_path: Path, host: str, port: int, *, read_only: bool) -> None:
    """Serve the TUI on ``host:port`` until Ctrl+C (or SIGTERM)."""
    RegisterServer(
        app_command(db_path, read_only=read_only), host, port, read_only=read_only
    ).serve()
