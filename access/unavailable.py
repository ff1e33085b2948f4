"""A service hadra depends on is down (the database, Redis): the failure a client can do nothing
about but wait. HTTP answers it with 503 and the socket with an ``unavailable`` error frame, each
with a sentence saying so, instead of a 500 or ``internal`` that reads like a bug.
"""

from __future__ import annotations

from pymongo.errors import ConnectionFailure


class ChannelLayerUnavailable(RuntimeError):
    """Redis has been unreachable for longer than the channel layer waits for it. Defined here, not
    beside the Redis layer, so a single-process install never imports the Redis client."""


# ConnectionFailure: the database cannot be reached (server selection timed out, connection lost).
UNAVAILABLE = (ConnectionFailure, ChannelLayerUnavailable)
CODE = "unavailable"
RETRY_AFTER_S = 5


def message(exc: BaseException) -> str:
    """What a person reads: which part is away, and what to do."""
    part = "the database" if isinstance(exc, ConnectionFailure) else "its message relay (Redis)"
    return f"The server cannot reach {part} right now; try again in a few seconds."
