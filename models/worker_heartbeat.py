"""Training workers say they are alive every few seconds: the admin page lists them, or says how to
start one, and a running run whose worker stopped beating is marked failed (``worker_lost``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from beanie import Document, PydanticObjectId, SortDirection
from pydantic import Field
from pymongo import ASCENDING, DESCENDING, IndexModel

from models.clock import utcnow

ALIVE_WITHIN = timedelta(seconds=30)


class WorkerHeartbeat(Document):
    worker_id: str
    host: str
    pid: int
    presets: list[str] = Field(default_factory=list)  # the presets this machine can run
    seen_at: datetime = Field(default_factory=utcnow)
    run_id: PydanticObjectId | None = None

    class Settings:
        name = "worker_heartbeats"
        indexes = [
            IndexModel([("worker_id", ASCENDING)], unique=True, name="worker_unique"),
            IndexModel([("seen_at", DESCENDING)], name="seen_newest"),
            IndexModel([("host", ASCENDING)], name="host"),
        ]

    @classmethod
    async def beat(
        cls, worker_id: str, host: str, pid: int, presets: list[str], run_id: PydanticObjectId | None
    ) -> None:
        await cls.get_pymongo_collection().update_one(
            {"worker_id": worker_id},
            {"$set": {"host": host, "pid": pid, "presets": presets, "seen_at": utcnow(), "run_id": run_id}},
            upsert=True,
        )

    @classmethod
    async def alive(cls) -> list[WorkerHeartbeat]:
        """Workers seen within ALIVE_WITHIN, most recently seen first."""
        since = utcnow() - ALIVE_WITHIN
        return await cls.find({"seen_at": {"$gte": since}}).sort([("seen_at", SortDirection.DESCENDING)]).to_list()

    @classmethod
    async def on_host(cls, host: str) -> list[WorkerHeartbeat]:
        """Every worker that ever beat on ``host`` and has not said it stopped (a crashed one stays)."""
        return await cls.find({"host": host}).to_list()

    @classmethod
    async def gone(cls, worker_id: str) -> None:
        """A worker that stops cleanly says so: it is not listed as alive for another 30 s."""
        await cls.get_pymongo_collection().delete_one({"worker_id": worker_id})
