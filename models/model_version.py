"""Fine-tuned models registered with Ollama; admins activate one as the chat default.

Statuses: ``registered`` (never active), ``active`` (the chat's default: the top of the activation
stack, models/activation.py), ``inactive`` (was active, still served by Ollama, a rollback may
return to it), ``retired`` (removed from Ollama; the record is kept for the history and the audit).
"""

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from beanie import Document, PydanticObjectId, SortDirection
from pydantic import Field
from pymongo import ASCENDING, DESCENDING, IndexModel, ReturnDocument

from models.clock import utcnow

PickWinner = Literal["version", "active", "tie"]


class ModelVersionStatus(StrEnum):
    REGISTERED = "registered"
    ACTIVE = "active"
    INACTIVE = "inactive"
    RETIRED = "retired"


def no_picks() -> dict[str, int]:
    return {"version": 0, "active": 0, "tie": 0}


class ModelVersion(Document):
    name: str
    base_model: str
    ollama_model: str
    source_run: str | None = None
    gguf_sha256: list[str] = Field(default_factory=list)
    # ``eval`` (the worker's evaluation, read by the activation gate): heldout_set, heldout_rows, bpb,
    # base_bpb, samples; anything else a run measured (train, sizes) beside it.
    metrics: dict[str, Any] = Field(default_factory=dict)
    # The admins' side-by-side picks on held-out prompts: this version's answer, the active one's, or a tie.
    picks: dict[str, int] = Field(default_factory=no_picks)
    status: ModelVersionStatus = ModelVersionStatus.REGISTERED
    created_at: datetime = Field(default_factory=utcnow)
    activated_at: datetime | None = None
    retired_at: datetime | None = None

    class Settings:
        name = "model_versions"
        indexes = [
            IndexModel([("name", ASCENDING)], unique=True, name="name_unique"),
            # Leading ``status`` answers every status lookup; ``retired_at`` beside it answers the
            # activation stack's adoption of older databases (models/activation.py).
            IndexModel([("status", ASCENDING), ("retired_at", ASCENDING)], name="status_retired_at"),
            # api/ admin: the list of versions, newest first (the id breaks ties within a millisecond).
            IndexModel([("created_at", DESCENDING), ("_id", DESCENDING)], name="created_newest"),
        ]

    @classmethod
    async def newest_first(cls) -> list["ModelVersion"]:
        """Every version (index created_newest; the id breaks ties within a millisecond)."""
        return (
            await cls.find({})
            .sort([("created_at", SortDirection.DESCENDING), ("_id", SortDirection.DESCENDING)])
            .to_list()
        )

    @classmethod
    async def show_active(cls, version_id: PydanticObjectId | None) -> None:
        """Make the statuses say which version the activation stack's top is (None: none is):
        the one active becomes ``active``, any other ``active`` one ``inactive``. Idempotent, so
        every process that changed the stack may run it for the newest entry it read."""
        await cls.find({"status": ModelVersionStatus.ACTIVE.value, "_id": {"$ne": version_id}}).update(
            {"$set": {"status": ModelVersionStatus.INACTIVE.value}}
        )
        if version_id is not None:
            await cls.find(
                {
                    "_id": version_id,
                    "status": {"$nin": [ModelVersionStatus.ACTIVE.value, ModelVersionStatus.RETIRED.value]},
                }
            ).update({"$set": {"status": ModelVersionStatus.ACTIVE.value, "activated_at": utcnow()}})

    @classmethod
    async def retired_ids(cls, ids: list[PydanticObjectId]) -> set[PydanticObjectId]:
        found = await cls.find({"_id": {"$in": ids}, "status": ModelVersionStatus.RETIRED.value}).to_list()
        return {v.id for v in found if v.id is not None}

    @classmethod
    async def retired_model(cls, names: list[str]) -> bool:
        """Whether the model (``names``: Ollama's spellings of one) was retired here: a retired
        version has it and no version still in service does (index status_retired_at, by status;
        the model compared here, as versions are few)."""
        retired = await cls.find({"status": ModelVersionStatus.RETIRED.value}).to_list()
        if not any(version.ollama_model in names for version in retired):
            return False
        serving = [status.value for status in ModelVersionStatus if status != ModelVersionStatus.RETIRED]
        in_service = await cls.find({"status": {"$in": serving}}).to_list()
        return not any(version.ollama_model in names for version in in_service)

    async def retire(self) -> None:
        self.status, self.retired_at = ModelVersionStatus.RETIRED, utcnow()
        await self.set({"status": self.status.value, "retired_at": self.retired_at})

    async def add_pick(self, winner: PickWinner) -> None:
        """One admin's pick, counted atomically (two admins picking at once both count)."""
        after = await self.get_pymongo_collection().find_one_and_update(
            {"_id": self.id}, {"$inc": {f"picks.{winner}": 1}}, return_document=ReturnDocument.AFTER
        )
        self.picks = {**no_picks(), **(after or {}).get("picks", {})}
