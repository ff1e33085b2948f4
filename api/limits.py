"""The API's own limits. Each can be changed in ``HADRA_LIMITS`` (asgi_app/settings.py); the
defaults here apply until it names them."""

from __future__ import annotations

from django.conf import settings

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
