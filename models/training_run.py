"""Training runs: the job queue of ``python -m finetune worker``, and what the admin page watches.

Why MongoDB documents and not a job library: the queue must work on the embedded defaults (the
MongoDB-protocol server, no broker) and on compose alike, a run lasts minutes to hours (one at a
time per worker), and the server must read its progress anyway. One ``find_one_and_update`` claims
the oldest queued run atomically: two workers asking at once get different runs, or one gets none.

Every write bumps ``revision`` and ``updated_at``: the server pushes a run to staff sockets when its
revision changed since the last poll (consumers/training_watch.py).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from enum import StrEnum
from typing import Any

from beanie import Document, PydanticObjectId, SortDirection
from pydantic import BaseModel, Field
from pymongo import ASCENDING, DESCENDING, IndexModel, ReturnDocument

from contract.training import RunErrorOut, RunProgressOut, TrainingRunOut
from models.clock import utcnow

LOG_TAIL_LINES = 200


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED = (RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED)


class RunProgress(BaseModel):
    stage: str = "queued"  # dataset | train | eval | export | register
    step: int = 0
    total_steps: int = 0
    loss: float | None = None
    eta_s: float | None = None


class RunError(BaseModel):
    code: str
    message: str


class TrainingRun(Document):
    preset: str
    status: RunStatus = RunStatus.QUEUED
    created_by: PydanticObjectId | None = None
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    worker_id: str | None = None
    heartbeat_at: datetime | None = None
    cancel_requested: bool = False
    progress: RunProgress = Field(default_factory=RunProgress)
    loss_curve: list[list[float]] = Field(default_factory=list)  # [[step, loss], …]
    log_tail: list[str] = Field(default_factory=list)
    folder: str = ""
    version_id: PydanticObjectId | None = None
    error: RunError | None = None
    dataset: dict[str, Any] | None = None  # {rows, by_source}
    revision: int = 0
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "training_runs"
        indexes = [
            # The claim: the oldest queued run.
            IndexModel([("status", ASCENDING), ("created_at", ASCENDING)], name="status_created"),
            # The admin list, newest first (the id breaks ties within a millisecond).
            IndexModel([("created_at", DESCENDING), ("_id", DESCENDING)], name="created_newest"),
            # The server's poll for runs that changed.
            IndexModel([("updated_at", ASCENDING)], name="updated"),
            # Compare-and-set on one run ({_id, status[, cancel_requested]}: change, finish, cancel): the
            # embedded server's planner answers a filter only from an index holding all its fields.
            IndexModel(
                [("_id", ASCENDING), ("status", ASCENDING), ("cancel_requested", ASCENDING)], name="id_status_cancel"
            ),
        ]

    def out(self) -> TrainingRunOut:
        """As the API and the ``training.progress`` frame show it."""
        return TrainingRunOut(
            id=str(self.id),
            preset=self.preset,
            status=self.status.value,
            created_by=str(self.created_by) if self.created_by else None,
            created_at=self.created_at,
            started_at=self.started_at,
            finished_at=self.finished_at,
            worker_id=self.worker_id,
            cancel_requested=self.cancel_requested,
            progress=RunProgressOut.model_validate(self.progress.model_dump()),
            loss_curve=self.loss_curve,
            log_tail=self.log_tail,
            folder=self.folder,
            version_id=str(self.version_id) if self.version_id else None,
            error=RunErrorOut(**self.error.model_dump()) if self.error else None,
            dataset=self.dataset,
        )

    @classmethod
    async def claim(cls, worker_id: str, presets: list[str]) -> TrainingRun | None:
        """The oldest queued run of a preset this worker can run, now ``running`` on it; None if none."""
        now = utcnow()
        collection = cls.get_pymongo_collection()
        raw = await collection.find_one_and_update(
            {"status": RunStatus.QUEUED.value, "preset": {"$in": presets}},
            {
                "$set": {
                    "status": RunStatus.RUNNING.value,
                    "worker_id": worker_id,
                    "started_at": now,
                    "heartbeat_at": now,
                    "updated_at": now,
                },
                "$inc": {"revision": 1},
            },
            sort=[("created_at", ASCENDING), ("_id", ASCENDING)],
            return_document=ReturnDocument.AFTER,
        )
        return None if raw is None else cls.model_validate(raw)

    @classmethod
    async def change(
        cls, run_id: PydanticObjectId, fields: dict[str, Any], only_if: dict[str, Any] | None = None
    ) -> bool:
        """Set ``fields`` on the run (bumping its revision), if it still matches ``only_if``."""
        fields = {**fields, "updated_at": utcnow()}
        result = await cls.get_pymongo_collection().update_one(
            {"_id": run_id, **(only_if or {})}, {"$set": fields, "$inc": {"revision": 1}}
        )
        return result.modified_count == 1

    @classmethod
    async def touch(cls, run_id: PydanticObjectId) -> None:
        """The worker is alive and on it (no revision bump: nothing a watcher needs to see)."""
        await cls.get_pymongo_collection().update_one({"_id": run_id}, {"$set": {"heartbeat_at": utcnow()}})

    @classmethod
    async def finish(
        cls, run_id: PydanticObjectId, status: RunStatus, error: RunError | None = None, **fields: Any
    ) -> bool:
        """End a run that is still running (a run ended meanwhile is left as it is)."""
        done = {"status": status.value, "finished_at": utcnow(), **fields}
        if error is not None:
            done["error"] = error.model_dump()
        return await cls.change(run_id, done, only_if={"status": RunStatus.RUNNING.value})

    @classmethod
    async def request_cancel(cls, run_id: PydanticObjectId) -> TrainingRun | None:
        """Queued: cancelled now. Running: flagged; its worker kills the step and ends it."""
        now = utcnow()
        collection = cls.get_pymongo_collection()
        await collection.update_one(
            {"_id": run_id, "status": RunStatus.QUEUED.value},
            {
                "$set": {
                    "status": RunStatus.CANCELLED.value,
                    "finished_at": now,
                    "cancel_requested": True,
                    "updated_at": now,
                },
                "$inc": {"revision": 1},
            },
        )
        await collection.update_one(
            {"_id": run_id, "status": RunStatus.RUNNING.value, "cancel_requested": False},
            {"$set": {"cancel_requested": True, "updated_at": now}, "$inc": {"revision": 1}},
        )
        return await cls.get(run_id)

    @classmethod
    async def newest_first(cls, limit: int = 50) -> list[TrainingRun]:
        return (
            await cls.find({})
            .sort([("created_at", SortDirection.DESCENDING), ("_id", SortDirection.DESCENDING)])
            .limit(limit)
            .to_list()
        )

    @classmethod
    async def changed_since(cls, since: datetime) -> list[TrainingRun]:
        """Runs written at or after ``since`` (index updated)."""
        return await cls.find({"updated_at": {"$gte": since}}).sort([("updated_at", SortDirection.ASCENDING)]).to_list()

    @classmethod
    async def running(cls) -> list[TrainingRun]:
        return (
            await cls.find({"status": RunStatus.RUNNING.value})
            .sort([("created_at", SortDirection.ASCENDING)])
            .to_list()
        )

    @classmethod
    async def fail_lost(cls, stale_before: datetime, dead_workers: Collection[str] = ()) -> list[TrainingRun]:
        """Mark ``failed`` (code ``worker_lost``) every running run whose worker is gone: its last
        heartbeat is older than ``stale_before``, or its worker is known dead (``dead_workers``)."""
        lost = []
        for run in await cls.running():
            beat = run.heartbeat_at or run.started_at or run.created_at
            if beat >= stale_before and run.worker_id not in dead_workers:
                continue
            error = RunError(
                code="worker_lost",
                message=f"The worker running this run ({run.worker_id}) stopped without finishing it "
                "(killed, or its machine went down); start a new run.",
            )
            if run.id is not None and await cls.finish(run.id, RunStatus.FAILED, error):
                lost.append(run)
        return lost
