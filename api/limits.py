"""The API's own limits. Each can be changed in ``HADRA_LIMITS`` (asgi_app/settings.py); the
defaults here apply until it names them."""

from __future__ import annotations

from django.conf import settings

from access import ratelimit
from contract.errors import rate_limited

# Every JSON body but an import: a system prompt is the largest thing a normal request carries.
MAX_JSON_BODY_BYTES = 256 * 1024
DEFAULT_MAX_IMPORT_BYTES = 16 * 1024 * 1024
LOGIN_WINDOW_S = 60.0
TOKEN_WINDOW_S = 60.0


def max_import_bytes() -> int:
    return int(settings.HADRA_LIMITS.get("max_import_bytes", DEFAULT_MAX_IMPORT_BYTES))


def login_attempts_per_minute() -> int:
    return int(settings.HADRA_LIMITS["login_attempts_per_minute"])


def login_attempts_per_address_per_minute() -> int:
    return int(settings.HADRA_LIMITS["login_attempts_per_address_per_minute"])


def token_creations_per_minute() -> int:
    return int(settings.HADRA_LIMITS["token_creations_per_minute"])


async def throttle(key: str, limit: int, window_s: float, refusal: str) -> None:
    """Count one attempt for ``key``; past ``limit`` in ``window_s``, a 429 that says ``refusal``
    and when to try again."""
    decision = await ratelimit.hit(key, limit, window_s)
    if not decision.allowed:
        raise rate_limited(refusal, decision.retry_after_s)
