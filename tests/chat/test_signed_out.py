"""Ending a credential closes the sockets opened with it, on every process: logout (a session),
revoking an API token, changing the password (every session of the user). Each socket hears
``signed_out`` and closes with 4401; sockets of other credentials live on."""

from __future__ import annotations

import json

import pytest
import websockets

from tests.api.clients import Browser, bearer, register
from tests.support.ws import ChatClient

SIGNED_OUT_CLOSE = (4401, "signed_out")


async def _cookie_socket(server, browser: Browser) -> ChatClient:
    ws = await websockets.connect(
        server.ws_url, origin=f"http://127.0.0.1:{server.port}", additional_headers={"Cookie": browser.session_cookie}
    )
    client = ChatClient(ws)
    await client.ping()
    return client


async def _closed_as_signed_out(client: ChatClient) -> None:
    """Read until the server closes the socket (bounded only as a safety net): the last frame is
    the signed_out error, and the close carries code 4401 and its reason."""
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            await client.recv(120)
    assert client.frames[-1]["type"] == "error" and client.frames[-1]["code"] == "signed_out", client.frames[-1:]
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == SIGNED_OUT_CLOSE


@pytest.fixture
def two_servers(start_server, redis_url, fake_ollama):
    env = {"OLLAMA_HOST": fake_ollama.url, "REDIS_URL": redis_url}
    return start_server(**env), start_server(**env)


async def test_logout_closes_the_sessions_sockets_on_every_process(db, two_servers) -> None:
    server_a, server_b = two_servers
    browser, other_browser = Browser(server_a), Browser(server_a)
    register(browser)
    register(other_browser)
    sockets = [await _cookie_socket(server_a, browser), await _cookie_socket(server_b, browser)]
    bystander = await _cookie_socket(server_b, other_browser)
    ended_cookie = browser.session_cookie
    assert browser.post("/api/auth/logout").status_code == 204
    for socket in sockets:
        await _closed_as_signed_out(socket)
    await bystander.ping()
    # The same cookie can no longer open a socket.
    async with websockets.connect(
        server_b.ws_url, origin=f"http://127.0.0.1:{server_b.port}", additional_headers={"Cookie": ended_cookie}
    ) as ws:
        assert json.loads(await ws.recv())["code"] == "unauthenticated"
    await bystander.close()


async def test_revoking_a_token_closes_its_sockets_on_every_process(db, two_servers) -> None:
    server_a, server_b = two_servers
    browser = Browser(server_a)
    register(browser)
    revoked = browser.post("/api/tokens", json={"name": "laptop"}).json()
    kept = browser.post("/api/tokens", json={"name": "phone"}).json()
    sockets = [await ChatClient.connect(server.ws_url, revoked["token"]) for server in two_servers]
    survivor = await ChatClient.connect(server_b.ws_url, kept["token"])
    for socket in [*sockets, survivor]:
        await socket.ping()
    assert browser.delete(f"/api/tokens/{revoked['id']}").status_code == 204
    for socket in sockets:
        await _closed_as_signed_out(socket)
    await survivor.ping()
    await survivor.close()


async def test_a_new_password_ends_every_session_but_signs_this_browser_in_again(db, two_servers) -> None:
    server_a, server_b = two_servers
    here = Browser(server_a)
    credentials = register(here)
    elsewhere = Browser(server_b)
    assert (
        elsewhere.post(
            "/api/auth/login", json={"username": credentials["username"], "password": credentials["password"]}
        ).status_code
        == 200
    )
    token = here.post("/api/tokens", json={"name": "script"}).json()["token"]
    sockets = [await _cookie_socket(server_a, here), await _cookie_socket(server_b, elsewhere)]
    script = await ChatClient.connect(server_b.ws_url, token)
    new_password = credentials["password"] + "-new"
    changed = here.post(
        "/api/auth/password", json={"current_password": credentials["password"], "new_password": new_password}
    )
    assert changed.status_code == 200, changed.text
    for socket in sockets:
        await _closed_as_signed_out(socket)
    assert elsewhere.get("/api/auth/me").status_code == 401
    assert here.get("/api/auth/me").status_code == 200  # signed in again, with a new session
    again = await _cookie_socket(server_b, here)
    await script.ping()  # API tokens are not passwords: they keep working
    with bearer(server_a, token) as client:
        assert client.get("/api/auth/me").status_code == 200
    for socket in (again, script):
        await socket.close()


async def test_a_wrong_current_password_changes_nothing(db, live_server) -> None:
    browser = Browser(live_server)
    credentials = register(browser)
    wrong = browser.post(
        "/api/auth/password",
        json={"current_password": "not-" + credentials["password"], "new_password": credentials["password"] + "-new"},
    )
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid_credentials"
    assert browser.get("/api/auth/me").status_code == 200
    fresh = Browser(live_server)
    assert (
        fresh.post(
            "/api/auth/login", json={"username": credentials["username"], "password": credentials["password"]}
        ).status_code
        == 200
    )


async def test_a_new_password_also_ends_sessions_saved_before_sessions_named_their_user(db, live_server) -> None:
    from models import User

    here, before_upgrade = Browser(live_server), Browser(live_server)
    credentials = register(here)
    assert (
        before_upgrade.post(
            "/api/auth/login", json={"username": credentials["username"], "password": credentials["password"]}
        ).status_code
        == 200
    )
    sessions = User.get_pymongo_collection().database["sessions"]
    key = before_upgrade.session_cookie.removeprefix("sessionid=")
    assert (await sessions.update_one({"_id": key}, {"$unset": {"user_id": ""}})).modified_count == 1
    changed = here.post(
        "/api/auth/password",
        json={"current_password": credentials["password"], "new_password": credentials["password"] + "-new"},
    )
    assert changed.status_code == 200, changed.text
    assert before_upgrade.get("/api/auth/me").status_code == 401
    assert here.get("/api/auth/me").status_code == 200
