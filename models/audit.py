"""What admins did: one record per staff action (who, what, on what, when, and the reason given when
they overrode a check), kept for good and listed on the admin page. Written by api/ only after the
action succeeded, so the log never claims something that did not happen."""

from __future__ import annotations

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
    ) -> AuditEntry:
        return await cls(
            actor_id=actor_id, actor=actor, action=action, target=target, details=details or {}, reason=reason
        ).insert()

    @classmethod
    async def page(cls, before: tuple[datetime, PydanticObjectId] | None, limit: int) -> tuple[list[AuditEntry], bool]:
        """Entries newest first (index at_newest) that come after the position ``before`` (the
        previous page's last entry: its time and id), and whether more follow. Only the index's
        time is in the filter; the tie-break on the id is applied while walking the index order."""
        query = {"at": {"$lte": before[0]}} if before else {}
        found: list[AuditEntry] = []
        cursor = cls.find(query).sort([("at", SortDirection.DESCENDING), ("_id", SortDirection.DESCENDING)])
        async for entry in cursor:
            if before and (entry.at, entry.id) >= before:
                continue  # on an earlier page
            found.append(entry)
            if len(found) > limit:
                break
        return found[:limit], len(found) > limit
