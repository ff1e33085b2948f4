"""Once-per-loop start-up: Beanie on this loop, then the jobs that need the database.

daphne has no lifespan hook, so the first HTTP request or WebSocket connection on a loop
runs this; later calls wait for the first to finish.
"""

from __future__ import annotations

import asyncio

from django.conf import settings

from chat.recovery import start_sweeping
from models import init_db

_started: dict[asyncio.AbstractEventLoop, asyncio.Future] = {}


async def ensure_started() -> None:
    loop = asyncio.get_running_loop()
    future = _started.get(loop)
    if future is not None:
        await asyncio.shield(future)
        return
    future = _started[loop] = loop.create_future()
    try:
        await init_db(settings.MONGODB_URI)
        await start_sweeping()
    except BaseException as exc:
        del _started[loop]  # the next request tries again (the database may come up later)
        future.set_exception(exc)
        future.exception()  # retrieved: no "exception never retrieved" warning if nobody waits
        raise
    future.set_result(None)
