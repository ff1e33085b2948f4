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
import itertools
import threading
import time
from dataclasses import dataclass

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
        """The counters now (a blocking call)."""
        status = self._client.admin.command("serverStatus")
        ops = status["opcounters"]
        return Count(
            time.perf_counter(), sum(int(ops.get(kind, 0)) for kind in WRITES), status["network"]["numRequests"]
        )


class Samples:
    """Counts taken every ``every_s`` by a thread (the clients' busy event loop would delay them)
    from :meth:`start` to :meth:`stop`."""

    def __init__(self, counters: DatabaseCounters, every_s: float = 0.25) -> None:
        self.counts: list[Count] = []
        self._counters, self._every_s = counters, every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="database counters", daemon=True)

    def _sample(self) -> None:
        while True:
            self.counts.append(self._counters.read())
            if self._stop.wait(self._every_s):
                break
        self.counts.append(self._counters.read())

    def start(self) -> None:
        self._thread.start()

    async def stop(self) -> None:
        self._stop.set()
        await asyncio.to_thread(self._thread.join)

    def between(self, start: float, end: float) -> tuple[int, int, float] | None:
        """Writes, requests (without this sampler's) and seconds between the first sample at or after
        ``start`` and the last at or before ``end``; None when fewer than two samples lie between."""
        inside = [i for i, c in enumerate(self.counts) if start <= c.at <= end]
        if len(inside) < 2:
            return None
        first, last = self.counts[inside[0]], self.counts[inside[-1]]
        own = inside[-1] - inside[0]
        return last.writes - first.writes, last.requests - first.requests - own, last.at - first.at

    def writes_each_second(self, start: float, end: float) -> list[int]:
        """Write round trips in each second from ``start``, as counted by the last sample before each
        second's end (the last partial second left out)."""

        def writes_at(t: float) -> int:
            return max((c.writes for c in self.counts if c.at <= t), default=self.counts[0].writes)

        edges = [start + i for i in range(int(end - start) + 1)]
        return [writes_at(b) - writes_at(a) for a, b in itertools.pairwise(edges)]
