"""Fine-tuned models registered with Ollama; admins activate one as the chat default."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from beanie import Document, SortDirection
from pydantic import Field
from pymongo import ASCENDING, DESCENDING, IndexModel

from models.clock import utcnow


class ModelVersionStatus(StrEnum):
    REGISTERED = "registered"
    ACTIVE = "active"
    RETIRED = "retired"


class ModelVersion(Document):
    name: str
    base_model: str
    ollama_model: str
    source_run: str | None = None
    gguf_sha256: list[str] = Field(default_factory=list)
    metrics: dict[str, Any] = Field(default_factory=dict)
    status: ModelVersionStatus = ModelVersionStatus.REGISTERED
    created_at: datetime = Field(default_factory=utcnow)
    activated_at: datetime | None = None

    class Settings:
        name = "model_versions"
        indexes = [
            IndexModel([("name", ASCENDING)], unique=True, name="name_unique"),
            IndexModel([("status", ASCENDING)], name="status"),
            # api/ admin: the previously active version for rollback ({status: retired} newest activation first).
            IndexModel([("status", ASCENDING), ("activated_at", DESCENDING)], name="status_activated"),
            # api/ admin: the list of versions, newest first (the id breaks ties within a millisecond).
            IndexModel([("created_at", DESCENDING), ("_id", DESCENDING)], name="created_newest"),
        ]

    @classmethod
    async def active(cls) -> "ModelVersion | None":
        """The version admins made the chat's default, if any."""
        return await cls.find_one({"status": ModelVersionStatus.ACTIVE.value})

    @classmethod
    async def newest_first(cls) -> list["ModelVersion"]:
        """Every version (index created_newest; the id breaks ties within a millisecond)."""
        return (
            await cls.find({})
            .sort([("created_at", SortDirection.DESCENDING), ("_id", SortDirection.DESCENDING)])
            .to_list()
        )

    @classmethod
    async def previously_active(cls) -> "ModelVersion | None":
        """The most recently active of the retired versions (index status_activated): what a rollback restores."""
        return (
            await cls.find({"status": ModelVersionStatus.RETIRED.value})
            .sort([("activated_at", SortDirection.DESCENDING), ("_id", SortDirection.DESCENDING)])
            .first_or_none()
        )

    @classmethod
    async def make_active(cls, version: "ModelVersion | None") -> None:
        """Retire whatever is active, then activate ``version`` (None: no version is active), so
        one version at most is active at a time."""
        await cls.find({"status": ModelVersionStatus.ACTIVE.value}).update(
            {"$set": {"status": ModelVersionStatus.RETIRED.value}}
        )
        if version is not None:
            await version.set({"status": ModelVersionStatus.ACTIVE.value, "activated_at": utcnow()})
