"""A conversation: per-conversation model and system prompt, and the branch the user is on."""

from collections.abc import Mapping, Sequence
from datetime import datetime

from beanie import Document, PydanticObjectId, SortDirection
from pydantic import Field, field_validator
from pymongo import ASCENDING, DESCENDING, IndexModel, ReturnDocument, UpdateOne

from contract.documents import ModelNote, from_legacy_note
from models.clock import utcnow
from models.message import Message
from models.search_entry import SearchEntry
from models.stored import stored_id

# The order of index user_updated: the sidebar, newest first.
_NEWEST_FIRST = [("updated_at", DESCENDING), ("_id", DESCENDING)]


class Conversation(Document):
    user_id: PydanticObjectId
    # None until the first answer names it: each client shows its own words for an untitled chat.
    title: str | None = None
    system_prompt: str = ""
    model: str | None = None
    # Why the model changed without the user asking (its model was retired): shown with the conversation.
    model_note: ModelNote | None = None
    active_leaf_id: PydanticObjectId | None = None
    # The answer being generated now: set atomically, so two tabs or two processes cannot start a
    # second generation in the same conversation.
    generating_id: PydanticObjectId | None = None
    # The Ollama host of the last answer (chat/host_choice.py): the next one prefers it, for its
    # prompt cache. Internal: never sent to clients.
    ollama_host: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    _legacy_note = field_validator("model_note", mode="before")(from_legacy_note)

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
        await Conversation.release_generation_slots([(stored_id(self), answer_id, also)])

    @classmethod
    async def release_generation_slots(
        cls, releases: Sequence[tuple[PydanticObjectId, PydanticObjectId, Mapping[str, object]]]
    ) -> None:
        """:meth:`release_generation_slot` for several conversations (id, answer id, ``also``), one write."""
        writes = [
            UpdateOne(
                {"_id": conversation_id},
                [
                    {
                        "$set": {
                            "generating_id": {
                                "$cond": [{"$eq": ["$generating_id", answer_id]}, None, "$generating_id"]
                            },
                            **also,
                        }
                    }
                ],
            )
            for conversation_id, answer_id, also in releases
        ]
        if writes:
            await cls.get_pymongo_collection().bulk_write(writes, ordered=False)

    @classmethod
    async def page_of(
        cls, user_id: PydanticObjectId, after: tuple[datetime, PydanticObjectId] | None, needle: str, limit: int
    ) -> tuple[list["Conversation"], bool]:
        """One sidebar page: a user's conversations newest first (index user_updated) that come after
        the position ``after`` (the updated_at and id of the previous page's last one) and whose title
        contains ``needle`` (ignoring case); and whether more follow.

        Only index fields are in the filter (user_id, a range on updated_at); the tie-break on _id and
        the title search are applied while walking the index order, so no regex ever reaches MongoDB."""
        needle = needle.strip().casefold()
        filter_: dict[str, object] = {"user_id": user_id}
        if after:
            filter_["updated_at"] = {"$lte": after[0]}
        page: list[Conversation] = []
        cursor = cls.get_pymongo_collection().find(filter_).sort(_NEWEST_FIRST).batch_size(limit + 2)
        try:
            async for raw in cursor:
                conversation = cls.model_validate(raw)
                if after and (conversation.updated_at, conversation.id) >= after:
                    continue  # already on an earlier page
                if needle and needle not in (conversation.title or "").casefold():
                    continue
                page.append(conversation)
                if len(page) > limit:
                    break
        finally:
            await cursor.close()
        return page[:limit], len(page) > limit

    @classmethod
    async def all_of(cls, user_id: PydanticObjectId) -> list["Conversation"]:
        """Every conversation of a user, newest first (index user_updated): their download, their deletion."""
        newest_first = [("updated_at", SortDirection.DESCENDING), ("_id", SortDirection.DESCENDING)]
        return await cls.find({"user_id": user_id}).sort(newest_first).to_list()

    @classmethod
    async def count_of(cls, user_id: PydanticObjectId) -> int:
        """How many conversations a user has (index user_updated, by prefix): the admin's account list."""
        return await cls.find({"user_id": user_id}).count()

    @classmethod
    async def move_off_model(cls, names: list[str], note: ModelNote) -> int:
        """Conversations pinned to one of ``names`` (a retired model) go on with the default model,
        with ``note`` saying so; how many moved."""
        result = await cls.get_pymongo_collection().update_many(
            {"model": {"$in": names}}, {"$set": {"model": None, "model_note": note.model_dump()}}
        )
        return result.modified_count

    async def delete_with_messages(self) -> None:
        """Its search entries and messages first: if this stops half-way, the conversation is still
        listed and can be deleted again."""
        await SearchEntry.delete_conversation(stored_id(self))
        await Message.find({"conversation_id": self.id}).delete()
        await self.delete()

    async def insert_with_messages(self, messages: list[Message]) -> None:
        """Messages (and their search entries) first: until the conversation exists, a half-done
        import is invisible, never half-shown."""
        if messages:
            await Message.insert_many(messages)
        await SearchEntry.store([*(m.search_entry() for m in messages), self.title_entry(self.title)])
        await self.insert()

    def title_entry(self, title: str | None) -> SearchEntry:
        """The search index's entry for ``title`` as this conversation's title (None: a place for
        its first title)."""
        conversation_id = stored_id(self)
        return SearchEntry.of(conversation_id, self.user_id, conversation_id, title or "")


def _object_id(value: object) -> PydanticObjectId | None:
    if isinstance(value, PydanticObjectId):
        return value
    if isinstance(value, str) and PydanticObjectId.is_valid(value):
        return PydanticObjectId(value)
    return None
