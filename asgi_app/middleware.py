"""HTTP middleware: make sure Beanie is ready on this loop before any view touches MongoDB."""

from __future__ import annotations

from asgiref.sync import markcoroutinefunction

from access import unavailable
from api.errors import error_response
from asgi_app.startup import ensure_started


class DatabaseMiddleware:
    async_capable = True
    sync_capable = False

    def __init__(self, get_response):
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request):
        try:
            await ensure_started()
        except unavailable.UNAVAILABLE as exc:  # the database is down: the next request tries again
            return error_response(unavailable.error(exc))
        return await self.get_response(request)
