"""One rate limiter for the whole app (login attempts, chat messages): a moving window per key,
from the ``limits`` library.

Redis-backed when REDIS_URL is set, so every process counts the same attempts; in-process
otherwise, which is exact for the single-process install (expired entries are swept by the
library, so a flood of distinct usernames does not grow memory for ever). Refused attempts do
not count, so hammering does not extend a lock-out.

While Redis is unreachable each process counts in memory instead: an outage neither turns every
login into an error nor lifts the limits (they hold per process until Redis is back).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from contract.errors import rate_limited

log = logging.getLogger(__name__)

KEY_PREFIX = "hadra:ratelimit"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after_s: float = 0.0


@dataclass
class _Limiters:
    shared: MovingWindowRateLimiter  # Redis when configured, else in memory
    local: MovingWindowRateLimiter | None  # in memory, for when Redis is unreachable
    # Redis's connection errors; imported only when Redis is configured, so a single-process
    # install never loads the Redis client.
    outage: tuple[type[BaseException], ...] = ()
    redis_down: bool = False


# Async Redis clients and the in-memory store's sweeper task belong to one event loop.
_limiters: dict[asyncio.AbstractEventLoop, _Limiters] = {}


async def hit(key: str, limit: int, window_s: float) -> Decision:
    """Count one attempt for ``key``: at most ``limit`` in any ``window_s`` (whole seconds, rounded up)."""
    limiters = _limiters_for_loop()
    item = RateLimitItemPerSecond(limit, max(1, math.ceil(window_s)))
    if limiters.local is None:
        return await _decide(limiters.shared, item, key)
    try:
        decision = await _decide(limiters.shared, item, key)
    except limiters.outage as exc:
        if not limiters.redis_down:
            log.warning("Redis is unreachable; rate limits are counted in this process until it is back (%s)", exc)
            limiters.redis_down = True
        return await _decide(limiters.local, item, key)
    if limiters.redis_down:
        log.warning("Redis is back; rate limits are counted in Redis again")
        limiters.redis_down = False
    return decision


async def throttle(key: str, limit: int, window_s: float, refusal: str) -> None:
    """Count one attempt for ``key``; past ``limit`` in ``window_s``, ``rate_limited`` saying
    ``refusal`` and when to try again. The API's limits and the socket's budgets all spend this way."""
    decision = await hit(key, limit, window_s)
    if not decision.allowed:
        raise rate_limited(refusal, decision.retry_after_s)


async def _decide(limiter: MovingWindowRateLimiter, item: RateLimitItem, key: str) -> Decision:
    if await limiter.hit(item, key):
        return Decision(True)
    stats = await limiter.get_window_stats(item, key)
    return Decision(False, max(0.0, stats.reset_time - time.time()))


def _limiters_for_loop() -> _Limiters:
    loop = asyncio.get_running_loop()
    limiters = _limiters.get(loop)
    if limiters is None:
        url = settings.REDIS_URL
        if url:
            from redis.exceptions import ConnectionError as RedisConnectionError
            from redis.exceptions import TimeoutError as RedisTimeoutError

            local = MovingWindowRateLimiter(MemoryStorage())
            limiters = _limiters[loop] = _Limiters(
                MovingWindowRateLimiter(_redis_storage(url)), local, (RedisConnectionError, RedisTimeoutError)
            )
        else:
            limiters = _limiters[loop] = _Limiters(MovingWindowRateLimiter(MemoryStorage()), None)
    return limiters


def _redis_storage(url: str) -> Storage:
    from access.redis_options import connection_options

    # limits names its schemes async+redis://, async+rediss://, async+redis+unix://.
    uri = "async+redis+unix://" + url.removeprefix("unix://") if url.startswith("unix://") else "async+" + url
    return RedisStorage(uri, implementation="redispy", key_prefix=KEY_PREFIX, **connection_options())
