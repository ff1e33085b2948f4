"""Which hadra processes are alive, through Redis, so a dead one's answers are ended within seconds.

Why: without it a process's death shows only as its answers' heartbeat (``updated_at``, refreshed
every few seconds) going stale, and 30 s of silence is needed before a heavily loaded but living
process cannot be mistaken for a dead one: its users could not ask again in those conversations for
40 s after a crash (bench/proxy_failover.py). A key per process that it renews every RENEW_S and
that Redis drops KEY_TTL_S after its last renewal tells death apart from load: a process busy
enough to miss renewals for 10 s has stopped serving its users anyway.

Keys: ``hadra:process:<worker id>`` (expiring) and the set ``hadra:processes`` of the ids that have
announced themselves. A process whose key is gone is dead; the sweeper ends its answers and forgets
it. When Redis cannot be asked, nobody is judged dead here (the heartbeat rule still applies).
"""

from __future__ import annotations

import asyncio
import logging

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from chat import registry

log = logging.getLogger(__name__)

RENEW_S = 2.0
KEY_TTL_S = 10.0
_MEMBERS = "hadra:processes"


def _text(raw: bytes | str) -> str:
    return raw.decode() if isinstance(raw, bytes) else raw


def _key(worker_id: str) -> str:
    return f"hadra:process:{worker_id}"


class Liveness:
    def __init__(self, url: str) -> None:
        # One retry after a Redis restart, a fast failure when it is gone (as access/redis_options.py).
        self._redis: Redis = Redis.from_url(url, retry=Retry(NoBackoff(), 1), socket_connect_timeout=2)

    async def keep_alive(self) -> None:
        """Renew this process's key for as long as the process runs."""
        while True:
            try:
                async with self._redis.pipeline(transaction=False) as pipe:
                    pipe.set(_key(registry.WORKER_ID), "1", px=int(KEY_TTL_S * 1000))
                    pipe.sadd(_MEMBERS, registry.WORKER_ID)
                    await pipe.execute()
            except Exception as exc:  # Redis away: try again; others then fall back to the heartbeat
                log.warning("could not renew this process's liveness key: %s", exc)
            await asyncio.sleep(RENEW_S)

    async def dead(self) -> set[str]:
        """The announced processes whose key has expired (never this one); empty when Redis cannot say."""
        try:
            members = sorted(_text(m) for m in await self._redis.smembers(_MEMBERS))
            if not members:
                return set()
            alive = await self._redis.mget([_key(m) for m in members])
        except Exception as exc:
            log.warning("could not read which processes are alive: %s", exc)
            return set()
        return {m for m, key in zip(members, alive, strict=True) if key is None and m != registry.WORKER_ID}

    async def forget(self, worker_ids: set[str]) -> None:
        """Their answers are ended: no need to look at them again."""
        if worker_ids:
            await self._redis.srem(_MEMBERS, *worker_ids)
