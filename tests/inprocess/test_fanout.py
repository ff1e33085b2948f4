"""What a socket is told when the layer could not give it everything: a socket too far behind is
closed with 4408 ``lagging`` (the client reconnects and reopens from the stored state); after a
lost Redis subscription, each open conversation is sent again (snapshot, then a sync for an answer
in flight) and the socket stays open."""

from __future__ import annotations

import pytest
from channels.layers import get_channel_layer
from django.test import override_settings

from tests.inprocess.chat_socket import SocketClosed
from tests.support.users import make_token, make_user
from tests.support.ws import finished_answer

SMALL_INBOX_LAYER = {"default": {"BACKEND": "asgi_app.channel_layer.FanoutLayer", "CONFIG": {"capacity": 3}}}


async def test_a_socket_too_far_behind_is_closed_with_lagging(connect) -> None:
    user = await make_user()
    with override_settings(CHANNEL_LAYERS=SMALL_INBOX_LAYER):
        client = await connect(await make_token(user))
        await client.ping()
        layer = get_channel_layer()
        # Ten sidebar frames at once, before the consumer reads any: its inbox holds three.
        for _ in range(10):
            await layer.group_send(f"user.{user.id}", {"type": "chat.event", "frame": '{"type": "pong"}'})
        with pytest.raises(SocketClosed) as closed:
            await client.until_type("never", 30)
    assert (closed.value.code, closed.value.reason) == (4408, "lagging")


async def test_a_lost_relay_resends_each_open_conversation(connect, fake_ollama) -> None:
    fake_ollama.set_behaviour("resync", tokens=5)
    user = await make_user()
    client = await connect(await make_token(user))
    conversation_id, answer_id, done = await finished_answer(
        client, 30, conversation_id=None, content="hi", model="resync"
    )
    await client.send("conversation.open", conversation_id=conversation_id, request_id="open")
    await client.until_type("conversation.snapshot", 30, request_id="open")
    before = len(client.of_type("conversation.snapshot"))

    get_channel_layer().tell_members({"type": "layer.resync"})

    snapshot = await client.until(lambda f: f["type"] == "conversation.snapshot" and f["request_id"] is None, 30)
    assert snapshot["conversation"]["id"] == conversation_id
    stored = {m["id"]: m for m in snapshot["messages"]}
    assert stored[answer_id]["status"] == "complete" and stored[answer_id]["content"] == done["content"]
    assert len(client.of_type("conversation.snapshot")) == before + 1  # one open conversation, one snapshot
    await client.ping()  # still open
