"""A conversation: per-conversation model and system prompt, and the branch the user is on."""

from datetime import datetime

from beanie import Document, PydanticObjectId
from pydantic import Field, field_validator
from pymongo import ASCENDING, DESCENDING, IndexModel, ReturnDocument

from models.clock import utcnow


class Conversation(Document):
    user_id: PydanticObjectId
    # None until the first answer names it: each client shows its own words for an untitled chat.
    title: str | None = None
    system_prompt: str = ""
    model: str | None = None
    active_leaf_id: PydanticObjectId | None = None
    # The answer being generated now: set atomically, so two tabs or two processes cannot start a
    # second generation in the same conversation.
    generating_id: PydanticObjectId | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @field_validator("title", mode="before")
    @classmethod
    def _untitled(cls, value: object) -> object:
        """Conversations stored before titles could be absent carry the English placeholder."""
        return None if value == "New chat" else value

    class Settings:
        name = "conversations"
        indexes = [
            # Serves the sidebar: a user's conversations newest first, cursor-paginated.
            IndexModel([("user_id", ASCENDING), ("updated_at", DESCENDING), ("_id", DESCENDING)], name="user_updated"),
            # Ownership checks: the embedded server's planner needs every filter field in one index.
            IndexModel([("_id", ASCENDING), ("user_id", ASCENDING)], name="id_user"),
        ]

    @classmethod
    async def owned(cls, conversation_id: object, user_id: PydanticObjectId) -> "Conversation | None":
        """The conversation if it exists AND belongs to ``user_id``: a stranger's id looks missing."""
        oid = _object_id(conversation_id)
        if oid is None:
            return None
        return await cls.find_one({"_id": oid, "user_id": user_id})

    async def take_generation_slot(self, answer_id: PydanticObjectId) -> bool:
        """Claim the conversation for one answer, atomically across tabs and processes."""
        after = await self.get_pymongo_collection().find_one_and_update(
            {"_id": self.id},
            [{"$set": {"generating_id": {"$ifNull": ["$generating_id", answer_id]}}}],
            return_document=ReturnDocument.AFTER,
        )
        taken = after is not None and after.get("generating_id") == answer_id
        if taken:
            self.generating_id = answer_id
        return taken

    async def release_generation_slot(self, answer_id: PydanticObjectId, **also: object) -> None:
        """Free the slot if ``answer_id`` holds it, and set ``also`` (title, updated_at) in the same write."""
        keep_or_free = {"$cond": [{"$eq": ["$generating_id", answer_id]}, None, "$generating_id"]}
        await self.get_pymongo_collection().update_one(
            {"_id": self.id}, [{"$set": {"generating_id": keep_or_free, **also}}]
        )


def _object_id(value: object) -> PydanticObjectId | None:
    if isinstance(value, PydanticObjectId):
        return value
    if isinstance(value, str) and PydanticObjectId.is_valid(value):
        return PydanticObjectId(value)
    return None
