"""Which hadra processes are alive (chat/liveness.py), on the real Redis: a process that has
announced itself and whose key has expired is dead; one whose key is there, and this process
itself, are not; a dead one forgotten is not reported again; and when Redis cannot be asked
nobody is judged dead."""

from __future__ import annotations

import secrets

from redis.asyncio import Redis

from chat import registry
from chat.liveness import Liveness
from embedded.process import free_port


async def test_only_processes_whose_key_expired_are_dead(redis_url) -> None:
    redis = Redis.from_url(redis_url)
    alive, gone = f"alive-{secrets.token_hex(4)}", f"gone-{secrets.token_hex(4)}"
    await redis.sadd("hadra:processes", alive, gone, registry.WORKER_ID)
    await redis.set(f"hadra:process:{alive}", "1", px=60_000)
    liveness = Liveness(redis_url)
    dead = await liveness.dead()
    assert gone in dead and alive not in dead and registry.WORKER_ID not in dead
    await liveness.forget({gone})
    assert gone not in await liveness.dead()
    await redis.srem("hadra:processes", alive, registry.WORKER_ID)
    await redis.aclose()


async def test_without_redis_nobody_is_dead() -> None:
    assert await Liveness(f"redis://127.0.0.1:{free_port()}/0").dead() == set()
