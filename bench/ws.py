"""hadra's chat socket as a benchmark client sees it: JSON frames out, JSON frames in, each stamped
with the moment it arrived (``_at``, ``time.perf_counter``) so latencies are read off the frames."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import websockets

Frame = dict[str, Any]


class ChatSocket:
    def __init__(self, ws: websockets.ClientConnection) -> None:
        self._ws = ws

    @classmethod
    async def connect(cls, url: str, token: str) -> ChatSocket:
        return cls(await websockets.connect(url, additional_headers={"Authorization": f"Bearer {token}"}))

    async def send(self, type_: str, **fields: Any) -> None:
        await self._ws.send(json.dumps({"type": type_, **fields}))

    async def until(self, predicate: Callable[[Frame], bool], timeout: float = 60) -> Frame:
        """The next frame that matches (the others are dropped); TimeoutError after ``timeout`` s."""
        async with asyncio.timeout(timeout):
            while True:
                frame = json.loads(await self._ws.recv())
                frame["_at"] = time.perf_counter()
                if predicate(frame):
                    return frame

    async def close(self) -> None:
        await self._ws.close()
