"""Admission control: one concurrency limit and one first-in-first-out queue per Ollama host,
shared by every hadra process.

Why: Ollama runs OLLAMA_NUM_PARALLEL answers at once and queues the rest silently, so without a
limit here an answer past it shows nothing for as long as the others take, and its time counts
against the read timeout. With one, an answer past the limit waits here, where its user sees
its place (``message.queued``), can stop it, and is refused at once past a bound.

Why here and not in ollama_gateway/: the queue is of answers (its tickets are answer ids, its
positions become frames, its bound a refusal a person reads), and it needs the settings and
Redis; the gateway stays a plain Ollama client that only takes the limit to size its HTTP pool.

Two implementations with one interface (:class:`HostQueue`): in the process when there is one
(no REDIS_URL), through Redis when there are several (chat/admission_redis.py): a per-process
limit would let N processes overrun one host and would show each user a wrong position.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable

from django.conf import settings

from contract.errors import ErrorCode, HadraError

# Told each new position while waiting.
Moved = Callable[[int], Awaitable[None]]


def queue_full(host: str, bound: int) -> HadraError:
    return HadraError(
        ErrorCode.MODEL_QUEUE_FULL,
        f"The model is busy and {bound} answers are already waiting for it; try again in a minute.",
        params={"limit": bound, "host": host},
    )


class HostQueue(ABC):
    """The slots and the queue of one Ollama host. A ticket (an answer id) :meth:`join` s, then
    :meth:`wait` s while queued, and :meth:`leave` s when it ends (admitted or not)."""

    def __init__(self, host: str, *, limit: int, bound: int) -> None:
        self.host, self.limit, self.bound = host, limit, bound

    @abstractmethod
    async def join(self, ticket: str) -> int | None:
        """Take a slot (None: admitted now, the fast path) or a place at the end of the queue (the
        answers ahead of it); ``model_queue_full`` when the queue is at its bound."""

    @abstractmethod
    async def wait(self, ticket: str, moved: Moved) -> None:
        """Return once ``ticket`` holds a slot; ``moved`` hears its position first and whenever it changes."""

    @abstractmethod
    async def leave(self, ticket: str) -> None:
        """Give the slot back or leave the queue (either, or neither: idempotent); the next one goes."""

    @abstractmethod
    async def load(self) -> int:
        """The answers holding a slot or waiting, from every process: how busy the host is."""


class LocalQueue(HostQueue):
    """One process: slots and queue in memory; a change wakes the waiters of this loop."""

    def __init__(self, host: str, *, limit: int, bound: int) -> None:
        super().__init__(host, limit=limit, bound=bound)
        self._held: set[str] = set()
        self._waiting: dict[str, None] = {}  # insertion-ordered: the queue
        self._moved = asyncio.Event()

    async def join(self, ticket: str) -> int | None:
        if not self._waiting and len(self._held) < self.limit:
            self._held.add(ticket)
            return None
        if len(self._waiting) >= self.bound:
            raise queue_full(self.host, self.bound)
        self._waiting[ticket] = None
        return len(self._waiting) - 1

    async def wait(self, ticket: str, moved: Moved) -> None:
        told: int | None = None
        while ticket not in self._held:
            changed = self._moved
            position = list(self._waiting).index(ticket)  # ValueError: it left (nothing waits for it)
            if position != told:
                told = position
                await moved(position)
                continue  # the queue may have moved while it was told
            await changed.wait()

    async def leave(self, ticket: str) -> None:
        self._held.discard(ticket)
        self._waiting.pop(ticket, None)
        while self._waiting and len(self._held) < self.limit:
            first = next(iter(self._waiting))
            del self._waiting[first]
            self._held.add(first)
        self._moved.set()
        self._moved = asyncio.Event()

    async def load(self) -> int:
        return len(self._held) + len(self._waiting)


_queues: dict[tuple[asyncio.AbstractEventLoop, str, str, int, int, float], HostQueue] = {}


def for_host(host: str) -> HostQueue:
    """The queue of ``host`` under the current settings, one per event loop (Redis clients and
    events belong to the loop that made them)."""
    key = (
        asyncio.get_running_loop(),
        host,
        settings.REDIS_URL,
        settings.OLLAMA_MAX_PARALLEL,
        settings.OLLAMA_MAX_QUEUE,
        settings.OLLAMA_LEASE_S,
    )
    queue = _queues.get(key)
    if queue is None:
        limit, bound = settings.OLLAMA_MAX_PARALLEL, settings.OLLAMA_MAX_QUEUE
        if settings.REDIS_URL:
            from chat.admission_redis import RedisQueue  # a single-process install never imports the client

            queue = RedisQueue(host, limit=limit, bound=bound, url=settings.REDIS_URL, lease_s=settings.OLLAMA_LEASE_S)
        else:
            queue = LocalQueue(host, limit=limit, bound=bound)
        _queues[key] = queue
    return queue
