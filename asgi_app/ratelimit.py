"""One rate limiter for the whole app (login attempts, chat messages): a sliding window per key.

Redis-backed when REDIS_URL is set, so every process counts the same attempts; in-process
otherwise, which is exact for the single-process install.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass

from django.conf import settings
from redis.asyncio import Redis


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after_s: float = 0.0


_local: dict[str, deque[float]] = defaultdict(deque)
_redis: dict[asyncio.AbstractEventLoop, Redis] = {}

# Atomic sliding window: drop old hits, count, add this one only if under the limit.
_SCRIPT = """
local key, now, window, limit, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, math.ceil(window * 1000))
  return {1, 0}
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return {0, tostring(tonumber(oldest[2]) + window - now)}
"""


async def hit(key: str, limit: int, window_s: float) -> Decision:
    """Count one attempt for ``key``; refused attempts do not count."""
    if settings.REDIS_URL:
        return await _hit_redis(key, limit, window_s)
    return _hit_local(key, limit, window_s)


def _hit_local(key: str, limit: int, window_s: float) -> Decision:
    now = time.monotonic()
    hits = _local[key]
    while hits and hits[0] <= now - window_s:
        hits.popleft()
    if len(hits) < limit:
        hits.append(now)
        return Decision(True)
    return Decision(False, hits[0] + window_s - now)


async def _hit_redis(key: str, limit: int, window_s: float) -> Decision:
    loop = asyncio.get_running_loop()
    if loop not in _redis:
        _redis[loop] = Redis.from_url(settings.REDIS_URL)
    allowed, retry = await _redis[loop].eval(
        _SCRIPT, 1, f"hadra:ratelimit:{key}", time.time(), window_s, limit, uuid.uuid4().hex
    )
    return Decision(bool(allowed), float(retry))
