"""WebSocket authentication: ``Authorization: Bearer`` for any client, the session cookie for
browsers — but only from this server's own origin or an explicitly trusted one, so another site
cannot ride a user's cookie (cross-site WebSocket hijacking). Browsers cannot set headers on a
WebSocket, so a bearer token is never something a foreign page can forge."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from channels.middleware import BaseMiddleware
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.conf import settings
from django.http.request import split_domain_port, validate_host

from access.auth import credential_groups, enabled, token_from_bearer, user_from_session
from models import User


def origin_allowed(origin: str | None, host: str | None, scheme: str) -> bool:
    """Django's CSRF origin rule, for a socket: the Origin must be exactly this server's own
    (scheme, host and port, as the browser reached it) on an allowed host, or one listed in
    CSRF_TRUSTED_ORIGINS. A page on the same host name but another port or scheme is another site."""
    if not origin or origin == "null":
        return False
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    if not host:
        return False
    domain, _port = split_domain_port(host)
    allowed = settings.ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]
    own = ("https" if scheme == "wss" else "http") + "://" + host
    return validate_host(domain, allowed) and origin.lower() == own.lower()


class _Authenticate(BaseMiddleware):
    def __init__(self, inner: Any, ready: Callable[[], Awaitable[None]]) -> None:
        super().__init__(inner)
        self.ready = ready

    async def __call__(self, scope, receive, send):
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        await self.ready()
        found: dict[str, Any] = {"user": None, "auth_method": None}
        token = await token_from_bearer(headers.get("authorization"))
        if token is not None:
            user = enabled(await User.get(token.user_id))
            if user is not None:
                found = {"user": user, "auth_method": "token", "token_id": token.id}
        elif origin_allowed(headers.get("origin"), headers.get("host"), scope.get("scheme", "ws")):
            session = scope["session"]
            user = await user_from_session(session)
            if user is not None and session.session_key:
                found = {"user": user, "auth_method": "session", "session_key": session.session_key}
        scope = {**scope, **found}
        scope["credential_groups"] = credential_groups(scope)
        return await super().__call__(scope, receive, send)


def WebSocketAuthStack(inner: Any, ready: Callable[[], Awaitable[None]]) -> Any:
    """``ready`` runs before the credentials are read: the composition root's once-per-loop start-up
    (the database client), which this package does not know about."""
    return CookieMiddleware(SessionMiddleware(_Authenticate(inner, ready)))
