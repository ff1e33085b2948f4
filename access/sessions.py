"""Django sessions stored in MongoDB, so there is no relational database to run.

Why not signed cookies: a cookie session cannot be revoked, and logout must end a session
everywhere. Why not the cache backend: sessions would vanish on every restart of a
single-process install. Django's session API is synchronous; a lookup by ``_id`` costs about
a millisecond, so a small synchronous PyMongo client is simpler than threading the async one
through Django's sync call sites. Channels' SessionMiddleware already runs it in a thread.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.sessions.backends.base import CreateError, SessionBase, UpdateError
from pymongo import MongoClient
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from access.auth import SESSION_USER_KEY, end_sockets, session_group, user_sessions_group

_lock = threading.Lock()
_collection: Collection | None = None


def sessions_collection() -> Collection:
    global _collection
    with _lock:
        if _collection is None:
            client: MongoClient = MongoClient(settings.MONGODB_URI, serverSelectionTimeoutMS=5000, tz_aware=True)
            _collection = client.get_default_database("hadra")["sessions"]
            # Expired sessions are also ignored on load, so a server without TTL support is still safe.
            _collection.create_index("expire_at", expireAfterSeconds=0, name="expire_at_ttl")
            # A new password ends every session of its user: found by this index.
            _collection.create_index("user_id", name="user_id")
        return _collection


async def end_user_sessions(user_id: object) -> None:
    """End every browser session of a user (a new password) and close their sockets everywhere."""
    await asyncio.to_thread(_delete_user_sessions, str(user_id))
    await end_sockets(user_sessions_group(user_id))


def _delete_user_sessions(user_id: str) -> None:
    collection = sessions_collection()
    collection.delete_many({"user_id": user_id})
    # Sessions saved before they carried ``user_id`` are found by their data: a scan, but a new
    # password is rare, and a session that outlived one would be a way back in.
    store = SessionStore()
    legacy = [
        doc["_id"]
        for doc in collection.find({"user_id": {"$exists": False}}, {"data": 1})
        if store.decode(doc["data"]).get(SESSION_USER_KEY) == user_id
    ]
    if legacy:
        collection.delete_many({"_id": {"$in": legacy}})


class SessionStore(SessionBase):
    def load(self) -> dict:
        doc = sessions_collection().find_one({"_id": self._get_or_create_session_key()})
        if doc is None or doc["expire_at"] <= datetime.now(UTC):
            self._session_key = None
            return {}
        return self.decode(doc["data"])

    def exists(self, session_key: str) -> bool:
        return sessions_collection().count_documents({"_id": session_key}, limit=1) > 0

    def create(self) -> None:
        while True:
            self._session_key = self._get_new_session_key()
            try:
                self.save(must_create=True)
            except CreateError:
                continue
            self.modified = True
            return

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            self.create()
            return
        data = self._get_session(no_load=must_create)
        doc = {
            "data": self.encode(data),
            "user_id": data.get(SESSION_USER_KEY),
            "expire_at": datetime.now(UTC) + timedelta(seconds=self.get_expiry_age()),
        }
        coll = sessions_collection()
        if must_create:
            try:
                coll.insert_one({"_id": self._get_or_create_session_key(), **doc})
            except DuplicateKeyError as exc:
                raise CreateError from exc
            return
        result = coll.update_one({"_id": self.session_key}, {"$set": doc}, upsert=False)
        if result.matched_count == 0:
            # The session was deleted meanwhile (logout in another tab): do not resurrect it.
            raise UpdateError

    async def adelete(self, session_key: str | None = None) -> None:
        """Logout, a new key at login: the sockets opened with the old key close on every process."""
        key = session_key or self.session_key
        await asyncio.to_thread(self.delete, key)
        if key is not None:
            await end_sockets(session_group(key))

    def delete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        if key is None:
            return
        sessions_collection().delete_one({"_id": key})

    @classmethod
    def clear_expired(cls) -> None:
        sessions_collection().delete_many({"expire_at": {"$lte": datetime.now(UTC)}})
