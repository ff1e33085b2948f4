"""A whole database to one archive file and back: hadra's backup where MongoDB's own tools cannot
be had. No registry ships ``mongodump`` for the embedded install (SecantusDB): Debian has no
mongo-tools and PyPI no database tools; against a real MongoDB, ``mongodump``/``mongorestore`` are
the better tools (README, "Backups and data requests").

The archive is gzip over a run of BSON documents, so every value keeps its exact type (ids, times,
binary) and documents are copied as the database sent them, never decoded:

- a header ``{"format": "hadra.dump", "version": 1, "database", "dumped_at"}``;
- per collection, ``{"collection": name, "options": {...}, "indexes": [...]}`` and then one
  ``{"document": ...}`` per document;
- an end ``{"end": {collection: count}}``, so a cut-off archive is told apart from a whole one.

Collections are read one after another, with no snapshot (SecantusDB accepts a snapshot session
but does not isolate it): what hadra writes during a dump may be partly in it. Stop hadra's web
processes (the database can keep running) for an archive of one moment.
"""

from __future__ import annotations

import gzip
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any, cast

import bson
from bson.codec_options import CodecOptions
from bson.errors import InvalidBSON
from bson.raw_bson import RawBSONDocument
from pymongo import MongoClient
from pymongo.collection import Collection
from pymongo.database import Database

from models.clock import utcnow

FORMAT = "hadra.dump"
VERSION = 1
BATCH = 1000
RAW = CodecOptions(document_class=RawBSONDocument, tz_aware=True)
# Index fields the server fills in itself; everything else (unique, partial, TTL…) is restored.
SERVER_INDEX_FIELDS = {"v", "ns"}


class ArchiveError(ValueError):
    """The file is not a whole hadra archive, or the target database cannot take it as asked."""


def dump(uri: str, out: IO[bytes]) -> dict[str, int]:
    """Every collection of the URI's database into ``out``; how many documents each had."""
    counts: dict[str, int] = {}
    with _client(uri) as client, gzip.GzipFile(fileobj=out, mode="wb") as archive:
        db = client.get_default_database("hadra")
        archive.write(bson.encode({"format": FORMAT, "version": VERSION, "database": db.name, "dumped_at": utcnow()}))
        for info in sorted(db.list_collections(filter={"type": "collection"}), key=lambda i: i["name"]):
            name = info["name"]
            if name.startswith("system."):
                continue
            collection = db.get_collection(name, codec_options=RAW)
            indexes = [
                {k: v for k, v in index.items() if k not in SERVER_INDEX_FIELDS}
                for index in db[name].list_indexes()
                if index["name"] != "_id_"
            ]
            archive.write(bson.encode({"collection": name, "options": info.get("options", {}), "indexes": indexes}))
            counts[name] = 0
            # In _id order: an id never changes, so a document updated meanwhile is still read once.
            for document in collection.find({}, sort=[("_id", 1)]):
                archive.write(bson.encode({"document": document}))
                counts[name] += 1
        archive.write(bson.encode({"end": counts}))
    return counts


def restore(uri: str, source: IO[bytes], *, drop: bool = False) -> dict[str, int]:
    """An archive into the URI's database (whatever name it had when dumped); how many documents
    each collection got. Without ``drop`` the database must hold no documents yet; with it, each
    collection of the archive is dropped before it is restored (others are left as they are).

    The whole archive is read once before anything is written: a cut-off or damaged one is refused
    with the database as it was, never half restored (standard input is kept in a temporary file
    for the second reading)."""
    with _client(uri) as client, _rereadable(source) as archive:
        db = client.get_default_database("hadra")
        if not drop:
            _check_empty(db)
        start = archive.tell()
        _verify(_records(archive))
        archive.seek(start)
        records = _records(archive)
        next(records)  # the header, checked
        into = _Restoring(db, drop)
        for record in records:
            if "document" in record:
                into.add(record["document"])
                continue
            into.finish_collection()
            if "end" in record:
                return into.counts
            into.start_collection(record["collection"], _plain(record["options"]), _plain(record["indexes"]))
        raise ArchiveError("The archive changed while it was restored.")


