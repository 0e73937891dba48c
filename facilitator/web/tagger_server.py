"""`facilitator serve-taggers`: the tagger in a tablet's or phone's browser, behind an access code.

textual-serve runs one `facilitator tag SESSION` process per browser and streams its screen over
a websocket. We add one thing: nothing is served until the browser has given the random access
code shown on the facilitator's screen (as `?code=…` once; then an HttpOnly cookie). The
server's state (address, code, browsers connected) is kept in the session's metadata so the
facilitator's screen can show that it is on and how many taggers are connected.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
import shlex
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web
from textual_serve.server import Server

from facilitator.session.follow import TAGGER_SERVER_HEARTBEAT, TAGGER_SERVER_META
from facilitator.session.store import SessionStore

COOKIE = "facilitator_tagger"

ASK_FOR_CODE = """<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Facilitator tagger</title>
<body style="font-family: sans-serif; max-width: 30em; margin: 3em auto; font-size: 1.2em">
<h1>Tag this focus group</h1>
<p>{message}</p>
<form method="get" action="/"><label>Access code
<input name="code" autocomplete="off" autofocus inputmode="text" size="10"></label>
<button type="submit">Join</button></form></body></html>"""


def new_access_code() -> str:
    """A random code that is easy to read out and type: 8 letters and digits, no look-alikes."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def tagger_command(folder: Path, data_dir: Path | None) -> str:
    """The command each browser's tagger runs."""
    parts = [sys.executable, "-m", "facilitator"]
    if data_dir is not None:
        parts += ["--data-dir", str(data_dir)]
    return shlex.join([*parts, "tag", str(folder)])


class TaggerServer(Server):
    """textual-serve's server with an access-code gate and a count of connected taggers."""

    def __init__(self, folder: Path, code: str, *, data_dir: Path | None, host: str, port: int):
        super().__init__(tagger_command(folder, data_dir), host=host, port=port, title="Tagger")
        self.folder = folder
        self.code = code
        self._cookie_value = secrets.token_urlsafe(32)
        self.connected = 0

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._gate)
        return app

    @web.middleware
    async def _gate(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        if hmac.compare_digest(request.cookies.get(COOKIE, ""), self._cookie_value):
            return await handler(request)
        given = request.query.get("code", "").strip().upper()
        if request.path == "/" and given and hmac.compare_digest(given, self.code):
            response = web.HTTPFound("/")
            response.set_cookie(COOKIE, self._cookie_value, httponly=True, samesite="Strict")
            return response
        message = (
            "That code is not right. Ask the facilitator for the code on their screen."
            if given
            else "Type the access code shown on the facilitator's screen."
        )
        return web.Response(
            status=403, text=ASK_FOR_CODE.format(message=message), content_type="text/html"
        )

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Count the tagger while its browser is connected."""
        self.connected += 1
        self.publish()
        try:
            return await super().handle_websocket(request)
        finally:
            self.connected -= 1
            self.publish()

    async def on_startup(self, app: web.Application) -> None:
        """Say where to connect, and tell the facilitator's screen."""
        self.publish()
        self._heartbeat = asyncio.create_task(self._beat())
        self.console.print(f"Taggers can join at {self.public_url} with the code {self.code}")
        self.console.print("Press Ctrl+C to stop serving.")

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(TAGGER_SERVER_HEARTBEAT)
            self.publish()

    async def on_shutdown(self, app: web.Application) -> None:
        """Tell the facilitator's screen that serving stopped."""
        self._heartbeat.cancel()
        await super().on_shutdown(app)
        self.publish(running=False)

    def publish(self, running: bool = True) -> None:
        """Record the server's state in the session (read by the facilitator's screen)."""
        state: dict[str, Any] = {
            "running": running,
            "url": self.public_url,
            "code": self.code,
            "connected": self.connected,
            "updated_wall": time.time(),
        }
        with SessionStore.open(self.folder) as store:
            store.set_meta(TAGGER_SERVER_META, state)
