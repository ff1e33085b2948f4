"""The id of a document read from or written to MongoDB.

Beanie types every document's ``id`` as optional, because a document built in memory has none until
it is inserted; code that holds a stored one says so here, once, instead of asserting it in place.
"""

from __future__ import annotations

from beanie import Document, PydanticObjectId


def stored_id(document: Document) -> PydanticObjectId:
    if document.id is None:
        raise ValueError(f"this {type(document).__name__} is not stored yet: it has no id")
    return document.id
