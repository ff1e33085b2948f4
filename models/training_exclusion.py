"""Answers staff took out of the training data (a 👍 on nonsense must not be trained on). Kept for
good, so every later dataset build skips them too; deleting one puts the answer back."""

from datetime import datetime

from beanie import Document, PydanticObjectId
from pydantic import Field
from pymongo import ASCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from models.clock import utcnow


class TrainingExclusion(Document):
    message_id: PydanticObjectId
    by: PydanticObjectId | None = None  # the staff account that excluded it
    at: datetime = Field(default_factory=utcnow)

    class Settings:
        name = "training_exclusions"
        indexes = [IndexModel([("message_id", ASCENDING)], unique=True, name="message_unique")]

    @classmethod
    async def among(cls, message_ids: list[PydanticObjectId]) -> set[PydanticObjectId]:
        """Which of ``message_ids`` are excluded (index message_unique)."""
        if not message_ids:
            return set()
        found = await cls.find({"message_id": {"$in": message_ids}}).to_list()
        return {exclusion.message_id for exclusion in found}

    @classmethod
    async def exclude(cls, message_id: PydanticObjectId, by: PydanticObjectId | None) -> bool:
        """Exclude the answer; False when it already was (the first exclusion is kept)."""
        try:
            await cls(message_id=message_id, by=by).insert()
        except DuplicateKeyError:
            return False
        return True

    @classmethod
    async def include(cls, message_id: PydanticObjectId) -> bool:
        """Put the answer back; False when it was not excluded."""
        result = await cls.find({"message_id": message_id}).delete()
        return bool(result and result.deleted_count)
