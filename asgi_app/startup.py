"""Once-per-loop start-up: Beanie on this loop, then the jobs that need the database.

daphne has no lifespan hook, so the first HTTP request or WebSocket connection on a loop
runs this; later calls wait for the first to finish.
"""

from __future__ import annotations

import asyncio
import logging

from django.conf import settings

from chat import fleet
from chat.recovery import start_sweeping
from models import init_db
from models.search_backfill import backfill

log = logging.getLogger(__name__)
_backfills: set[asyncio.Task] = set()  # referenced until done (the loop keeps only weak references)

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
        fleet.for_this_loop().watch()  # which Ollama hosts are up, and with which models
        task = loop.create_task(_index_earlier_texts(), name="search backfill")
        _backfills.add(task)
        task.add_done_callback(_backfills.discard)
    except BaseException as exc:
        del _started[loop]  # the next request tries again (the database may come up later)
        future.set_exception(exc)
        future.exception()  # retrieved: no "exception never retrieved" warning if nobody waits
        raise
    future.set_result(None)


async def _index_earlier_texts() -> None:
    """Messages and titles stored before search existed become searchable (models/search_backfill.py)."""
    try:
        await backfill()
    except Exception as exc:  # the next start goes on from where this one stopped
        log.warning("search backfill stopped: %s", exc)
