"""Which model answers: the conversation's own, else the admin-activated fine-tune, else the default.

The default is cached per process for a few seconds, so a new conversation's first token does not
wait for a database query; an admin's activation reaches every process at once through the
``models`` group (``remember_default_model``), and the short expiry covers a missed broadcast.
"""

from __future__ import annotations

import time

from django.conf import settings

from models import ModelVersion

CACHE_FOR_S = 5.0

_cached: tuple[str, float] | None = None


async def default_model() -> str:
    if _cached is not None and _cached[1] > time.monotonic():
        return _cached[0]
    active = await ModelVersion.active()
    model = active.ollama_model if active else settings.DEFAULT_MODEL
    remember_default_model(model)
    return model


def remember_default_model(model: str) -> None:
    global _cached
    _cached = (model, time.monotonic() + CACHE_FOR_S)
