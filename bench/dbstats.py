"""The database's own count of what hadra asks of it, sampled during a benchmark step.

The embedded MongoDB-protocol server (SecantusDB) answers ``serverStatus`` with ``opcounters`` and
``network.numRequests``, counted per command it serves: an ``insert_many`` or a bulk write of a
hundred updates is one insert or one update (MongoDB itself counts every statement of a bulk
write). So "writes" here are write round trips (insert + update + delete commands, findAndModify
included) and "requests" every round trip (reads, writes, commands, drivers' heartbeats), this
sampler's own ``serverStatus`` calls taken out. Nothing in hadra is instrumented for it.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from pymongo import MongoClient

WRITES = ("insert", "update", "delete")


@dataclass(frozen=True)
class Count:
    at: float  # time.perf_counter()
    writes: int
    requests: int  # this sampler's own calls included (one per sample, counted by the call itself)


class DatabaseCounters:
    """Reads the counters over its own connection (a thread does the blocking call)."""

    def __init__(self, uri: str) -> None:
        self._client: MongoClient = MongoClient(uri, serverSelectionTimeoutMS=5000, heartbeatFrequencyMS=60_000)

    def close(self) -> None:
        self._client.close()

    def read(self) -> Count:
        status = self._client.admin.command("serverStatus")
        ops = status["opcounters"]
        return Count(
            time.perf_counter(), sum(int(ops.get(kind, 0)) for kind in WRITES), status["network"]["numRequests"]
        )

    async def aread(self) -> Count:
        return await asyncio.to_thread(self.read)


@dataclass
class Samples:
    """Counts taken every ``every_s`` from the start of a step to its end."""

    counts: list[Count] = field(default_factory=list)

    async def sample(self, counters: DatabaseCounters, stop: asyncio.Event, every_s: float = 0.5) -> None:
        while not stop.is_set():
            self.counts.append(await counters.aread())
            try:
                await asyncio.wait_for(stop.wait(), every_s)
            except TimeoutError:
                pass
        self.counts.append(await counters.aread())

    def between(self, start: float, end: float) -> tuple[int, int, float] | None:
        """Writes, requests (without this sampler's) and seconds between the first sample at or after
        ``start`` and the last at or before ``end``; None when fewer than two samples lie between."""
        inside = [i for i, c in enumerate(self.counts) if start <= c.at <= end]
        if len(inside) < 2:
            return None
        first, last = self.counts[inside[0]], self.counts[inside[-1]]
        own = inside[-1] - inside[0]
        return last.writes - first.writes, last.requests - first.requests - own, last.at - first.at
