"""The channel layer of one process (asgi_app/channel_layer.py): a group send reaches exactly the
group's sockets, in order, whatever else is open; a socket too far behind is told, never dropped
from its groups in silence; a reader that leaves takes its inbox with it."""

from __future__ import annotations

import asyncio

import pytest

from asgi_app import channel_layer
from asgi_app.channel_layer import FanoutLayer

WAIT_S = 30.0


async def _drain(layer: FanoutLayer, channel: str) -> list[dict]:
    """Everything waiting in ``channel``'s inbox, without blocking."""
    received = []
    while True:
        try:
            received.append(await asyncio.wait_for(layer.receive(channel), 0.01))
        except TimeoutError:
            return received


async def test_a_group_send_reaches_its_members_in_order_and_no_one_else() -> None:
    layer = FanoutLayer()
    members = [await layer.new_channel() for _ in range(3)]
    others = [await layer.new_channel() for _ in range(50)]
    for channel in members:
        await layer.group_add("conversation.a", channel)
    for channel in others:
        await layer.group_add("conversation.b", channel)
    for seq in range(1, 101):
        await layer.group_send("conversation.a", {"type": "chat.event", "seq": seq})
    for channel in members:
        assert [m["seq"] for m in await _drain(layer, channel)] == list(range(1, 101))
    for channel in others:
        assert await _drain(layer, channel) == []


async def test_a_group_send_touches_only_the_members_however_many_sockets_are_open(monkeypatch) -> None:
    """The cost of a delta: one inbox put per member of its conversation, with 2,000 sockets open
    elsewhere (Channels' in-memory layer scanned them all on every send)."""
    layer = FanoutLayer()
    puts = 0
    put = channel_layer.Inbox.put

    def counting_put(self, message):
        nonlocal puts
        puts += 1
        put(self, message)

    monkeypatch.setattr(channel_layer.Inbox, "put", counting_put)
    for index in range(2000):
        await layer.group_add(f"user.{index}", await layer.new_channel())
    watchers = [await layer.new_channel() for _ in range(2)]
    for channel in watchers:
        await layer.group_add("conversation.live", channel)
    for seq in range(10):
        await layer.group_send("conversation.live", {"type": "chat.event", "seq": seq})
    assert puts == 20


async def test_a_socket_too_far_behind_is_told_once_then_hears_again() -> None:
    layer = FanoutLayer(capacity=10)
    slow, fast = await layer.new_channel(), await layer.new_channel()
    for channel in (slow, fast):
        await layer.group_add("conversation.x", channel)
    for seq in range(5):
        await layer.group_send("conversation.x", {"type": "chat.event", "seq": seq})
    assert len(await _drain(layer, fast)) == 5
    for seq in range(5, 12):  # the slow one never read: its eleventh message finds the inbox full
        await layer.group_send("conversation.x", {"type": "chat.event", "seq": seq})
    assert [m["type"] for m in await _drain(layer, slow)] == ["layer.lagging"]
    assert [m["seq"] for m in await _drain(layer, fast)] == [5, 6, 7, 8, 9, 10, 11]
    # Still in its group: told, then served again.
    await layer.group_send("conversation.x", {"type": "chat.event", "seq": 12})
    assert [m["seq"] for m in await _drain(layer, slow)] == [12]


async def test_a_reader_that_leaves_its_groups_and_stops_takes_its_inbox() -> None:
    layer = FanoutLayer()
    channel = await layer.new_channel()
    await layer.group_add("conversation.y", channel)
    # Interrupted while in a group (a wait_for): the inbox stays, and so do later messages.
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(layer.receive(channel), 0.01)
    await layer.group_send("conversation.y", {"type": "chat.event"})
    assert len(await _drain(layer, channel)) == 1
    # Gone (a consumer leaves its groups, then its receive is cancelled): nothing piles up for it.
    await layer.group_discard("conversation.y", channel)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(layer.receive(channel), 0.01)
    await layer.send(channel, {"type": "chat.event"})
    assert channel not in layer._inboxes


async def test_a_send_to_a_channel_and_the_round_trip_check() -> None:
    layer = FanoutLayer()
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "chat.event", "frame": "{}"})
    assert await asyncio.wait_for(layer.receive(channel), WAIT_S) == {"type": "chat.event", "frame": "{}"}
    assert await layer.round_trip(WAIT_S) >= 0
    assert layer.backend == "in-memory"
