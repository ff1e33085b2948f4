"""Messages and titles stored before search existed become searchable without anyone doing anything:
each server indexes them in the background when it starts, in batches, in ``_id`` order, noting
after each batch where it got to (a restart goes on from there; once done, a start costs one read).

Only finished messages are indexed here: an answer still in flight gets its entry when it ends
(chat/checkpointer.py, chat/recovery.py). An untitled conversation gets an entry without words, the
place its first title fills (models/search_entry.py). Entries are only ever created here (``$setOnInsert``),
never replaced, so an entry written meanwhile (a rename) is kept. Two processes starting together
may both index a batch: the second finds the entries there and changes nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from beanie import Document, PydanticObjectId
from pymongo import ASCENDING, UpdateOne

from contract.documents import IN_FLIGHT
from models.conversation import Conversation
from models.message import Message
from models.search_entry import SearchEntry

log = logging.getLogger(__name__)

BATCH = 200
_IN_FLIGHT = {status.value for status in IN_FLIGHT}


class SearchBackfill(Document):
    """How far the backfill of one collection ("messages", "conversations") has got."""

    id: str  # type: ignore[assignment]  # the collection's name
    after: PydanticObjectId | None = None  # the last _id indexed
    done: bool = False

    class Settings:
        name = "search_backfill"


def _message_entry(raw: dict[str, Any]) -> SearchEntry | None:
    if raw.get("status") in _IN_FLIGHT:
        return None
    return SearchEntry.of(raw["_id"], raw["user_id"], raw["conversation_id"], raw.get("content") or "")


def _title_entry(raw: dict[str, Any]) -> SearchEntry:
    return SearchEntry.of(raw["_id"], raw["user_id"], raw["_id"], raw.get("title") or "")


async def backfill() -> int:
    """Index what is not indexed yet; how many entries this wrote."""
    written = await _backfill(Message, {"user_id": 1, "conversation_id": 1, "content": 1, "status": 1}, _message_entry)
    return written + await _backfill(Conversation, {"user_id": 1, "title": 1}, _title_entry)


async def _backfill(document: type[Document], projection: dict[str, int], entry_of: Any) -> int:
    name = document.get_collection_name()
    state = await SearchBackfill.find_one({"_id": name}) or SearchBackfill(id=name)
    written = 0
    while not state.done:
        filter_ = {"_id": {"$gt": state.after}} if state.after else {}
        cursor = document.get_pymongo_collection().find(filter_, projection).sort("_id", ASCENDING).limit(BATCH)
        batch = await cursor.to_list()
        entries = [e for e in map(entry_of, batch) if e is not None]
        if entries:
            await SearchEntry.get_pymongo_collection().bulk_write(
                [
                    UpdateOne(
                        {"_id": e.id},
                        {"$setOnInsert": {k: v for k, v in e.stored().items() if k != "_id"}},
                        upsert=True,
                    )
                    for e in entries
                ],
                ordered=False,
            )
            written += len(entries)
        state.after = batch[-1]["_id"] if batch else state.after
        state.done = len(batch) < BATCH
        await SearchBackfill.get_pymongo_collection().replace_one(
            {"_id": name}, {"after": state.after, "done": state.done}, upsert=True
        )
    if written:
        log.info("search: indexed %d earlier %s", written, name)
    return written
