"""One rate limiter for the whole app (login attempts, chat messages): a moving window per key,
from the ``limits`` library.

Redis-backed when REDIS_URL is set, so every process counts the same attempts; in-process
otherwise, which is exact for the single-process install (expired entries are swept by the
library, so a flood of distinct usernames does not grow memory for ever). Refused attempts do
not count, so hammering does not extend a lock-out.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass

from django.conf import settings
from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

KEY_PREFIX = "hadra:ratelimit"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after_s: float = 0.0


# Async Redis clients and the in-memory store's sweeper task belong to one event loop.
_limiters: dict[asyncio.AbstractEventLoop, MovingWindowRateLimiter] = {}


async def hit(key: str, limit: int, window_s: float) -> Decision:
    """Count one attempt for ``key``: at most ``limit`` in any ``window_s`` (whole seconds, rounded up)."""
    limiter = _limiter()
    item = RateLimitItemPerSecond(limit, max(1, math.ceil(window_s)))
    if await limiter.hit(item, key):
        return Decision(True)
    stats = await limiter.get_window_stats(item, key)
    return Decision(False, max(0.0, stats.reset_time - time.time()))


def _limiter() -> MovingWindowRateLimiter:
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = MovingWindowRateLimiter(_storage())
    return limiter


def _storage() -> Storage:
    url = settings.REDIS_URL
    if not url:
        return MemoryStorage()
    # limits names its schemes async+redis://, async+rediss://, async+redis+unix://.
    uri = "async+redis+unix://" + url.removeprefix("unix://") if url.startswith("unix://") else "async+" + url
    return RedisStorage(uri, implementation="redispy", key_prefix=KEY_PREFIX)
