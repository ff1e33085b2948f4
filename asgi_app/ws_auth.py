"""WebSocket authentication: ``Authorization: Bearer`` for any client, the session cookie for
browsers — but only from an allowed Origin, so another site cannot ride a user's cookie
(cross-site WebSocket hijacking). Browsers cannot set headers on a WebSocket, so a bearer
token is never something a foreign page can forge."""

from __future__ import annotations

from urllib.parse import urlparse

from channels.middleware import BaseMiddleware
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.conf import settings
from django.http.request import split_domain_port, validate_host

from asgi_app.auth import user_from_bearer, user_from_session
from asgi_app.startup import ensure_started


def origin_allowed(origin: str | None) -> bool:
    """Same rule as Django's CSRF check: an allowed host, or an explicitly trusted origin."""
    if not origin:
        return False
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    parsed = urlparse(origin)
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        return False
    host, _port = split_domain_port(parsed.netloc)
    allowed = settings.ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]
    return validate_host(host, allowed)


class _Authenticate(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        await ensure_started()
        user = await user_from_bearer(headers.get("authorization"))
        auth_method = "token" if user is not None else None
        if user is None and origin_allowed(headers.get("origin")):
            user = await user_from_session(scope["session"])
            auth_method = "session" if user is not None else None
        scope = {**scope, "user": user, "auth_method": auth_method}
        return await super().__call__(scope, receive, send)


def WebSocketAuthStack(inner):
    return CookieMiddleware(SessionMiddleware(_Authenticate(inner)))