def _verify(records: Iterator[RawBSONDocument]) -> None:
    """A whole archive of this format: its header, each document after its collection, and the
    counts of its end record; ``ArchiveError`` saying what is wrong otherwise."""
    header = next(records, None)
    if header is None or (header.get("format"), header.get("version")) != (FORMAT, VERSION):
        raise ArchiveError(f"Not a {FORMAT} version {VERSION} archive.")
    counts: dict[str, int] = {}
    collection: str | None = None
    for record in records:
        if "document" in record:
            if collection is None:
                raise ArchiveError("A document comes before its collection: the archive is damaged.")
            counts[collection] += 1
        elif "end" in record:
            if dict(record["end"]) != counts:
                raise ArchiveError(f"The archive lists {dict(record['end'])} documents but holds {counts}.")
            return
        else:
            collection = record["collection"]
            counts[collection] = 0
    raise ArchiveError(f"The archive ends early (after {counts}): it was cut off while written or copied.")


@contextmanager
def _rereadable(source: IO[bytes]) -> Iterator[IO[bytes]]:
    """``source`` itself when it can be read again from where it stands, else a temporary copy."""
    if source.seekable():
        yield source
        return
    with tempfile.TemporaryFile() as copy:
        shutil.copyfileobj(source, copy)
        copy.seek(0)
        yield copy


class _Restoring:
    """The collection being restored: its documents go in batches, its indexes once they are in
    (one build instead of one update per insert, as mongorestore does)."""

    def __init__(self, db: Database, drop: bool) -> None:
        self.db = db
        self.drop = drop
        self.counts: dict[str, int] = {}
        self.collection: Collection | None = None
        self.indexes: list[dict[str, Any]] = []
        self.batch: list[RawBSONDocument] = []

    def start_collection(self, name: str, options: dict[str, Any], indexes: list[dict[str, Any]]) -> None:
        if self.drop:
            self.db.drop_collection(name)
        if name not in self.db.list_collection_names():
            self.db.command({"create": name, **options})
        self.collection = self.db.get_collection(name, codec_options=RAW)
        self.indexes = indexes
        self.counts[name] = 0

    def add(self, document: RawBSONDocument) -> None:
        self.batch.append(document)
        if len(self.batch) == BATCH:
            self._flush()

    def finish_collection(self) -> None:
        if self.collection is None:
            return
        self._flush()
        if self.indexes:
            self.db.command({"createIndexes": self.collection.name, "indexes": self.indexes})
        self.collection = None

    def _flush(self) -> None:
        if self.collection is not None and self.batch:
            self.collection.insert_many(self.batch, ordered=True)
            self.counts[self.collection.name] += len(self.batch)
            self.batch = []


def _client(uri: str) -> MongoClient:
    return MongoClient(uri, serverSelectionTimeoutMS=10_000, tz_aware=True)


def _records(source: IO[bytes]) -> Iterator[RawBSONDocument]:
    try:
        with gzip.GzipFile(fileobj=source, mode="rb") as archive:
            yield from bson.decode_file_iter(cast(IO[bytes], archive), RAW)
    except (OSError, EOFError, InvalidBSON) as exc:
        raise ArchiveError(f"The archive cannot be read ({exc}): it is damaged or not a {FORMAT} archive.") from None


def _plain(value: Any) -> Any:
    """A raw BSON value as plain Python (options and index specs are passed on as commands)."""
    return bson.decode(value.raw) if isinstance(value, RawBSONDocument) else [_plain(v) for v in value]


def _check_empty(db: Database) -> None:
    for name in db.list_collection_names():
        if not name.startswith("system.") and db[name].find_one({}, projection={"_id": 1}) is not None:
            raise ArchiveError(
                f"The database {db.name} already holds documents (in {name}): restore into an empty "
                "database, or pass --drop to replace the archive's collections."
            )
