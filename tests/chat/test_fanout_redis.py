"""The channel layer across processes, on a real Redis: two layers stand for two hadra processes.
A group send reaches every member once, in order, on both sides (a process skips its own messages
coming back from Redis); a send reaches a channel of the other process; a Redis restart ends with
each member told to resync, and messages flow again."""

from __future__ import annotations

import asyncio

from asgi_app.channel_layer import FanoutLayer
from embedded import process, redis
from tests.support.outages import own_service

WAIT_S = 30.0


async def _receive_n(layer: FanoutLayer, channel: str, count: int) -> list[dict]:
    return [await asyncio.wait_for(layer.receive(channel), WAIT_S) for _ in range(count)]


async def _quiet(layer: FanoutLayer, channel: str) -> bool:
    """Nothing more arrives for a moment (used after every expected message was counted)."""
    try:
        await asyncio.wait_for(layer.receive(channel), 0.5)
    except TimeoutError:
        return True
    return False


async def test_group_sends_reach_both_processes_once_and_in_order(redis_url) -> None:
    a, b = FanoutLayer(redis_url=redis_url), FanoutLayer(redis_url=redis_url)
    try:
        on_a, on_b = await a.new_channel(), await b.new_channel()
        await a.group_add("conversation.shared", on_a)
        await b.group_add("conversation.shared", on_b)
        await asyncio.gather(
            *(a.group_send("conversation.shared", {"type": "chat.event", "seq": s}) for s in range(500))
        )
        for layer, channel in ((a, on_a), (b, on_b)):
            assert [m["seq"] for m in await _receive_n(layer, channel, 500)] == list(range(500))
            assert await _quiet(layer, channel), "a message came twice"

        # A send to one channel of the other process (a sync's reply) reaches it and only it.
        await a.send(on_b, {"type": "chat.event", "frame": "sync"})
        assert await asyncio.wait_for(b.receive(on_b), WAIT_S) == {"type": "chat.event", "frame": "sync"}
        assert await _quiet(a, on_a)
        assert await a.round_trip(WAIT_S) >= 0 and a.backend == "redis"
    finally:
        await a.close()
        await b.close()


async def test_after_a_redis_restart_members_resync_and_messages_flow(db) -> None:
    port = process.free_port()
    with own_service(redis.service(port), "redis-fanout") as restart_redis:
        a, b = FanoutLayer(redis_url=redis.url(port)), FanoutLayer(redis_url=redis.url(port))
        try:
            on_a, on_b = await a.new_channel(), await b.new_channel()
            await a.group_add("conversation.r", on_a)
            await b.group_add("conversation.r", on_b)
            await a.group_send("conversation.r", {"type": "chat.event", "seq": 1})
            assert (await asyncio.wait_for(b.receive(on_b), WAIT_S))["seq"] == 1

            await asyncio.to_thread(restart_redis)

            # Both subscriptions broke with the restart: once each is back, its members are told.
            assert (await asyncio.wait_for(b.receive(on_b), WAIT_S))["type"] == "layer.resync"
            assert [m["type"] for m in await _receive_n(a, on_a, 2)] == ["chat.event", "layer.resync"]
            await a.group_send("conversation.r", {"type": "chat.event", "seq": 2})
            await b.group_send("conversation.r", {"type": "chat.event", "seq": 3})
            for layer, channel in ((a, on_a), (b, on_b)):
                assert sorted(m["seq"] for m in await _receive_n(layer, channel, 2)) == [2, 3]
                assert await _quiet(layer, channel)
        finally:
            await a.close()
            await b.close()
