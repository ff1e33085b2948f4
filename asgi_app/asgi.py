"""ASGI entry point: HTTP to Django, WebSockets (Origin-checked, authenticated) to consumers/."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asgi_app.settings")

from django.core.asgi import get_asgi_application

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import path  # noqa: E402

from access.ws_auth import WebSocketAuthStack  # noqa: E402
from asgi_app.startup import ensure_started  # noqa: E402
from consumers.chat import ChatConsumer  # noqa: E402
from telemetry import metrics  # noqa: E402

# Its own listener, when asked for: open as the process starts, before any request (an idle process is scraped too).
metrics.serve(settings.HADRA_METRICS_PORT, settings.HADRA_METRICS_ADDR)

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": WebSocketAuthStack(URLRouter([path("ws/chat/", ChatConsumer.as_asgi())]), ready=ensure_started),
    }
)
