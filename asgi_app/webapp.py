"""Serve the built React app (web/dist) from Django: one server for users, no Node at run time."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.static import serve


def asset(request, path: str):
    # Vite fingerprints asset names, so they can be cached for a year.
    response = serve(request, path, document_root=settings.WEB_DIST / "assets")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@ensure_csrf_cookie
def index(request, *args, **kwargs):
    page = settings.WEB_DIST / "index.html"
    if not page.exists():
        return HttpResponse(
            "The web app is not built. Run `make web` (or `make run`, which builds it).",
            status=503,
            content_type="text/plain",
        )
    response = FileResponse(page.open("rb"), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
