"""Group commit: writes asked for while the previous one is on its way go out together.

Why: with hundreds of answers starting or ending within a second or two, one database round trip
each is what the database server feels (the embedded one is a single Python process). Grouped,
the writes a second follow the database's own pace instead of the number of answers: an answer
asking alone is written at once, and under load each write carries everything that queued
meanwhile. Each asker still learns whether its own item was stored (an error reaches every asker
of the failed write). The channel layer's Redis publishes go out the same way, a pipeline each
(asgi_app/redis_broadcast.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")


class GroupCommit(Generic[Item]):
    """``write_all`` stores a list of items in as few round trips as it can, in order."""

    def __init__(self, write_all: Callable[[list[Item]], Awaitable[None]], name: str) -> None:
        self._write_all = write_all
        self._name = name
        self._pending: list[tuple[Item, asyncio.Future[None]]] = []
        self._task: asyncio.Task[None] | None = None

    async def write(self, item: Item) -> None:
        """Store ``item`` with whatever else is waiting; returns once it is stored, raises if it is not."""
        loop = asyncio.get_running_loop()
        stored: asyncio.Future[None] = loop.create_future()
        self._pending.append((item, stored))
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._run(), name=self._name)
        await stored

    async def _run(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                await self._write_all([item for item, _ in batch])
            except Exception as exc:  # each asker handles its own failure
                for _, stored in batch:
                    if not stored.done():
                        stored.set_exception(exc)
            else:
                for _, stored in batch:
                    if not stored.done():
                        stored.set_result(None)
