"""The admission queue of one Ollama host in Redis, for several hadra processes.

Why written here: the Redis semaphores on PyPI are small, little-used projects, and none gives
what this needs together: first-in-first-out order with each waiter's position, a bound, and
slots and places that go when their process dies. It is three Lua scripts over four keys, each
script atomic, through redis.asyncio (already a dependency).

Keys (one hash tag per host, so a Redis Cluster keeps them in one slot, as scripts need):
- ``…:held``   SET of tickets holding a slot;
- ``…:queue``  ZSET of waiting tickets scored by arrival (``…:seq``, a counter): the FIFO;
- ``…:leases`` ZSET of every ticket (held or waiting) scored by when its lease ends (ms, Redis's
  own clock, so processes' clocks need not agree).

Crash safety: each process renews the leases of its tickets every third of the lease
(one script call for all of them); any script first drops tickets whose lease ended and moves the
queue's head into free slots. So a killed process holds its slots and places for one lease at
most. Waiters wake on a pub/sub message sent by any script that moved the queue, and check every
POLL_S anyway (a lost message, a dead peer's lease ending) — so a wait is bounded either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from chat.admission import HostQueue, Moved, queue_full
from contract.errors import unavailable

log = logging.getLogger(__name__)

POLL_S = 1.0
HELD, FULL, GONE = -1, -2, -3


# Drop tickets whose lease ended, then let the queue's head into free slots; true if anything moved.
_TIDY = """
local held, queue, leases = KEYS[1], KEYS[2], KEYS[3]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function tidy(now, limit)
  local moved = false
  for _, t in ipairs(redis.call('ZRANGEBYSCORE', leases, '-inf', now)) do
    redis.call('SREM', held, t)
    redis.call('ZREM', queue, t)
    redis.call('ZREM', leases, t)
    moved = true
  end
  local free = limit - redis.call('SCARD', held)
  if free > 0 then
    for _, t in ipairs(redis.call('ZRANGE', queue, 0, free - 1)) do
      redis.call('ZREM', queue, t)
      redis.call('SADD', held, t)
      moved = true
    end
  end
  return moved
end
"""

# ARGV: ticket, lease ms, limit, bound, channel. Returns -1 (admitted), -2 (queue full) or the position.
_JOIN = (
    _TIDY
    + """
local ticket, lease, limit, bound, channel = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local now = now_ms()
local moved = tidy(now, limit)
if moved then redis.call('PUBLISH', channel, 'moved') end
if redis.call('ZCARD', queue) == 0 and redis.call('SCARD', held) < limit then
  redis.call('SADD', held, ticket)
  redis.call('ZADD', leases, now + lease, ticket)
  return -1
end
if redis.call('ZCARD', queue) >= bound then return -2 end
redis.call('ZADD', queue, redis.call('INCR', KEYS[4]), ticket)
redis.call('ZADD', leases, now + lease, ticket)
return redis.call('ZRANK', queue, ticket)
"""
)

# ARGV: lease ms, limit, channel, tickets... Renews the tickets' leases; returns, for each,
# -1 (holds a slot), -3 (gone: its lease ended) or its position.
_SYNC = (
    _TIDY
    + """
