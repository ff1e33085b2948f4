"""The Content-Security-Policy header on every response (Django 5.2 has no CSP of its own).

One fixed policy from settings.CONTENT_SECURITY_POLICY, plus the WebSocket origin of the host the
page was asked for in ``connect-src``: CSP Level 3 lets ``'self'`` match ws/wss of the page's own
origin, but not every browser in use does, and the app cannot chat without its socket.
The host is Django's validated one (ALLOWED_HOSTS), never raw header text.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin

HEADER = "Content-Security-Policy"


def policy(request: HttpRequest) -> str:
    directives = {name: list(sources) for name, sources in settings.CONTENT_SECURITY_POLICY.items()}
    try:
        host = request.get_host()
    except DisallowedHost:  # answered with a 400 anyway; the fixed policy is enough for it
        host = ""
    if host:
        directives.setdefault("connect-src", []).extend([f"ws://{host}", f"wss://{host}"])
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


class ContentSecurityPolicyMiddleware(MiddlewareMixin):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if HEADER not in response:
            response[HEADER] = policy(request)
        return response
