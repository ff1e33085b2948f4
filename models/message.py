"""Messages live in their own collection (a conversation can outgrow 16 MB) and form a tree:
regenerate and edit add siblings under the same parent."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from beanie import Document, PydanticObjectId, SortDirection
from beanie.odm.queries.find import FindMany
from pydantic import BaseModel, Field, field_validator
from pymongo import ASCENDING, IndexModel, UpdateOne

from contract.documents import IN_FLIGHT, MessageStatus, Rating, Role, Stats
from contract.errors import ErrorInfo, from_legacy_text
from models.clock import utcnow
from models.search_entry import SearchEntry
from models.stored import stored_id

_IN_FLIGHT = sorted(status.value for status in IN_FLIGHT)


class MessageEnding(NamedTuple):
    """How one answer ends (see :meth:`Message.finish`)."""

    message: "Message"
    status: MessageStatus
    error: ErrorInfo | None
    content: str | None = None
    stats: Stats | None = None

    def changes(self, at: datetime) -> dict[str, object]:
        changes: dict[str, object] = {
            "status": self.status.value,
            "error": self.error.model_dump(mode="json") if self.error else None,
            "worker_id": None,
            "updated_at": at,
        }
        if self.content is not None:
            changes["content"] = self.content
        if self.stats is not None:
            changes["stats"] = self.stats.model_dump()
        return changes

    def apply(self, at: datetime) -> None:
        """The stored ending, on the document in memory too."""
        message = self.message
        message.status, message.error, message.worker_id, message.updated_at = self.status, self.error, None, at
        message.content = message.content if self.content is None else self.content
        message.stats = message.stats if self.stats is None else self.stats


class Feedback(BaseModel):
    rating: Rating
    note: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class Message(Document):
    conversation_id: PydanticObjectId
    user_id: PydanticObjectId
    parent_id: PydanticObjectId | None = None
    role: Role
    content: str = ""
    status: MessageStatus = MessageStatus.COMPLETE
    model: str | None = None
    # Why the answer failed or was interrupted, as a code each reader sees in their own language.
    error: ErrorInfo | None = None
    stats: Stats | None = None
    feedback: Feedback | None = None
    # Set on a message that replaced an earlier one by an edit: a question the user rephrased, or an
    # answer the user corrected by hand (finetune/ learns from those).
    edited_from: PydanticObjectId | None = None
    # Came from an import: nothing here generated or rated it, so fine-tuning must not trust it.
    imported: bool = False
    # The process generating this answer; a start-up sweep marks answers of dead workers interrupted.
    worker_id: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    _legacy_error = field_validator("error", mode="before")(from_legacy_text)

    @classmethod
    async def in_conversation(cls, conversation_id: PydanticObjectId) -> list["Message"]:
        """All of a conversation's messages in :meth:`chronology` order (the tree, export)."""
        return (
            await cls.find({"conversation_id": conversation_id})
            .sort([("created_at", SortDirection.ASCENDING), ("_id", SortDirection.ASCENDING)])
            .to_list()
        )

    @classmethod
    async def save_progress(cls, progress: Mapping[PydanticObjectId, str | None]) -> None:
        """Checkpoint answers being generated, all in one write: each answer's text so far, or None
        for one whose text has not changed (its ``updated_at`` alone is refreshed: the heartbeat that
        tells other processes it is alive). Only answers still in flight (queued or streaming) are
        touched, so a checkpoint that lands after an answer's final save changes nothing."""
        if not progress:
            return
        now = utcnow()
        writes = [
            UpdateOne(
                {"_id": answer_id, "status": {"$in": _IN_FLIGHT}},
                {"$set": {"updated_at": now} | ({"content": text} if text is not None else {})},
            )
            for answer_id, text in progress.items()
        ]
        await cls.get_pymongo_collection().bulk_write(writes, ordered=False)

    async def finish(
        self,
        status: MessageStatus,
        *,
        error: ErrorInfo | None,
        content: str | None = None,
        stats: Stats | None = None,
        at: datetime | None = None,
    ) -> None:
        """End an answer: how it ended and why, and (when given) its final text and stats; no process
        generates it any more. ``content``/``stats`` left None keep what is stored."""
        await Message.finish_all([MessageEnding(self, status, error, content, stats)], at=at or utcnow())

    @classmethod
    async def finish_all(cls, endings: Sequence["MessageEnding"], at: datetime) -> None:
        """End several answers in one write (answers ending together share it), each as :meth:`finish`."""
        if not endings:
            return
        writes = [UpdateOne({"_id": end.message.id}, {"$set": end.changes(at)}) for end in endings]
        await cls.get_pymongo_collection().bulk_write(writes, ordered=False)
        for end in endings:
            end.apply(at)

    def chronology(self) -> tuple[datetime, PydanticObjectId | None]:
        """The order of messages everywhere: oldest first, and by id within one millisecond (MongoDB's
        precision; an import may give siblings one time), so sibling positions, "the newest answer"
        and which correction counts as the latest are the same on every read."""
        return self.created_at, self.id

    class Settings:
        name = "messages"
        indexes = [
            IndexModel([("conversation_id", ASCENDING), ("created_at", ASCENDING)], name="conversation_created"),
            # Siblings of a branch point, and the children of a message.
            IndexModel([("parent_id", ASCENDING), ("created_at", ASCENDING)], name="parent_created"),
            # Start-up sweep of answers left in flight (prefix), and a user's generations in flight.
            IndexModel([("status", ASCENDING), ("user_id", ASCENDING)], name="status_user"),
            # Ownership checks: the embedded server's planner needs every filter field in one index.
            IndexModel([("_id", ASCENDING), ("user_id", ASCENDING)], name="id_user"),
            # finetune/ reads rated answers, and corrected ones (query with edited_from > ObjectId(0):
            # the embedded server's planner uses no index for $ne or $type).
            IndexModel([("feedback.rating", ASCENDING)], name="feedback_rating", sparse=True),
            IndexModel([("edited_from", ASCENDING)], name="edited_from"),
        ]

    @classmethod
    async def owned(cls, message_id: PydanticObjectId, user_id: PydanticObjectId) -> "Message | None":
        """The message if it exists AND belongs to ``user_id``: a stranger's id looks missing (index id_user)."""
        return await cls.find_one({"_id": message_id, "user_id": user_id})

    @classmethod
    def in_flight(cls) -> FindMany["Message"]:
        """Answers queued or being generated, by any process (index status_user, by prefix)."""
        return cls.find({"status": {"$in": _IN_FLIGHT}})

    @classmethod
    async def in_flight_count_of(cls, user_id: PydanticObjectId) -> int:
        """How many of ``user_id``'s answers are queued or being generated, in every process (index status_user)."""
        return await cls.find({"status": {"$in": _IN_FLIGHT}, "user_id": user_id}).count()

    @classmethod
    async def in_flight_ids_of(cls, user_id: PydanticObjectId) -> list[PydanticObjectId]:
        """``user_id``'s answers queued or being generated, in every process (index status_user)."""
        found = cls.get_pymongo_collection().find({"status": {"$in": _IN_FLIGHT}, "user_id": user_id}, {"_id": 1})
        return [PydanticObjectId(raw["_id"]) async for raw in found]

    @classmethod
    async def admitted(cls, answer_id: PydanticObjectId) -> None:
        """A queued answer got its turn: ``streaming`` again (unless it has ended meanwhile)."""
        await cls.get_pymongo_collection().update_one(
            {"_id": answer_id, "status": MessageStatus.QUEUED.value},
            {"$set": {"status": MessageStatus.STREAMING.value, "updated_at": utcnow()}},
        )

    @classmethod
    async def delete_ids(cls, ids: list[PydanticObjectId]) -> None:
        await cls.find({"_id": {"$in": ids}}).delete()
        await SearchEntry.delete_ids(ids)

    def search_entry(self) -> SearchEntry:
        """This message's entry in the search index, from its text as it is now (stored with
        :meth:`SearchEntry.store` once the text is final)."""
        return SearchEntry.of(stored_id(self), self.user_id, self.conversation_id, self.content)

    async def rate(self, rating: Rating | None, note: str) -> None:
        """The user's thumbs up/down and note on this answer (replaces an earlier rating; None
        takes it back, note included: the answer is then neither liked nor disliked)."""
        self.feedback = Feedback(rating=rating, note=note) if rating else None
        await self.set({"feedback": self.feedback.model_dump() if self.feedback else None})
