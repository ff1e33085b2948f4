"""The Redis channel layer, made to ride through a Redis restart.

channels_redis, as shipped, lets one restart do lasting harm: a receive that loses its connection
raises, which kills the consumer (the socket closes with 1011); sends fail at once; and a Redis
that restarts without persistence comes back without the group memberships, so nothing sent to a
conversation reaches the sockets that had it open. Here:

- a receive waits for Redis to come back instead of raising (the socket simply hears nothing);
- a send or group send waits up to RIDE_THROUGH_S for Redis, then raises ChannelLayerUnavailable;
- group_add and group_discard are remembered by this process, so they never fail for an outage,
  and every new connection to Redis (after a restart, that means the first command that reaches
  it) puts this process's memberships back before its next send.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from typing import Any

from channels_redis.core import RedisChannelLayer
from channels_redis.utils import create_pool
from redis.asyncio import ConnectionPool
from redis.asyncio.connection import AbstractConnection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from access.redis_options import connection_options
from access.unavailable import ChannelLayerUnavailable

log = logging.getLogger(__name__)

OUTAGE = (RedisConnectionError, RedisTimeoutError)
# How long a send waits for Redis: a restart takes about a second.
RIDE_THROUGH_S = 5.0
RECEIVE_PAUSE_S = (0.1, 1.0)  # first and longest pause between receive attempts while Redis is away


class RestartSafeRedisChannelLayer(RedisChannelLayer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._members: defaultdict[str, set[str]] = defaultdict(set)
        self._restore: asyncio.Task | None = None
        self._restore_again = False
        self._receive_pause = RECEIVE_PAUSE_S[0]

    def create_pool(self, index: int) -> ConnectionPool:
        return create_pool({**self.hosts[index], **connection_options(), "redis_connect_func": self._connected})

    # -- groups: remembered here, told to Redis when it is there --------------------------------

    async def group_add(self, group: str, channel: str) -> None:
        self._members[group].add(channel)
        try:
            await super().group_add(group, channel)
        except OUTAGE as exc:
            log.warning("Redis is unreachable; %s joins %s once it is back (%s)", channel, group, exc)

    async def group_discard(self, group: str, channel: str) -> None:
        members = self._members.get(group)
        if members is not None:
            members.discard(channel)
            if not members:
                del self._members[group]
        try:
            await super().group_discard(group, channel)
        except OUTAGE as exc:
            # Left behind in Redis only if Redis kept its data: the member expires with the group.
            log.warning("Redis is unreachable; %s could not leave %s (%s)", channel, group, exc)

    async def _connected(self, connection: AbstractConnection) -> None:
        """redis-py's hook for a new connection: the usual handshake, then (in the background, as
        the handshake must not wait on other connections) memberships back into Redis."""
        await connection.on_connect()
        if self._members:
            if self._restore is None or self._restore.done():
                self._restore = asyncio.create_task(self._restore_members())
            else:
                self._restore_again = True

    async def _restore_members(self) -> None:
        while True:
            self._restore_again = False
            by_index: defaultdict[int, list[tuple[str, list[str]]]] = defaultdict(list)
            for group, channels in list(self._members.items()):
                by_index[self.consistent_hash(group)].append((group, list(channels)))
            try:
                for index, groups in by_index.items():
                    pipe = self.connection(index).pipeline(transaction=False)
                    now = time.time()
                    for group, members in groups:
                        key = self._group_key(group)
                        pipe.zadd(key, dict.fromkeys(members, now))
                        pipe.expire(key, self.group_expiry)
                    await pipe.execute()
            except OUTAGE as exc:
                log.warning("Redis is unreachable; group memberships are restored on the next connection (%s)", exc)
                return
            if not self._restore_again:
                return

    async def _restored(self) -> None:
        """Let this process's memberships reach Redis before anything it sends."""
        restore = self._restore
        if (
            restore is not None
            and not restore.done()
            and restore.get_loop() is asyncio.get_running_loop()
            and restore is not asyncio.current_task()
        ):
            await asyncio.shield(restore)

    # -- sends: wait a while for Redis ------------------------------------------------------------

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        await self._ride_through(super().send, channel, message)

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        await self._ride_through(super().group_send, group, message)

    async def _ride_through(self, call, *args: Any) -> None:
        deadline = time.monotonic() + RIDE_THROUGH_S
        while True:
            await self._restored()
            try:
                return await call(*args)
            except OUTAGE as exc:
                if time.monotonic() >= deadline:
                    raise ChannelLayerUnavailable(
                        f"Redis has been unreachable for {RIDE_THROUGH_S:.0f} s: {exc}"
                    ) from exc
            await asyncio.sleep(0.2)

    # -- receives: wait for Redis as long as it takes ---------------------------------------------

    async def _brpop_with_clean(self, index: int, channel: str, timeout: int) -> Any:
        try:
            member = await super()._brpop_with_clean(index, channel, timeout)
        except OUTAGE as exc:
            # None is what channels_redis's receive loop sees when the pop timed out: it pops again.
            if self._receive_pause == RECEIVE_PAUSE_S[0]:
                log.warning("Redis is unreachable; receiving again when it is back (%s)", exc)
            await asyncio.sleep(self._receive_pause)
            self._receive_pause = min(self._receive_pause * 2, RECEIVE_PAUSE_S[1])
            return None
        self._receive_pause = RECEIVE_PAUSE_S[0]
        return member

    async def _clean_receive_backup(self, index: int, channel: str) -> None:
        try:
            await super()._clean_receive_backup(index, channel)
        except OUTAGE:
            pass  # a restarted Redis has no backup queue left to clean
