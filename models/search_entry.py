"""The search index: one entry per message (and one per conversation, for its title), holding
its normalised words (models/search_words.py) in an array under a multikey index (user_id, words).

What the embedded MongoDB-protocol server (SecantusDB 0.7.0b3) can index, measured on it
(2026-12-02, 2 cores; 3,000 messages of ~190 distinct words, or 238,000 one-word postings):

- ``$text``: refused ("text indexes are not supported by SecantusDB", code 67).
- Multikey indexes on arrays: yes. ``{user_id, words: w}`` and the prefix range
  ``{user_id, words: {$gte: p, $lt: q}}`` (q: p with its last letter the next one) are IXSCANs on
  (user_id, words), each document returned once: 1 to 3 ms for a word, 130 ms for a one-letter
  prefix matching 1,000 messages. ``$all`` of two words is a COLLSCAN (its planner takes one
  operator field), so each word is its own index scan and the ids are intersected here.
  ``{_id: {$in}}`` alone is a point lookup, but ``{user_id, _id: {$in}}`` is a COLLSCAN.
- One document per (user, word) posting instead, index (user_id, word, message_id): the same range
  scans work (1,700 postings for a one-letter prefix in 90 ms), but writing cost 0.33 ms a posting
  (63 ms for a 190-word answer, against 5 ms for one entry with its word array) and deleting them
  0.23 ms each (11 s for one user's 48,000 postings). Hence an array per message.
- Any update of a document rewrites all its index keys: changing one field of a document carrying a
  190-word array costs 12 ms instead of 1.8 ms. Hence the words live in their own collection,
  written when a text is final and not touched again (a rename replaces a title's), not on the
  messages (which are rated, and whose reads of whole conversations would carry the words too).
- Writing the entry of a 200-word answer: 17 ms, against 3 ms for the answer's ending itself
  (measured with the machine busy): so answers' entries are written just after their endings, in
  the background (chat/checkpointer.py).
- Every query shape search makes is checked against the server's explain in tests/api/test_search.py.

An entry's ``_id`` is its message's id, or for a title its conversation's id (so ``id ==
conversation_id`` marks a title entry); writing one twice (a retry, the backfill) changes nothing.
An answer's entry is placed (without words) when the answer starts and filled when it ends, so an
answer ending after its conversation was deleted leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable

from beanie import Document, PydanticObjectId
from pymongo import ASCENDING, IndexModel, ReplaceOne, UpdateOne

from models.search_words import search_words


class SearchEntry(Document):
    id: PydanticObjectId  # the message's id, or the conversation's for its title
    user_id: PydanticObjectId
    conversation_id: PydanticObjectId
    words: list[str]

    class Settings:
        name = "search_words"
        indexes = [
            # Every search: a user's entries holding a word, or a word beginning with a prefix.
            IndexModel([("user_id", ASCENDING), ("words", ASCENDING)], name="user_words"),
            # Deleting a conversation deletes its entries.
            IndexModel([("conversation_id", ASCENDING)], name="conversation"),
        ]

    @classmethod
    def of(
        cls, entry_id: PydanticObjectId, user_id: PydanticObjectId, conversation_id: PydanticObjectId, text: str
    ) -> SearchEntry:
        return cls(id=entry_id, user_id=user_id, conversation_id=conversation_id, words=search_words(text))

    def stored(self) -> dict[str, object]:
        return {"_id": self.id, "user_id": self.user_id, "conversation_id": self.conversation_id, "words": self.words}

    @classmethod
    async def store(cls, entries: Iterable[SearchEntry]) -> None:
        """Write ``entries`` in one bulk write, each replacing the earlier one of its message or title.
        An entry without words matches nothing: it holds the place of an answer still being written
        (or of a first title), for :meth:`fill`."""
        writes = [ReplaceOne({"_id": e.id}, e.stored(), upsert=True) for e in entries]
        if writes:
            await cls.get_pymongo_collection().bulk_write(writes, ordered=False)

    @classmethod
    async def fill(cls, entries: Iterable[SearchEntry]) -> None:
        """Give their words to the places :meth:`store` holds (answers that ended, first titles), in
        one bulk write. A place that is gone stays gone: the conversation (or account) was deleted
        while its answer was written, and must not come back as search entries."""
        writes = [UpdateOne({"_id": e.id}, {"$set": {"words": e.words}}) for e in entries]
        if writes:
            await cls.get_pymongo_collection().bulk_write(writes, ordered=False)

    @classmethod
    async def delete_conversation(cls, conversation_id: PydanticObjectId) -> None:
        await cls.get_pymongo_collection().delete_many({"conversation_id": conversation_id})

    @classmethod
    async def delete_ids(cls, ids: list[PydanticObjectId]) -> None:
        """The entries of these messages (an answer that could not start takes its question back)."""
        await cls.get_pymongo_collection().delete_many({"_id": {"$in": ids}})

    @classmethod
    async def delete_for_user(cls, user_id: PydanticObjectId) -> None:
        """Every entry of a user (deleting an account; index user_words, by prefix)."""
        await cls.get_pymongo_collection().delete_many({"user_id": user_id})
