"""How every Redis client in hadra connects (channel layer, rate limiter, /healthz).

Why: redis-py gives a client built from a pool or a URL no retry at all, so after a Redis restart
each pooled connection fails once (the socket Redis closed) before being replaced: for a few
seconds per process, requests answered 500 and sockets closed. With one retry on connection
errors, a dead pooled connection is reconnected and the command sent again at once. A Redis that
is really down fails fast, and each caller decides how long to wait for it (the channel layer
waits a few seconds, the rate limiter counts in memory).
"""

from __future__ import annotations

from typing import Any

from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff


def connection_options() -> dict[str, Any]:
    """Keyword arguments for a redis-py connection pool (a fresh Retry each: it holds no state,
    but a pool is not meant to share one)."""
    return {
        "retry": Retry(NoBackoff(), 1),
        # A Redis that does not answer a connect (host gone, not just refusing) fails fast.
        "socket_connect_timeout": 2,
    }
