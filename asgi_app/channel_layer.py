"""The channel layer: deltas reach this process's sockets directly, other processes through Redis
pub/sub, and a socket that misses something is told.

Why not a layer Channels ships (measured for issue 12, ``bench/layer_fanout.py``):
``InMemoryChannelLayer`` scans every channel on every send and receive, so a delta costs more the
more sockets are open, and a socket whose queue lags past the expiry leaves its groups silently.
channels_redis' core layer puts every message for a process into one capped Redis list: past the
cap ``group_send`` drops messages (``message.done`` among them). Its pub/sub layer publishes one
message at a time behind a lock, decodes each message once per socket, and does not tell anyone
what was missed while it reconnected.

Here every channel is an inbox in the process that created it, and a group is the set of this
process's channels in it:

- ``group_send`` puts the message in each local member's inbox (the same dict, not a copy: handlers
  read messages, they do not change them). Its cost grows with the group's members, not with the
  sockets open.
- With Redis (:mod:`asgi_app.redis_broadcast`), ``group_send`` first publishes the message once on
  the group's pub/sub channel, and every other process with members in the group delivers it
  locally. ``send`` to another process's channel publishes on that process's pub/sub channel. The
  publish comes first: a send that raised reached nobody, so retrying it (``message.done`` is
  retried until it goes out) never sends anything twice.
- Nothing is dropped silently. An inbox that fills up (its socket is ``capacity`` messages behind)
  is emptied and given one ``layer.lagging`` message. When the Redis subscription is lost and
  comes back, each local channel in a group gets ``layer.resync``, and its consumer sends the
  client what it may have missed.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import defaultdict
from typing import Any, ClassVar

from channels.layers import BaseChannelLayer

from telemetry.metrics import CHANNEL_LAYER_ERRORS

log = logging.getLogger(__name__)

LAGGING = {"type": "layer.lagging"}


class Inbox:
    """A channel's messages, in order. Past ``capacity`` the reader is too far behind: the backlog
    goes and one ``layer.lagging`` takes its place (a bounded queue would drop the newest)."""

    __slots__ = ("capacity", "lagging", "queue")

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.lagging = False

    def put(self, message: dict[str, Any]) -> None:
        if self.lagging:
            return  # told already; the reader closes or resyncs, nothing after this can help it
        if self.queue.qsize() >= self.capacity:
            while not self.queue.empty():
                self.queue.get_nowait()
            self.lagging = True
            CHANNEL_LAYER_ERRORS.labels("lagging").inc()
            message = LAGGING
        self.queue.put_nowait(message)


class FanoutLayer(BaseChannelLayer):
    """Channels' layer interface (``send``, ``receive``, ``new_channel``, groups, ``flush``).

    ``redis_url`` set: several processes share groups through Redis; unset: one process.
    ``capacity``: messages a channel may have waiting before its reader is told it lags.
    """

    extensions: ClassVar[list[str]] = ["groups", "flush"]

    def __init__(self, redis_url: str | None = None, capacity: int = 1000, prefix: str = "hadra", **kwargs: Any):
        super().__init__(capacity=capacity, **kwargs)
        self.process_id = uuid.uuid4().hex
        self._inboxes: dict[str, Inbox] = {}
        self._groups: defaultdict[str, set[str]] = defaultdict(set)
        self._memberships: defaultdict[str, set[str]] = defaultdict(set)  # channel → its groups
        self._broadcast: Any = None
        if redis_url:
            from asgi_app.redis_broadcast import RedisBroadcast  # a one-process install needs no Redis client

            self._broadcast = RedisBroadcast(redis_url, prefix, self.process_id, self)

    @property
    def backend(self) -> str:
        return "redis" if self._broadcast else "in-memory"

    # -- channels ---------------------------------------------------------------------------------

    async def new_channel(self, prefix: str = "specific.") -> str:
        channel = f"{prefix}{self.process_id}!{uuid.uuid4().hex}"
        self._inboxes[channel] = Inbox(self.capacity)
        if self._broadcast:
            await self._broadcast.ready()  # this process's own pub/sub channel, for sends from others
        return channel

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        if channel in self._inboxes or self._broadcast is None:
            self.deliver(channel, message)
        else:
            await self._broadcast.to_channel(channel, message)

    async def receive(self, channel: str) -> dict[str, Any]:
        inbox = self._inboxes.get(channel)
        if inbox is None:
            inbox = self._inboxes[channel] = Inbox(self.capacity)
        try:
            message = await inbox.queue.get()
        except asyncio.CancelledError:
            # The reader is gone (a consumer ends by cancelling its receive, after leaving its
            # groups): its inbox goes with it. One still in a group was only interrupted
            # (``asyncio.wait_for``) and keeps its inbox.
            if not self._memberships.get(channel):
                self._inboxes.pop(channel, None)
            raise
        if message is LAGGING:
            inbox.lagging = False
        return message

    def deliver(self, channel: str, message: dict[str, Any]) -> None:
        """Into ``channel``'s inbox, if it is still here (a channel whose reader left gets nothing)."""
        inbox = self._inboxes.get(channel)
        if inbox is not None:
            inbox.put(message)

    def deliver_to_group(self, group: str, message: dict[str, Any]) -> None:
        for channel in self._groups.get(group, ()):
            self.deliver(channel, message)

    def tell_members(self, message: dict[str, Any]) -> None:
        """Every local channel that is in a group: after a lost subscription, they may have missed messages."""
        for channel, groups in self._memberships.items():
            if groups:
                self.deliver(channel, message)

    # -- groups -----------------------------------------------------------------------------------

    async def group_add(self, group: str, channel: str) -> None:
        self.require_valid_group_name(group)
        self.require_valid_channel_name(channel)
        members = self._groups[group]
        first = not members
        members.add(channel)
        self._memberships[channel].add(group)
        if first and self._broadcast:
            await self._broadcast.subscribe(group)

    async def group_discard(self, group: str, channel: str) -> None:
        members = self._groups.get(group)
        if members is None or channel not in members:
            return
        members.discard(channel)
        groups = self._memberships.get(channel)
        if groups is not None:
            groups.discard(group)
            if not groups:
                del self._memberships[channel]
        if not members:
            del self._groups[group]
            if self._broadcast:
                await self._broadcast.unsubscribe(group)

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        if self._broadcast:
            await self._broadcast.to_group(group, message)
        self.deliver_to_group(group, message)

    def local_groups(self) -> list[str]:
        return list(self._groups)

    # -- checks and housekeeping ------------------------------------------------------------------

    async def round_trip(self, timeout_s: float) -> float:
        """Send a message to a new channel of this process and receive it: with Redis, through
        Redis (publish and subscription both proven). Returns the seconds it took."""
        channel = await self.new_channel()
        started = time.perf_counter()
        try:
            if self._broadcast:
                await self._broadcast.to_channel(channel, {"type": "layer.ping"}, force_remote=True)
            else:
                self.deliver(channel, {"type": "layer.ping"})
            await asyncio.wait_for(self.receive(channel), timeout_s)
        finally:
            self._inboxes.pop(channel, None)
        return time.perf_counter() - started

    async def flush(self) -> None:
        self._inboxes.clear()
        self._groups.clear()
        self._memberships.clear()
        if self._broadcast:
            await self._broadcast.close()

    async def close(self) -> None:
        if self._broadcast:
            await self._broadcast.close()
