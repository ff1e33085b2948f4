"""Once-per-loop start-up: Beanie on this loop, then the jobs that need the database.

daphne has no lifespan hook, so the first HTTP request or WebSocket connection on a loop
runs this; later calls return at once.
"""

from __future__ import annotations

import asyncio

from django.conf import settings

from models import init_db

_started: dict[asyncio.AbstractEventLoop, asyncio.Future] = {}


async def ensure_started() -> None:
    loop = asyncio.get_running_loop()
    future = _started.get(loop)
    if future is None:
        future = loop.create_future()
        _started[loop] = future
        try:
            await init_db(settings.MONGODB_URI)
            for hook in _hooks:
                await hook()
        except BaseException as exc:
            del _started[loop]
            future.set_exception(exc)
            # Nobody else may be awaiting it; mark it retrieved so asyncio does not warn.
            future.exception()
            raise
        future.set_result(None)
        return
    await asyncio.shield(future)


_hooks: list = []


def on_startup(hook) -> None:
    """Register an async callable run once per loop after the database is ready."""
    _hooks.append(hook)
