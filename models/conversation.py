"""A conversation: per-conversation model and system prompt, and the branch the user is on."""

from datetime import datetime

from beanie import Document, PydanticObjectId
from pydantic import Field
from pymongo import ASCENDING, DESCENDING, IndexModel

from models.clock import utcnow


class Conversation(Document):
    user_id: PydanticObjectId
    title: str = "New chat"
    system_prompt: str = ""
    model: str | None = None
    active_leaf_id: PydanticObjectId | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "conversations"
        indexes = [
            # Serves the sidebar: a user's conversations newest first, cursor-paginated.
            IndexModel([("user_id", ASCENDING), ("updated_at", DESCENDING), ("_id", DESCENDING)],
                       name="user_updated"),
        ]

    @classmethod
    async def owned(cls, conversation_id: object, user_id: PydanticObjectId) -> "Conversation | None":
        """The conversation if it exists AND belongs to ``user_id``: a stranger's id looks missing."""
        oid = _object_id(conversation_id)
        if oid is None:
            return None
        return await cls.find_one({"_id": oid, "user_id": user_id})


def _object_id(value: object) -> PydanticObjectId | None:
    if isinstance(value, PydanticObjectId):
        return value
    if isinstance(value, str) and PydanticObjectId.is_valid(value):
        return PydanticObjectId(value)
    return None
