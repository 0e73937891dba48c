"""`facilitator serve-taggers`: nothing is served without the access code; with it, the tagger
runs in the browser, and the facilitator's screen shows the server and its connections."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest

from facilitator.session.follow import TAGGER_SERVER_META
from facilitator.session.store import SessionStore
from facilitator.tui.app import AppConfig, FacilitatorApp
from facilitator.tui.widgets.status_bar import StatusBar

pytestmark = pytest.mark.timeout(120)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_state(folder: Path) -> dict[str, object]:
    with SessionStore.open(folder) as store:
        return dict(store.meta().get(TAGGER_SERVER_META) or {})


async def test_access_code_gate_and_a_real_tagger_in_the_browser(
    make_session: Callable[..., Path], sessions_root: Path, private_dirs: Path
) -> None:
    folder = make_session()
    port = free_port()
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "facilitator", "--data-dir", str(private_dirs),
        "serve-taggers", folder.name, "--host", "127.0.0.1", "--port", str(port),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        env=os.environ.copy(),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not server_state(folder).get("running"):
            assert time.monotonic() < deadline, "the server did not start"
            await asyncio.sleep(0.1)
        code = str(server_state(folder)["code"])
        assert len(code) == 8

        async with aiohttp.ClientSession() as anonymous:
            for path in ("/", "/?code=WRONG123", "/static/js/textual.js", "/ws"):
                async with anonymous.get(base + path) as response:
                    body = await response.text()
                    assert response.status == 403, path
                    assert "access code" in body.lower() or "code is not right" in body
                    assert "websocket" not in body.lower()

        app = FacilitatorApp(AppConfig(sessions_root, session=folder))
        jar = aiohttp.CookieJar(unsafe=True)  # accept cookies from 127.0.0.1, as browsers do
        async with aiohttp.ClientSession(cookie_jar=jar) as browser, app.run_test() as pilot:
            async with browser.get(f"{base}/?code={code.lower()}") as response:
                page = await response.text()
                assert response.status == 200 and "/ws" in page, "the tagger page loads"
            status = app.screen.query_one(StatusBar)
            ws = await browser.ws_connect(f"{base}/ws?width=80&height=24")
            received = await asyncio.wait_for(ws.receive(), 30)
            assert received.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT)
            deadline = time.monotonic() + 10
            while f"browser taggers 1 · code {code}" not in status.content.plain:
                assert time.monotonic() < deadline, status.content.plain
                await pilot.pause(0.2)
            await ws.close()
            while server_state(folder).get("connected") != 0:
                assert time.monotonic() < deadline + 10
                await pilot.pause(0.2)
    finally:
        server.send_signal(signal.SIGTERM)
        await asyncio.wait_for(server.wait(), 20)
    assert server_state(folder)["running"] is False
