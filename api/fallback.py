"""The JSON 404 for any /api/ path that is not an endpoint (Django would answer with HTML)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt

from api.errors import error_response
from contract.errors import ErrorCode, HadraError


@csrf_exempt
async def no_such_endpoint(request: HttpRequest) -> HttpResponse:
    hint = " See GET /api/openapi.json for every endpoint."
    if request.path.endswith("/") and request.path != "/api/":
        try:
            if getattr(resolve(request.path[:-1]).func, "operations", None):
                hint = f" Did you mean {request.path[:-1]} (no trailing slash)?"
        except Resolver404:
            pass
    return error_response(
        HadraError(ErrorCode.NO_SUCH_ENDPOINT, f"There is no endpoint at {request.path[:200]}.{hint}")
    )
