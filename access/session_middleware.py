"""HTTP sessions for an async-only store: Django's SessionMiddleware, awaiting the session API.

Why not Django's own: in Django 5.2 its ``process_response`` calls the sync API
(``request.session.save()``), which the store (access/sessions.py) does not offer — its queries
run on the event loop's one database client. Same behaviour otherwise: the session loads only when
a view reads it, is saved only when modified (or SESSION_SAVE_EVERY_REQUEST), never on a 5xx, and
its cookie is set with the SESSION_COOKIE_* settings, or deleted once the session is emptied.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from importlib import import_module

from asgiref.sync import markcoroutinefunction
from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.exceptions import SessionInterrupted
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date


class SessionMiddleware:
    async_capable = True
    sync_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], Awaitable[HttpResponseBase]]) -> None:
        self.get_response = get_response
        self.store = import_module(settings.SESSION_ENGINE).SessionStore
        markcoroutinefunction(self)

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request.session = self.store(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
        response = await self.get_response(request)
        await self._finish(request, response)
        return response

    async def _finish(self, request: HttpRequest, response: HttpResponseBase) -> None:
        session = request.session
        empty = session.is_empty()
        if settings.SESSION_COOKIE_NAME in request.COOKIES and empty:
            response.delete_cookie(
                settings.SESSION_COOKIE_NAME,
                path=settings.SESSION_COOKIE_PATH,
                domain=settings.SESSION_COOKIE_DOMAIN,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
            patch_vary_headers(response, ("Cookie",))
            return
        # A response that depends on the session must not be cached for another visitor.
        vary = session.accessed
        if (session.modified or settings.SESSION_SAVE_EVERY_REQUEST) and not empty and response.status_code < 500:
            max_age: int | None = None
            expires: str | None = None
            if not await session.aget_expire_at_browser_close():
                max_age = await session.aget_expiry_age()
                expires = http_date(time.time() + max_age)
            try:
                await session.asave()
            except UpdateError:
                raise SessionInterrupted(
                    "The request's session was deleted before the request completed. "
                    "The user may have logged out in a concurrent request, for example."
                ) from None
            response.set_cookie(
                settings.SESSION_COOKIE_NAME,
                session.session_key,
                max_age=max_age,
                expires=expires,
                domain=settings.SESSION_COOKIE_DOMAIN,
                path=settings.SESSION_COOKIE_PATH,
                secure=settings.SESSION_COOKIE_SECURE or None,
                httponly=settings.SESSION_COOKIE_HTTPONLY or None,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
            vary = True
        if vary:
            patch_vary_headers(response, ("Cookie",))
