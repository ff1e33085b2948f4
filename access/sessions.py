"""Django sessions stored in MongoDB (models.Session), so there is no relational database to run.

Why not signed cookies: a cookie session cannot be revoked, and logout must end a session
everywhere. Why not the cache backend: sessions would vanish on every restart of a
single-process install. Why async only: the sessions go through the models' one client per event
loop, like every other query; every caller awaits Django's async session API (``aget``, ``asave``
...): the HTTP side through access/session_middleware.py, the WebSocket side through Channels'
SessionMiddleware (which saves with ``asave``) and access/auth.py. The sync methods are left to
SessionBase, which refuses them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.contrib.sessions.backends.base import CreateError, SessionBase, UpdateError

from access.auth import SESSION_USER_KEY, end_sockets, session_group, user_sessions_group
from models import Session


async def end_user_sessions(user_id: object) -> None:
    """End every browser session of a user (a new password) and close their sockets everywhere."""
    store = SessionStore()
    await Session.end_of_user(str(user_id), lambda data: store.decode(data).get(SESSION_USER_KEY))
    await end_sockets(user_sessions_group(user_id))


class SessionStore(SessionBase):
    async def aload(self) -> dict:
        stored = await Session.live(self.session_key) if self.session_key else None
        if stored is None:
            self._session_key = None  # an expired or ended key is never reused: a new one is made
            return {}
        return self.decode(stored.data)

    async def aexists(self, session_key: str) -> bool:
        return await Session.key_taken(session_key)

    async def acreate(self) -> None:
        while True:
            self._session_key = await self._aget_new_session_key()
            try:
                await self.asave(must_create=True)
            except CreateError:
                continue
            self.modified = True
            return

    async def asave(self, must_create: bool = False) -> None:
        if self.session_key is None:
            await self.acreate()
            return
        data = await self._aget_session(no_load=must_create)
        fields = {
            "data": self.encode(data),
            "user_id": data.get(SESSION_USER_KEY),
            "expire_at": datetime.now(UTC) + timedelta(seconds=await self.aget_expiry_age()),
        }
        if must_create:
            if not await Session.start(self.session_key, **fields):
                raise CreateError
        elif not await Session.rewrite(self.session_key, **fields):
            raise UpdateError  # deleted meanwhile (logout in another tab): do not resurrect it

    async def adelete(self, session_key: str | None = None) -> None:
        """Logout, a new key at login: the sockets opened with the old key close on every process."""
        key = session_key or self.session_key
        if key is None:
            return
        await Session.end(key)
        await end_sockets(session_group(key))

    @classmethod
    async def aclear_expired(cls) -> None:
        await Session.end_expired()
