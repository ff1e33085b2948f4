"""A WebSocket through a real daphne process with a real WebSocket client."""

from __future__ import annotations

import asyncio
import contextlib
import json

import pytest
import websockets

from tests.support.users import make_token, make_user


async def test_ping_over_a_real_socket(db, live_server) -> None:
    token = await make_token(await make_user())
    async with websockets.connect(live_server.ws_url, additional_headers={"Authorization": f"Bearer {token}"}) as ws:
        await ws.send(json.dumps({"type": "ping", "request_id": "r1"}))
        assert json.loads(await ws.recv()) == {"type": "pong", "request_id": "r1"}


async def test_a_socket_without_credentials_is_told_why_and_closed(live_server) -> None:
    async with websockets.connect(live_server.ws_url) as ws:
        frame = json.loads(await ws.recv())
        assert frame["type"] == "error" and frame["code"] == "unauthenticated"
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd.code == 4401


async def test_cookie_auth_from_a_foreign_origin_is_refused(db, live_server) -> None:
    # No session exists for it anyway; what matters is that a foreign Origin never reads the cookie.
    async with websockets.connect(
        live_server.ws_url, origin="https://evil.example", additional_headers={"Cookie": "sessionid=whatever"}
    ) as ws:
        assert json.loads(await ws.recv())["code"] == "unauthenticated"


def _signed_in_browser(server):
    from tests.api.clients import Browser, register

    browser = Browser(server)
    register(browser)
    return browser


@pytest.mark.parametrize(
    "origin",
    [
        "http://127.0.0.1:{other}",  # another port: another site that gets the same cookies
        "https://127.0.0.1:{port}",  # another scheme
        "http://localhost:{port}",  # an allowed host name, but not the one the socket was opened on
        "http://127.0.0.1",  # no port: port 80
    ],
)
async def test_the_session_cookie_works_only_from_the_servers_own_origin(live_server, origin) -> None:
    browser = _signed_in_browser(live_server)
    headers = {"Cookie": browser.session_cookie}
    own = f"http://127.0.0.1:{live_server.port}"
    async with websockets.connect(live_server.ws_url, origin=own, additional_headers=headers) as ws:
        await ws.send(json.dumps({"type": "ping", "request_id": "own"}))
        assert json.loads(await ws.recv()) == {"type": "pong", "request_id": "own"}
    foreign = origin.format(port=live_server.port, other=live_server.port + 1)
    async with websockets.connect(live_server.ws_url, origin=foreign, additional_headers=headers) as ws:
        with contextlib.suppress(websockets.ConnectionClosed):  # refused sockets are closed at once
            await ws.send(json.dumps({"type": "ping", "request_id": "foreign"}))
        first = json.loads(await asyncio.wait_for(ws.recv(), 30))
        assert first["type"] == "error" and first["code"] == "unauthenticated", first
