"""Signing in on the in-process layer: hadra's own ASGI stack (cookie, session, bearer token,
origin check) decides who a socket belongs to, and an HTTP logout reaches the socket through the
channel layer, as behind daphne."""

from __future__ import annotations

import pytest

from tests.inprocess.api_client import BrowserClient, register
from tests.inprocess.chat_socket import OWN_ORIGIN, SocketClosed
from tests.support.users import make_token, make_user
from tests.support.ws import finished_answer


async def test_a_token_opens_the_socket(connect) -> None:
    client = await connect(await make_token(await make_user()))
    await client.ping()


async def test_no_credentials_are_told_why_and_closed_with_4401(connect) -> None:
    client = await connect()
    frame = await client.recv(10)
    assert frame["type"] == "error" and frame["code"] == "unauthenticated"
    with pytest.raises(SocketClosed) as closed:
        await client.recv(10)
    assert closed.value.code == 4401


@pytest.mark.parametrize(
    "origin",
    [
        "http://127.0.0.1:8001",  # another port: another site that gets the same cookies
        "https://127.0.0.1",  # another scheme
        "http://localhost",  # an allowed host name, but not the one the socket was opened on
        "https://evil.example",
        None,  # no Origin at all
    ],
)
async def test_the_session_cookie_opens_the_socket_only_from_the_servers_own_origin(connect, origin) -> None:
    browser = await BrowserClient.open()
    await register(browser)
    own = await connect(cookie=browser.session_cookie, origin=OWN_ORIGIN)
    await own.ping()
    foreign = await connect(cookie=browser.session_cookie, origin=origin)
    first = await foreign.recv(10)
    assert first["type"] == "error" and first["code"] == "unauthenticated", first


async def test_logging_out_over_http_signs_the_browsers_socket_out(connect, fake_ollama) -> None:
    fake_ollama.set_behaviour("sign-in-chat", tokens=3, tokens_per_s=1000)
    browser = await BrowserClient.open()
    await register(browser)
    client = await connect(cookie=browser.session_cookie, origin=OWN_ORIGIN)
    _, _, done = await finished_answer(client, 30, conversation_id=None, content="hi", model="sign-in-chat")
    assert done["status"] == "complete"
    assert (await browser.post("/api/auth/logout")).status_code < 300
    assert (await client.until_type("error", 10))["code"] == "signed_out"
    with pytest.raises(SocketClosed) as closed:
        await client.recv(10)
    assert (closed.value.code, closed.value.reason) == (4401, "signed_out")
