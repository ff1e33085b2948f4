"""Who is calling: a browser by its session, any other client by ``Authorization: Bearer``.

Both HTTP views and the WebSocket use these functions, so a revoked token or a logged-out
session stops working everywhere at once. A socket outlives the request that opened it, so each
one joins its credential's channel-layer groups; ending a credential (logout, revoking a token,
changing the password) tells those groups, on every process, and their sockets close.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from beanie import PydanticObjectId
from channels.layers import get_channel_layer
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

from access.unavailable import ChannelLayerUnavailable
from models import ApiToken, User

log = logging.getLogger(__name__)

SESSION_USER_KEY = "hadra_user_id"
TOKEN_PREFIX = "hadra_"
ENDED = {"type": "auth.ended"}  # handled by ChatConsumer.auth_ended
DISABLED = {"type": "account.disabled"}  # handled by ChatConsumer.account_disabled


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def token_from_bearer(header_value: str | None) -> ApiToken | None:
    """The live (not revoked) token in an ``Authorization`` header value."""
    if not header_value:
        return None
    scheme, _, token = header_value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    record = await ApiToken.live(token_digest(token.strip()))
    if record is not None:
        await record.mark_used()
    return record


def enabled(user: User | None) -> User | None:
    """The user, unless staff disabled the account: a disabled account is signed in nowhere. Its
    sessions and tokens were ended when it was disabled; this holds against one made meanwhile."""
    return None if user is None or user.disabled else user


async def user_from_bearer(header_value: str | None) -> User | None:
    """The owner of a live token in an ``Authorization`` header value (an enabled account)."""
    record = await token_from_bearer(header_value)
    return None if record is None else enabled(await User.get(record.user_id))


async def user_from_session(session: SessionBase) -> User | None:
    """The user logged in on a Django session (read through the store's async API), if enabled."""
    raw = await session.aget(SESSION_USER_KEY)
    if not raw or not PydanticObjectId.is_valid(raw):
        return None
    return enabled(await User.get(PydanticObjectId(raw)))


async def staff_of(request: HttpRequest) -> User | None:
    """The staff user making a plain Django request (an API token, else the session), or None:
    for the pages outside the JSON API that show staff more (``/healthz``, ``/metrics``)."""
    header = request.headers.get("Authorization")
    user = await user_from_bearer(header) if header is not None else await user_from_session(request.session)
    return user if user is not None and user.is_staff else None


# -- sockets of a credential ----------------------------------------------------------------


def token_group(token_id: object) -> str:
    return f"auth.token.{token_id}"


def session_group(session_key: str) -> str:
    # Group names travel through Redis: never the key itself, which would sign anyone in.
    return "auth.session." + hashlib.sha256(session_key.encode()).hexdigest()[:40]


def user_sessions_group(user_id: object) -> str:
    """Every socket a user opened with a browser session: a new password ends them all."""
    return f"auth.sessions.{user_id}"


def credential_groups(scope: dict[str, Any]) -> list[str]:
    """The groups whose ending closes a socket authenticated as ``scope`` says."""
    if scope.get("auth_method") == "token":
        return [token_group(scope["token_id"])]
    if scope.get("auth_method") == "session":
        return [session_group(scope["session_key"]), user_sessions_group(scope["user"].id)]
    return []


async def credential_alive(scope: dict[str, Any]) -> bool:
    """Whether the socket's credential still holds (checked again after joining its groups)."""
    if scope.get("auth_method") == "token":
        return await ApiToken.live_with_id(scope["token_id"]) is not None
    if scope.get("auth_method") == "session":
        session = scope["session"]
        return await session.aexists(scope["session_key"]) and await user_from_session(session) is not None
    return False


async def end_sockets(*groups: str, event: dict[str, str] = ENDED) -> None:
    """Close, on every process, the sockets opened with a credential that just ended (``ENDED``),
    or every socket of an account that was just disabled (``DISABLED``, to its user group).

    The credential itself is already gone from the database, so every later request with it fails;
    if Redis is away, the sockets already open stay so until they reconnect (then they are refused),
    and the logout or revocation still succeeds.
    """
    layer = get_channel_layer()
    for group in groups:
        try:
            await layer.group_send(group, event)
        except ChannelLayerUnavailable as exc:
            log.warning("could not close the sockets of an ended credential: %s", exc)
