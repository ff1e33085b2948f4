"""Oversized frames over a real socket: under daphne's own 1 MiB limit the consumer refuses them
with an error frame and the socket stays; over it, daphne closes with 1009 and a reason. What the
consumer does with every other hostile frame is tested in process (tests/inprocess/test_hostile_frames.py)."""

from __future__ import annotations

import pytest
import websockets

from tests.support.users import make_token, make_user
from tests.support.ws import ChatClient


async def test_a_frame_over_the_servers_limit_is_refused_and_the_socket_stays(db, fake_server) -> None:
    client = await ChatClient.connect(fake_server.ws_url, await make_token(await make_user()))
    await client.send("chat.send", conversation_id=None, content="x" * 900_000)  # under daphne's 1 MiB
    error = await client.until_type("error", 10)
    assert error["code"] == "frame_too_large" and "65536 bytes" in error["message"]
    await client.ping()
    await client.close()


async def test_a_message_over_daphnes_limit_gets_a_1009_close_with_a_reason(db, fake_server) -> None:
    client = await ChatClient.connect(fake_server.ws_url, await make_token(await make_user()))
    await client.send("chat.send", conversation_id=None, content="x" * (2 * 1024 * 1024))
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await client.recv(30)
    assert closed.value.rcvd is not None, "the connection was dropped without a close frame"
    assert closed.value.rcvd.code == 1009 and "exceeds" in closed.value.rcvd.reason
