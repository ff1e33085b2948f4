"""Answer streams spread over several small HTTP pools ("lanes") instead of one large one.

Why: httpcore's pool (1.0.9) rescans its connections each time a request starts or ends: every
connection for every queued request, and every connection again for every idle one. With one pool
sized to hundreds of answers that is quadratic per event and cubic over a burst: at 200 answers
it took a fifth of the server's CPU (py-spy, ``bench/capacity.py --profile``) and delayed first
tokens by seconds. A lane holds at most LANE_SIZE connections; a stream takes the first lane with
room, so the pool a request scans stays small, and connections of the first lanes stay warm.
The lanes' connections add up to the answers the host is let stream at once (chat/admission.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ssl
from collections.abc import AsyncIterator, Callable

import httpx

LANE_SIZE = 16


@functools.cache
def tls_context() -> ssl.SSLContext:
    """httpx builds one per client (~40 ms); the lanes share this one."""
    return httpx.create_ssl_context()


class Lanes:
    """``make(limits)`` builds a lane's client (base URL, timeouts). ``max_streams``: the lanes'
    connections add up to it (None: one lane with httpx's default pool, for a gateway without
    admission control)."""

    def __init__(self, make: Callable[[httpx.Limits], httpx.AsyncClient], max_streams: int | None) -> None:
        self._make = make
        self._left = max_streams  # connections not given to a lane yet
        self._clients: list[httpx.AsyncClient] = []
        self._sizes: list[int | None] = []
        self._busy: list[int] = []

    @property
    def sizes(self) -> list[int | None]:
        """Each lane's connections so far (None: httpx's default)."""
        return list(self._sizes)

    @contextlib.asynccontextmanager
    async def lane(self) -> AsyncIterator[httpx.AsyncClient]:
        """The client of a lane with room, for as long as one stream lasts."""
        index = self._with_room()
        self._busy[index] += 1
        try:
            yield self._clients[index]
        finally:
            self._busy[index] -= 1

    def _with_room(self) -> int:
        for index, (busy, size) in enumerate(zip(self._busy, self._sizes, strict=True)):
            if size is None or busy < size:
                return index
        if self._left is None and not self._clients:
            return self._add(None)
        if self._left:
            return self._add(min(LANE_SIZE, self._left))
        # More streams than the limit (admission control lets none through): httpcore queues it.
        return self._busy.index(min(self._busy))

    def _add(self, size: int | None) -> int:
        limits = httpx.Limits() if size is None else httpx.Limits(max_connections=size, max_keepalive_connections=size)
        if size is not None and self._left is not None:
            self._left -= size
        self._clients.append(self._make(limits))
        self._sizes.append(size)
        self._busy.append(0)
        return len(self._clients) - 1

    async def aclose(self) -> None:
        await asyncio.gather(*(client.aclose() for client in self._clients))
        self._clients.clear()
        self._sizes.clear()
        self._busy.clear()
