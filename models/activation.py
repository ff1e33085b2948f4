"""The activation stack: which model answers new conversations, and what a rollback goes back to.

Each entry is one state of the chat's default, numbered by ``seq`` (unique): the newest entry is the
current state. Activating pushes an entry whose ``below`` is the current one; a rollback writes a
new entry that copies the entry below the current one (skipping retired versions), so the history
can be walked all the way down to the server's DEFAULT_MODEL (``version_id`` None, nothing below).

Why a new entry per change and a unique ``seq``: two admins (or two processes) changing the default
at once both read the current entry and write ``seq + 1``; the unique index lets only one of them
in (a compare-and-set), the other reads again and retries on top of it. Every change has its own
place in one order, which is what lets every process and socket agree on the last one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

from beanie import Document, PydanticObjectId, SortDirection
from pydantic import Field
from pymongo import DESCENDING, IndexModel

from models.clock import utcnow
from models.errors import AlreadyStored
from models.model_version import ModelVersion, ModelVersionStatus


class Activation(Document):
    seq: int
    version_id: PydanticObjectId | None = None  # None: the server's DEFAULT_MODEL
    model: str  # the Ollama name it made the default (DEFAULT_MODEL's value at the time for None)
    below: int | None = None  # the seq of the entry under this one; None: the default is under it
    action: Literal["activate", "rollback"] = "activate"
    actor_id: PydanticObjectId | None = None
    actor: str = ""
    at: datetime = Field(default_factory=utcnow)
    popped: bool = False  # rolled back: kept for the history, never returned to

    class Settings:
        name = "activations"
        indexes = [IndexModel([("seq", DESCENDING)], unique=True, name="seq_unique")]

    @classmethod
    async def current(cls) -> Activation | None:
        """The newest entry (None: nothing was ever activated, the default answers)."""
        return await cls.find({}).sort([("seq", SortDirection.DESCENDING)]).first_or_none()

    @classmethod
    async def at_seq(cls, seq: int | None) -> Activation | None:
        return None if seq is None else await cls.find_one({"seq": seq})

    @classmethod
    async def try_push(cls, on: Activation | None, **fields: Any) -> Activation | None:
        """Write an entry with ``fields`` right after ``on`` (the current entry as the caller read
        it): the compare-and-set. None when another change took that place first: read again, retry."""
        try:
            return await cls(seq=(on.seq if on else 0) + 1, **fields).insert()
        except AlreadyStored:
            return None

    @classmethod
    async def mark_popped(cls, seqs: Iterable[int]) -> None:
        await cls.find({"seq": {"$in": list(seqs)}}).update({"$set": {"popped": True}})


async def adopt_earlier_state() -> None:
    """Databases written before the activation stack: the version marked ``active`` becomes the
    stack's first entry (else the chat would silently go back to DEFAULT_MODEL), and ``retired``
    without a retirement date meant "was active" then: ``inactive`` now (still in Ollama)."""
    await ModelVersion.find({"status": ModelVersionStatus.RETIRED.value, "retired_at": None}).update(
        {"$set": {"status": ModelVersionStatus.INACTIVE.value}}
    )
    if await Activation.current() is not None:
        return
    active = await ModelVersion.find_one({"status": ModelVersionStatus.ACTIVE.value})
    if active is not None:
        await Activation.try_push(
            None,
            version_id=active.id,
            model=active.ollama_model,
            actor="(activated before the activation stack)",
            at=active.activated_at or utcnow(),
        )
