"""API tokens for non-browser clients. Only the sha256 is stored; the token is shown once."""

from datetime import datetime

from beanie import Document, PydanticObjectId, SortDirection
from pydantic import Field
from pymongo import ASCENDING, DESCENDING, IndexModel

from models.clock import utcnow


class ApiToken(Document):
    user_id: PydanticObjectId
    token_sha256: str
    name: str
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    class Settings:
        name = "api_tokens"
        indexes = [
            IndexModel([("token_sha256", ASCENDING)], unique=True, name="token_sha256_unique"),
            IndexModel([("user_id", ASCENDING), ("created_at", DESCENDING)], name="user_created"),
        ]

    @classmethod
    async def live(cls, token_sha256: str) -> "ApiToken | None":
        """The token whose secret has this sha256, unless it was revoked."""
        token = await cls.find_one({"token_sha256": token_sha256})
        return token if token is not None and token.revoked_at is None else None

    @classmethod
    async def live_with_id(
        cls, token_id: PydanticObjectId, user_id: PydanticObjectId | None = None
    ) -> "ApiToken | None":
        """The token with this id unless revoked (and, with ``user_id``, only if it is theirs: a
        stranger's token looks missing). Found by ``_id`` alone, the owner checked here: the embedded
        server's planner needs every filter field in one index."""
        token = await cls.get(token_id)
        if token is None or token.revoked_at is not None or (user_id is not None and token.user_id != user_id):
            return None
        return token

    @classmethod
    async def live_of_user(cls, user_id: PydanticObjectId) -> list["ApiToken"]:
        """A user's live tokens, newest first. Index user_created; revoked ones are dropped here
        rather than in the filter, so one index holds every field the filter names."""
        tokens = (
            await cls.find({"user_id": user_id})
            .sort([("created_at", SortDirection.DESCENDING), ("_id", SortDirection.DESCENDING)])
            .to_list()
        )
        return [t for t in tokens if t.revoked_at is None]

    @classmethod
    async def revoke_all_of(cls, user_id: PydanticObjectId) -> list[PydanticObjectId]:
        """Revoke every live token of a user (a disabled account); the ids of those revoked. By id,
        once listed: the filter names only indexed fields."""
        ids = [token.id for token in await cls.live_of_user(user_id) if token.id is not None]
        if ids:
            await cls.find({"_id": {"$in": ids}}).update({"$set": {"revoked_at": utcnow()}})
        return ids

    @classmethod
    async def delete_all_of(cls, user_id: PydanticObjectId) -> list[PydanticObjectId]:
        """Delete every token of a user, revoked ones too (a deleted account); the ids of those
        that were live. By id, once listed: the filter names only indexed fields."""
        tokens = await cls.find({"user_id": user_id}).to_list()
        ids = [token.id for token in tokens if token.id is not None]
        if ids:
            await cls.find({"_id": {"$in": ids}}).delete()
        return [token.id for token in tokens if token.id is not None and token.revoked_at is None]

    async def mark_used(self) -> None:
        await self.set({"last_used_at": utcnow()})

    async def revoke(self) -> None:
        await self.set({"revoked_at": utcnow()})
