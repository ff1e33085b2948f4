"""What admins did: one record per staff action (who, what, on what, when, and the reason given when
they overrode a check), kept for good and listed on the admin page. Written by api/ only after the
action succeeded, so the log never claims something that did not happen."""

from datetime import datetime
from typing import Any

from beanie import Document, PydanticObjectId, SortDirection
from pydantic import Field
from pymongo import DESCENDING, IndexModel

from models.clock import utcnow


class AuditEntry(Document):
    actor_id: PydanticObjectId | None = None  # None: the server itself (a worker, a sweep)
    actor: str  # the username at the time, so the log reads the same after a rename or deletion
    action: str  # dotted, e.g. "version.activate", "user.disable", "run.start"
    target: str = ""  # the id or name acted on
    details: dict[str, Any] = Field(default_factory=dict)
    reason: str | None = None  # an override reason, when a check was overridden
    at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "audit"
        indexes = [IndexModel([("at", DESCENDING), ("_id", DESCENDING)], name="at_newest")]

    @classmethod
    async def record(
        cls,
        actor_id: PydanticObjectId | None,
        actor: str,
        action: str,
        target: str = "",
        details: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> "AuditEntry":
        return await cls(
            actor_id=actor_id, actor=actor, action=action, target=target, details=details or {}, reason=reason
        ).insert()

    @classmethod
    async def newest_first(cls, limit: int = 200, before: datetime | None = None) -> list["AuditEntry"]:
        query = {"at": {"$lt": before}} if before else {}
        return (
            await cls.find(query)
            .sort([("at", SortDirection.DESCENDING), ("_id", SortDirection.DESCENDING)])
            .limit(limit)
            .to_list()
        )
