"""Trying again until something goes through, for a bounded time.

The end of an answer is worth waiting for: the channel layer gives up after a few seconds of a
Redis outage, and the database may be away for minutes. Neither is worth retrying forever.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from telemetry.logs import reason

log = logging.getLogger(__name__)


async def until_done(
    attempt: Callable[[], Awaitable[None]], *, what: str, every_s: float, for_s: float, wait_first: bool = False
) -> bool:
    """Await ``attempt()`` until it succeeds (True) or ``for_s`` has passed (False), every ``every_s``.

    ``wait_first``: the caller has just failed once itself, so the first try comes after a pause.
    """
    deadline = time.monotonic() + for_s
    if wait_first:
        await asyncio.sleep(every_s)
    while True:
        try:
            await attempt()
            return True
        except Exception as exc:
            if time.monotonic() >= deadline:
                log.error("gave up %s after %.0f s: %s", what, for_s, reason(exc))
                return False
            log.warning("%s failed, trying again: %s", what, reason(exc))
        await asyncio.sleep(every_s)
