"""A service hadra depends on is down (the database, Redis): the failure a client can do nothing
about but wait. HTTP answers it with 503 and the socket with an ``unavailable`` error frame, each
with a sentence saying so, instead of a 500 or ``internal`` that reads like a bug.
"""

from __future__ import annotations

from contract.errors import HadraError, unavailable
from models.errors import DatabaseUnreachable


class ChannelLayerUnavailable(RuntimeError):
    """Redis has been unreachable for longer than the channel layer waits for it. Defined here, not
    beside the Redis layer, so a single-process install never imports the Redis client."""


# DatabaseUnreachable: the database cannot be reached (server selection timed out, connection lost).
UNAVAILABLE = (DatabaseUnreachable, ChannelLayerUnavailable)


def error(exc: BaseException) -> HadraError:
    """``unavailable``, naming which part is away (``params.part``) and when to try again."""
    return unavailable("database" if isinstance(exc, DatabaseUnreachable) else "redis")
