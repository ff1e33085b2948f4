"""``GET /metrics``: this process's Prometheus metrics (telemetry/metrics.py), for staff only.

Prometheus signs in as a staff user's API token (``authorization: {credentials: <token>}`` in its
scrape config, sent as ``Authorization: Bearer``); a person may look with a staff session. Anyone
else gets the API's usual 401/403. The API's own endpoint wrapper checks the credentials, so a
revoked token or a disabled account stops here as everywhere else.
"""

from __future__ import annotations

from django.http import HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.endpoint import Call, operation, resource


async def metrics_text(call: Call[None, None]) -> HttpResponse:
    return HttpResponse(generate_latest(), content_type=CONTENT_TYPE_LATEST)


metrics = resource(operation("GET", summary="Prometheus metrics of this process", auth="staff")(metrics_text))
