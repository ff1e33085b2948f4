"""HTTP middleware: make sure Beanie is ready on this loop before any view touches MongoDB."""

from __future__ import annotations

from asgiref.sync import markcoroutinefunction
from django.http import JsonResponse

from access import unavailable
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
            body = {"error": {"code": unavailable.CODE, "message": unavailable.message(exc)}}
            return JsonResponse(body, status=503, headers={"Retry-After": str(unavailable.RETRY_AFTER_S)})
        return await self.get_response(request)