local lease, limit, channel = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local now = now_ms()
for i = 4, #ARGV do redis.call('ZADD', leases, 'XX', now + lease, ARGV[i]) end
if tidy(now, limit) then redis.call('PUBLISH', channel, 'moved') end
local states = {}
for i = 4, #ARGV do
  local t = ARGV[i]
  if redis.call('SISMEMBER', held, t) == 1 then
    states[#states + 1] = -1
  else
    states[#states + 1] = redis.call('ZRANK', queue, t) or -3
  end
end
return states
"""
)

# ARGV: ticket, limit, channel.
_LEAVE = (
    _TIDY
    + """
local ticket, limit, channel = ARGV[1], tonumber(ARGV[2]), ARGV[3]
redis.call('SREM', held, ticket)
redis.call('ZREM', queue, ticket)
redis.call('ZREM', leases, ticket)
tidy(now_ms(), limit)
redis.call('PUBLISH', channel, 'moved')
return 0
"""
)


@dataclass
class _Ticket:
    """A ticket of this process: its last known state, and who waits for it to change."""

    state: int
    changed: asyncio.Event = field(default_factory=asyncio.Event)


class RedisQueue(HostQueue):
    def __init__(self, host: str, *, limit: int, bound: int, url: str, lease_s: float) -> None:
        super().__init__(host, limit=limit, bound=bound)
        self._lease_ms = max(1, int(lease_s * 1000))
        self._renew_s = lease_s / 3
        # The same connection options as access/redis_options.py (one retry after a Redis restart).
        self._redis: Redis = Redis.from_url(url, retry=Retry(NoBackoff(), 1), socket_connect_timeout=2)
        prefix = f"hadra:admission:{{{host}}}"
        self._keys = [f"{prefix}:held", f"{prefix}:queue", f"{prefix}:leases", f"{prefix}:seq"]
        self._channel = f"{prefix}:moved"
        self._join = self._redis.register_script(_JOIN)
        self._sync = self._redis.register_script(_SYNC)
        self._leave = self._redis.register_script(_LEAVE)
        self._tickets: dict[str, _Ticket] = {}
        self._nudge = asyncio.Event()
        self._keeper: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None

    async def join(self, ticket: str) -> int | None:
        try:
            state = int(await self._join(self._keys, [ticket, self._lease_ms, self.limit, self.bound, self._channel]))
        except (RedisConnectionError, RedisTimeoutError) as exc:
            raise unavailable("redis") from exc  # as every other request that needs Redis
        if state == FULL:
            raise queue_full(self.host, self.bound)
        self._tickets[ticket] = _Ticket(state)
        self._keep()
        if state == HELD:
            return None
        self._nudge.set()  # the keeper follows the queue closely from now on
        return state

    async def wait(self, ticket: str, moved: Moved) -> None:
        entry = self._tickets[ticket]
        told: int | None = None
        while entry.state != HELD:
            if entry.state == GONE:
                # Its lease ended while it waited (this process stalled, or Redis lost it): in again, at the end.
                position = await self.join(ticket)
                entry = self._tickets[ticket]
                if position is None:
                    return
                continue
            entry.changed.clear()
            if entry.state != told:
                told = entry.state
                await moved(told)
                continue
            await entry.changed.wait()

    async def leave(self, ticket: str) -> None:
        if self._tickets.pop(ticket, None) is None:
            return
        try:
            await self._leave(self._keys, [ticket, self.limit, self._channel])
        except Exception as exc:  # its lease ends by itself
            log.warning("could not leave the queue of %s (its lease will end): %s", self.host, exc)

    async def load(self) -> int:
        """Read without tidying: a dead process's tickets count until their lease ends, as they
        hold the host until then anyway."""
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.scard(self._keys[0])
                pipe.zcard(self._keys[1])
                held, waiting = await pipe.execute()
        except (RedisConnectionError, RedisTimeoutError) as exc:
            raise unavailable("redis") from exc
        return int(held) + int(waiting)

    def _keep(self) -> None:
        """Renew this process's leases and follow the queue while it has tickets."""
        if self._keeper is None or self._keeper.done():
            self._keeper = asyncio.get_running_loop().create_task(self._keep_up(), name=f"admission {self.host}")
        if self._listener is None or self._listener.done():
            self._listener = asyncio.get_running_loop().create_task(self._listen(), name=f"admission {self.host} news")

    async def _keep_up(self) -> None:
        while self._tickets:
            waiting = any(t.state != HELD for t in self._tickets.values())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._nudge.wait(), min(POLL_S, self._renew_s) if waiting else self._renew_s)
            self._nudge.clear()
            tickets = list(self._tickets)
            if not tickets:
                break
            try:
                states = await self._sync(self._keys, [self._lease_ms, self.limit, self._channel, *tickets])
            except Exception as exc:
                log.warning("admission queue of %s not renewed, trying again: %s", self.host, exc)
                continue
            for ticket, state in zip(tickets, states, strict=True):
                entry = self._tickets.get(ticket)
                if entry is not None and entry.state != int(state):
                    entry.state = int(state)
                    entry.changed.set()

    async def _listen(self) -> None:
        """Wake the keeper whenever any process moved the queue (the poll covers a lost message)."""
        while self._tickets:
            try:
                async with self._redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self._channel)
                    while self._tickets:
                        message: Any = await pubsub.get_message(timeout=POLL_S)
                        if message is not None:
                            self._nudge.set()
            except Exception as exc:
                log.warning("admission news of %s lost, listening again: %s", self.host, exc)
                await asyncio.sleep(POLL_S)
