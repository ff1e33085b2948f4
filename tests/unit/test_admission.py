"""The admission queue's rules, for both implementations (in the process; in Redis, as two
processes would hold it), and the Ollama HTTP pool sized to the limit."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable

import pytest

from chat.admission import HostQueue, LocalQueue
from chat.admission_redis import RedisQueue
from contract.errors import HadraError
from ollama_gateway import shared_gateway
from ollama_gateway.gateway import POOL_HEADROOM, pool_limits

Make = Callable[..., HostQueue]


@pytest.fixture(params=["local", "redis"])
async def make(request: pytest.FixtureRequest) -> AsyncIterator[Make]:
    """``make(limit, bound)``: a queue for one fresh host; with Redis, each call is another
    process's view of the same host's queue."""
    host = f"http://test-{uuid.uuid4().hex[:8]}:11434"
    local: list[LocalQueue] = []

    def new(limit: int = 1, bound: int = 10, lease_s: float = 30.0) -> HostQueue:
        if request.param == "local":
            if not local:
                local.append(LocalQueue(host, limit=limit, bound=bound))
            return local[0]
        url = request.getfixturevalue("redis_url")
        return RedisQueue(host, limit=limit, bound=bound, url=url, lease_s=lease_s)

    yield new


async def _positions_until_admitted(queue: HostQueue, ticket: str, heard: list[int]) -> None:
    async def moved(position: int) -> None:
        heard.append(position)

    await asyncio.wait_for(queue.wait(ticket, moved), 30)


async def _until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(30):
        while not condition():
            await asyncio.sleep(0.01)


async def test_first_in_first_out_with_positions(make: Make) -> None:
    one, two = make(limit=1), make(limit=1)
    assert await one.join("a") is None  # the fast path: a free slot
    assert await two.join("b") == 0
    assert await one.join("c") == 1
    assert await two.join("d") == 2
    heard: dict[str, list[int]] = {"b": [], "c": [], "d": []}
    waits = {
        t: asyncio.create_task(_positions_until_admitted(q, t, heard[t]))
        for t, q in (("b", two), ("c", one), ("d", two))
    }
    await _until(lambda: all(heard.values()))  # each waiter has heard its place
    await one.leave("a")
    await waits["b"]
    assert not waits["c"].done() and not waits["d"].done()
    await two.leave("b")
    await waits["c"]
    await one.leave("c")
    await waits["d"]
    await two.leave("d")
    assert heard["b"] == [0]
    assert heard["c"][0] == 1 and heard["c"][-1] == 0
    assert heard["d"][0] == 2 and heard["d"] == sorted(heard["d"], reverse=True)


async def test_past_the_bound_a_join_is_refused(make: Make) -> None:
    one, two = make(limit=1, bound=2), make(limit=1, bound=2)
    assert await one.join("a") is None
    assert await two.join("b") == 0
    assert await one.join("c") == 1
    with pytest.raises(HadraError) as refused:
        await two.join("d")
    assert refused.value.code == "model_queue_full" and refused.value.params["limit"] == 2
    await two.leave("b")  # a waiting answer stopped: the one behind moves up, and there is room again
    assert await two.join("d") == 1
    for ticket, queue in (("a", one), ("c", one), ("d", two)):
        await queue.leave(ticket)


async def test_a_limit_of_two_admits_two(make: Make) -> None:
    one, two = make(limit=2), make(limit=2)
    assert await one.join("a") is None
    assert await two.join("b") is None
    assert await one.join("c") == 0
    await two.leave("b")
    await _positions_until_admitted(one, "c", [])
    await one.leave("a")
    await one.leave("c")


async def test_a_dead_process_slot_and_place_end_with_their_lease(redis_url: str) -> None:
    host = f"http://test-{uuid.uuid4().hex[:8]}:11434"
    dead = RedisQueue(host, limit=1, bound=10, url=redis_url, lease_s=0.6)
    alive = RedisQueue(host, limit=1, bound=10, url=redis_url, lease_s=0.6)
    assert await dead.join("held") is None
    assert await dead.join("waiting") == 0
    assert await alive.join("mine") == 1
    for task in (dead._keeper, dead._listener):  # the process stops renewing: as if killed
        assert task is not None
        task.cancel()
    heard: list[int] = []
    await _positions_until_admitted(alive, "mine", heard)
    assert heard[0] == 1
    await alive.leave("mine")


async def test_the_ollama_pool_is_sized_to_the_limit() -> None:
    assert pool_limits(4).max_connections == pool_limits(4).max_keepalive_connections == 4 + POOL_HEADROOM
    gateway = shared_gateway("http://127.0.0.1:9", read_timeout=7.0, max_streams=3)
    for client in (gateway._ollama._client, gateway._http):  # the other calls' clients
        assert client._transport._pool._max_connections == 3 + POOL_HEADROOM
    assert gateway._streams.limit == 3  # the answer streams' connections
    assert gateway._streams.session().connector.limit == 3
    assert shared_gateway("http://127.0.0.1:9", read_timeout=7.0, max_streams=3) is gateway
