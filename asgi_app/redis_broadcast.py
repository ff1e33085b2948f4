"""How :class:`asgi_app.channel_layer.FanoutLayer` reaches other processes: Redis pub/sub.

A group is a pub/sub channel (``<prefix>:g:<group>``) that a process subscribes to while it has
members in the group. Each process also subscribes to its own channel (``<prefix>:p:<process>``),
for messages sent to one of its channels. A message is published once, whatever the number of
sockets, and decoded once per process. Redis keeps no state for us: after a restart there is no
membership to restore, only subscriptions to renew.

- Publishes are pipelined (chat/group_commit.py, as the database writes are): every publish asked
  for while the previous pipeline was on its way goes out in the next one, in order, over one
  connection. At a few thousand deltas a second that
  is tens of round trips a second instead of thousands.
- A publish waits up to RIDE_THROUGH_S for Redis (a restart takes about a second), then raises
  ChannelLayerUnavailable.
- The subscription is one connection read by one task. When it breaks (Redis restarted, or Redis
  cut this process off for reading too slowly), the task subscribes again, and then every local
  channel in a group gets ``layer.resync``: messages published meanwhile never reached it.
- Each publish that gave up, join refused and subscription lost is counted
  (``hadra_channel_layer_errors_total``, telemetry/metrics.py).
- A process hears its own group messages back from Redis; it has delivered them already, so it
  skips them (each message carries its sender).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

import orjson
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from access.redis_options import connection_options
from access.unavailable import ChannelLayerUnavailable
from chat.group_commit import GroupCommit
from telemetry.metrics import CHANNEL_LAYER_ERRORS

if TYPE_CHECKING:
    from asgi_app.channel_layer import FanoutLayer

log = logging.getLogger(__name__)

OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)
RIDE_THROUGH_S = 5.0  # how long a send waits for Redis
RETRY_PAUSE_S = (0.1, 1.0)  # first and longest pause between attempts while Redis is away
RESYNC = {"type": "layer.resync"}


class RedisBroadcast:
    def __init__(self, url: str, prefix: str, process_id: str, layer: FanoutLayer) -> None:
        self._url = url
        self._prefix = prefix
        self._group_prefix = f"{prefix}:g:"
        self._process_id = process_id
        self._layer = layer
        self._redis: Redis | None = None  # for publishing
        self._sub_redis: Redis | None = None  # for the subscription
        self._pubsub: PubSub | None = None
        self._subscribed = asyncio.Event()  # set while the subscription is up
        self._first_attempt = asyncio.Event()  # set once the first subscription succeeded or failed
        self._listener: asyncio.Task[None] | None = None
        # Publishes asked for while a pipeline is on its way go out together in the next one.
        self._publishes: GroupCommit[tuple[str, bytes]] = GroupCommit(self._publish_all, "redis publisher")

    # -- names ------------------------------------------------------------------------------------

    def _group_key(self, group: str) -> str:
        return f"{self._group_prefix}{group}"

    def _process_key(self, process_id: str) -> str:
        return f"{self._prefix}:p:{process_id}"

    @staticmethod
    def _owner(channel: str) -> str:
        """The process a channel belongs to: FanoutLayer names them ``<prefix><process>!<id>``."""
        return channel.partition("!")[0].rsplit(".", 1)[-1]

    # -- sending ----------------------------------------------------------------------------------

    async def to_group(self, group: str, message: dict[str, Any]) -> None:
        await self._publish(self._group_key(group), {"o": self._process_id, "m": message})

    async def to_channel(self, channel: str, message: dict[str, Any], force_remote: bool = False) -> None:
        owner = self._owner(channel)
        if force_remote:  # a check of the whole path: it needs the subscription up
            await self.ready()
            await asyncio.wait_for(self._subscribed.wait(), RIDE_THROUGH_S)
        await self._publish(self._process_key(owner), {"o": self._process_id, "c": channel, "m": message})

    async def _publish(self, key: str, envelope: dict[str, Any]) -> None:
        data = orjson.dumps(envelope)
        deadline = time.monotonic() + RIDE_THROUGH_S
        while True:
            try:
                return await self._publishes.write((key, data))
            except OUTAGE as exc:
                if time.monotonic() >= deadline:
                    CHANNEL_LAYER_ERRORS.labels("publish").inc()
                    raise ChannelLayerUnavailable(
                        f"Redis has been unreachable for {RIDE_THROUGH_S:.0f} s: {exc}"
                    ) from exc
            await asyncio.sleep(0.2)

    async def _publish_all(self, messages: list[tuple[str, bytes]]) -> None:
        pipe = self._client().pipeline(transaction=False)
        for key, data in messages:
            pipe.publish(key, data)
        await pipe.execute()

    def _client(self) -> Redis:
        if self._redis is None:
            self._redis = Redis.from_url(self._url, **connection_options())
        return self._redis

    def _subscriber_client(self) -> Redis:
        """A client of its own for the subscription: it waits for messages without a read timeout
        (a quiet minute is no outage) and never reconnects behind our back (redis-py would
        subscribe again silently, and nobody would be told what was missed meanwhile)."""
        if self._sub_redis is None:
            options = connection_options() | {
                "socket_timeout": None,
                "socket_keepalive": True,
                "retry": Retry(NoBackoff(), 0),
            }
            self._sub_redis = Redis.from_url(self._url, **options)
        return self._sub_redis

    # -- subscribing ------------------------------------------------------------------------------

    async def ready(self) -> None:
        """Start listening, and the first time wait for the first attempt to subscribe: a send
        from another process to a channel created now must find it subscribed. Later calls never
        wait (while Redis is away, sockets still connect; their messages follow when it is back)."""
        if self._listener is None or self._listener.done():
            self._listener = asyncio.create_task(self._listen(), name="redis subscriber")
        if not self._first_attempt.is_set():
            try:
                await asyncio.wait_for(self._first_attempt.wait(), RIDE_THROUGH_S)
            except TimeoutError:
                pass

    async def subscribe(self, group: str) -> None:
        await self.ready()
        pubsub = self._pubsub
        if pubsub is not None:
            try:
                await pubsub.subscribe(self._group_key(group))
            except OUTAGE as exc:  # the listener subscribes again to every group when Redis is back
                CHANNEL_LAYER_ERRORS.labels("subscribe").inc()
                log.warning("Redis is unreachable; joining %s once it is back (%s)", group, exc)

    async def unsubscribe(self, group: str) -> None:
        pubsub = self._pubsub
        if pubsub is not None:
            try:
                await pubsub.unsubscribe(self._group_key(group))
            except OUTAGE:
                pass  # a renewed subscription leaves out groups without local members

    async def _listen(self) -> None:
        pause = RETRY_PAUSE_S[0]
        lost_since: float | None = None
        while True:
            pubsub = self._subscriber_client().pubsub(ignore_subscribe_messages=True)
            self._pubsub = pubsub  # first: a group added from now on subscribes itself
            try:
                keys = [self._process_key(self._process_id)] + [self._group_key(g) for g in self._layer.local_groups()]
                await pubsub.subscribe(*keys)
                self._subscribed.set()
                self._first_attempt.set()
                if lost_since is not None:
                    log.warning(
                        "Redis subscription back after %.1f s; resyncing local sockets", time.monotonic() - lost_since
                    )
                    self._layer.tell_members(RESYNC)
                    lost_since = None
                pause = RETRY_PAUSE_S[0]
                async for item in pubsub.listen():
                    if item.get("type") == "message":
                        self._received(item["channel"], item["data"])
            except OUTAGE as exc:
                self._subscribed.clear()
                self._first_attempt.set()
                if lost_since is None:
                    lost_since = time.monotonic()
                    CHANNEL_LAYER_ERRORS.labels("subscription").inc()
                    log.warning("Redis subscription lost; subscribing again when Redis is back (%s)", exc)
                await asyncio.sleep(pause)
                pause = min(pause * 2, RETRY_PAUSE_S[1])
            finally:
                self._pubsub = None
                try:
                    await pubsub.aclose()
                except Exception:  # the connection is broken already
                    pass

    def _received(self, key: bytes, data: bytes) -> None:
        envelope = orjson.loads(data)
        channel = envelope.get("c")
        if channel is not None:
            self._layer.deliver(channel, envelope["m"])
        elif envelope["o"] != self._process_id:  # our own group sends were delivered here already
            self._layer.deliver_to_group(key.decode()[len(self._group_prefix) :], envelope["m"])

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
        self._listener = None
        self._subscribed.clear()
        for client in (self._redis, self._sub_redis):
            if client is not None:
                await client.aclose()
        self._redis = self._sub_redis = None
