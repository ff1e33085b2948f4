"""Training runs pushed to staff sockets (``training.progress``) while they change.

The worker runs in the training environment, without Channels, and writes its run's document; the
server turns document changes into frames. Each process polls once a second, only while one of
its own staff sockets is open, for the runs written since its last look (index ``updated``), and
sends a run again only when its ``revision`` moved. Every process polls for its own sockets, so a
frame is never relayed through Redis and a process without staff sockets costs nothing.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from channels.layers import get_channel_layer

from access import unavailable
from chat.events import relayed
from contract.frames import TrainingProgress
from models import TrainingRun
from models.clock import utcnow

log = logging.getLogger(__name__)

POLL_S = 1.0
# Writes land with their writer's clock: look back a little so one stamped just before the
# previous look (another machine's clock, or a write still in flight) is not missed.
OVERLAP = timedelta(seconds=5)


class TrainingWatch:
    def __init__(self) -> None:
        self.channels: set[str] = set()
        self.sent: dict[str, int] = {}  # run id → revision last sent
        self.task: asyncio.Task[None] | None = None

    def add(self, channel: str) -> None:
        self.channels.add(channel)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._poll(utcnow()))

    def discard(self, channel: str) -> None:
        self.channels.discard(channel)

    async def _poll(self, since: datetime) -> None:
        """Until the last staff socket of this process closes."""
        layer = get_channel_layer()
        while self.channels:
            await asyncio.sleep(POLL_S)
            try:
                runs = await TrainingRun.changed_since(since - OVERLAP)
            except unavailable.UNAVAILABLE as exc:  # the database is away: look again next second
                log.warning("training runs could not be read: %s", exc)
                continue
            except Exception:
                log.exception("training runs could not be read")
                continue
            for run in runs:
                since = max(since, run.updated_at)
                if self.sent.get(str(run.id)) == run.revision:
                    continue
                self.sent[str(run.id)] = run.revision
                message = relayed(TrainingProgress(run=run.out()))
                for channel in list(self.channels):
                    await layer.send(channel, message)
        self.sent.clear()


WATCH = TrainingWatch()
