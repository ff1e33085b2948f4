"""Browser sessions (Django's session store, access/sessions.py, keeps them here).

The key is the ``_id``; ``data`` is Django's signed encoding, which only the store reads. Why
``user_id`` beside it: a new password ends every session of its user, found by an index instead of
decoding every session. Sessions saved before that field existed have none (see ``end_of_user``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from beanie import Document
from pymongo import ASCENDING, IndexModel
from pymongo.errors import DuplicateKeyError


class Session(Document):
    id: str  # type: ignore[assignment]  # the session key, not an ObjectId
    data: str
    user_id: str | None = None
    expire_at: datetime

    class Settings:
        name = "sessions"
        indexes = [
            # MongoDB drops expired sessions itself; they are also refused on load (``live``), so a
            # server without TTL support is still safe.
            IndexModel([("expire_at", ASCENDING)], expireAfterSeconds=0, name="expire_at_ttl"),
            IndexModel([("user_id", ASCENDING)], name="user_id"),
        ]

    @classmethod
    async def live(cls, key: str) -> Session | None:
        """The session with this key, unless it has expired. Found by ``_id`` alone: the embedded
        server's planner needs every filter field in one index, so the expiry is checked here."""
        session = await cls.find_one({"_id": key})
        if session is None or session.expire_at <= datetime.now(UTC):
            return None
        return session

    @classmethod
    async def key_taken(cls, key: str) -> bool:
        return await cls.find_one({"_id": key}) is not None

    @classmethod
    async def start(cls, key: str, data: str, user_id: str | None, expire_at: datetime) -> bool:
        """Store a new session; False when the key is already taken (nothing is overwritten)."""
        try:
            await cls(id=key, data=data, user_id=user_id, expire_at=expire_at).insert()
        except DuplicateKeyError:
            return False
        return True

    @classmethod
    async def rewrite(cls, key: str, data: str, user_id: str | None, expire_at: datetime) -> bool:
        """Replace a stored session's contents; False when it is gone (a logout in another tab),
        which must not bring it back."""
        result = await cls.get_pymongo_collection().update_one(
            {"_id": key}, {"$set": {"data": data, "user_id": user_id, "expire_at": expire_at}}
        )
        return result.matched_count > 0

    @classmethod
    async def end(cls, key: str) -> None:
        await cls.find({"_id": key}).delete()

    @classmethod
    async def end_expired(cls) -> None:
        await cls.find({"expire_at": {"$lte": datetime.now(UTC)}}).delete()

    @classmethod
    async def end_of_user(cls, user_id: str, owner_of: Callable[[str], str | None]) -> None:
        """End every session of a user. Sessions saved before they carried ``user_id`` are found by
        their data (``owner_of`` decodes it), among those without one (index user_id: a missing field
        is indexed as null, which ``$exists`` cannot use); a session that outlived a new password
        would be a way back in."""
        await cls.find({"user_id": user_id}).delete()
        legacy = [s.id async for s in cls.find({"user_id": None}) if owner_of(s.data) == user_id]
        if legacy:
            await cls.find({"_id": {"$in": legacy}}).delete()
