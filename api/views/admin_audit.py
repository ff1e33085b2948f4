"""Staff only: the audit log, every staff action newest first (models.AuditEntry)."""

from __future__ import annotations

from datetime import datetime

from beanie import PydanticObjectId

from api import cursors
from api.endpoint import Call, operation
from contract.admin_versions import AuditEntryOut, AuditPageOut, AuditQuery
from models import AuditEntry


def _cursor(entry: AuditEntry) -> str:
    return cursors.encode(f"{entry.at.isoformat()}|{entry.id}")


def _position(cursor: str) -> tuple[datetime, PydanticObjectId] | None:
    if not cursor:
        return None
    at, _, entry_id = cursors.decode(cursor).partition("|")
    try:
        return datetime.fromisoformat(at), PydanticObjectId(entry_id)
    except (ValueError, TypeError):
        raise cursors.invalid() from None


def _entry_out(entry: AuditEntry) -> AuditEntryOut:
    return AuditEntryOut(
        id=str(entry.id),
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        target=entry.target,
        details=entry.details,
        reason=entry.reason,
    )


@operation(
    "GET",
    summary="What staff did, newest first (`before`: the previous page's cursor)",
    auth="staff",
    query=AuditQuery,
    response=AuditPageOut,
)
async def list_audit(call: Call[None, AuditQuery]) -> AuditPageOut:
    before = _position(call.query.before)
    entries, more = await AuditEntry.page(before, call.query.limit)
    return AuditPageOut(
        entries=[_entry_out(e) for e in entries], next_cursor=_cursor(entries[-1]) if more and entries else None
    )
