"""Who is calling: a browser by its session, any other client by ``Authorization: Bearer``.

Both HTTP views and the WebSocket use these two functions, so a revoked token or a logged-out
session stops working everywhere at once.
"""

from __future__ import annotations

import hashlib

from beanie import PydanticObjectId

from models import ApiToken, User
from models.clock import utcnow

SESSION_USER_KEY = "hadra_user_id"
TOKEN_PREFIX = "hadra_"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def user_from_bearer(header_value: str | None) -> User | None:
    """The owner of a live (not revoked) token in an ``Authorization`` header value."""
    if not header_value:
        return None
    scheme, _, token = header_value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    record = await ApiToken.find_one({"token_sha256": token_digest(token.strip())})
    if record is None or record.revoked_at is not None:
        return None
    await record.set({"last_used_at": utcnow()})
    return await User.get(record.user_id)


async def user_from_session(session) -> User | None:
    """The user logged in on a Django session (sync store, so read through its async API)."""
    raw = await session.aget(SESSION_USER_KEY)
    if not raw or not PydanticObjectId.is_valid(raw):
        return None
    return await User.get(PydanticObjectId(raw))
