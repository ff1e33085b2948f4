"""Which Ollama host an answer goes to.

Rules, in order:
1. only hosts that are up and have the conversation's model (chat/fleet.py); when none has it,
   the hosts that are up (the answer then fails ``model_not_found``, as with one host), and when
   none is up, all of them (a host may be back before the next check says so);
2. the host that served the conversation last, while it has a free slot: Ollama keeps the
   conversation's prompt in its cache there, so the next answer starts sooner;
3. otherwise the least busy (slots held plus answers waiting, from every process: chat/admission.py),
   the conversation's last host first among equals, then OLLAMA_HOSTS order.

With one host there is nothing to choose: no check and no count is made on the way to the first token.

Choosing and joining the chosen queue happen under one lock per process (:func:`place`): answers
sent at the same moment would otherwise all count the same loads and all pick the same host.
Across processes (Redis) two may still meet; the queue takes them both, in order.
"""

from __future__ import annotations

import asyncio

from chat import admission, fleet
from chat.admission import HostQueue

_placing: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}


async def place(model: str, last: str | None, ticket: str) -> tuple[HostQueue, int | None]:
    """Choose the host (:func:`choose`) and join its queue with ``ticket``: the queue, and the
    answers ahead (None: admitted); ``model_queue_full`` when that queue is at its bound."""
    hosts = fleet.for_this_loop().hosts
    if len(hosts) == 1:  # nothing to choose: nothing to hold the other answers back for
        queue = admission.for_host(hosts[0])
        return queue, await queue.join(ticket)
    async with _lock():
        queue = await choose(model, last)
        return queue, await queue.join(ticket)


async def place_elsewhere(model: str, ticket: str, leaving: str) -> tuple[HostQueue, int | None] | None:
    """:func:`place` for an answer leaving the host ``leaving``; None when that host is still the choice."""
    async with _lock():
        queue = await choose(model, None)
        if queue.host == leaving:
            return None
        return queue, await queue.join(ticket)


def _lock() -> asyncio.Lock:
    return _placing.setdefault(asyncio.get_running_loop(), asyncio.Lock())


async def choose(model: str, last: str | None) -> HostQueue:
    """The admission queue of the host ``model``'s next answer goes to; ``last``: the host that
    served the conversation's previous answer (None for a new conversation)."""
    hosts = fleet.for_this_loop()
    if len(hosts.hosts) == 1:
        return admission.for_host(hosts.hosts[0])
    candidates = await hosts.serving(model) or await hosts.up() or list(hosts.hosts)
    queues = [admission.for_host(host) for host in candidates]
    if len(queues) == 1:
        return queues[0]
    # One after the other: in one process (no Redis) nothing here waits, so no other answer is
    # placed between this count and the answer joining its queue, and two at once spread.
    loads = [await queue.load() for queue in queues]
    if last in candidates:
        at = candidates.index(last)
        if loads[at] < queues[at].limit:
            return queues[at]
    best = min(range(len(queues)), key=lambda i: (loads[i], candidates[i] != last, i))
    return queues[best]
