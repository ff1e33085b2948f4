"""Answer streams on small HTTP pools ("lanes"): their connections add up to the limit, a stream
takes the first lane with room, and a finished stream gives its room back."""

from __future__ import annotations

import contextlib

import httpx

from ollama_gateway.lanes import LANE_SIZE, Lanes


def _lanes(max_streams: int | None) -> tuple[Lanes, list[httpx.Limits]]:
    made: list[httpx.Limits] = []

    def make(limits: httpx.Limits) -> httpx.AsyncClient:
        made.append(limits)
        return httpx.AsyncClient(limits=limits)

    return Lanes(make, max_streams), made


async def test_lanes_add_up_to_the_limit_and_fill_in_order() -> None:
    lanes, made = _lanes(40)
    async with contextlib.AsyncExitStack() as streams:
        clients = [await streams.enter_async_context(lanes.lane()) for _ in range(40)]
        assert lanes.sizes == [LANE_SIZE, LANE_SIZE, 40 - 2 * LANE_SIZE]
        assert [limits.max_connections for limits in made] == lanes.sizes
        assert len(set(map(id, clients))) == 3
        assert clients[:LANE_SIZE] == [clients[0]] * LANE_SIZE
        # Past the limit (admission control lets none through): no new lane, the least busy one.
        async with lanes.lane() as extra:
            assert lanes.sizes == [LANE_SIZE, LANE_SIZE, 8] and extra is clients[-1]
    # Every stream ended: the first lane has room again, and is taken first.
    async with lanes.lane() as again:
        assert again is clients[0]
    await lanes.aclose()


async def test_without_a_limit_one_lane_with_httpx_defaults() -> None:
    lanes, made = _lanes(None)
    async with lanes.lane() as first, lanes.lane() as second:
        assert first is second and lanes.sizes == [None]
    assert made[0].max_connections == httpx.Limits().max_connections
    await lanes.aclose()
