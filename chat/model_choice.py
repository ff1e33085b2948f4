"""Which model answers: the conversation's own, else the admin-activated fine-tune, else the default.

The default is cached per process for a few seconds, so a new conversation's first token does not
wait for a database query; an admin's activation reaches every process at once through the
``models`` group (``remember_default_model``), and the short expiry covers a missed broadcast.

Each change carries its place in the activation stack (``seq``): announcements of two changes made
at once may arrive in either order, and the older one must not win. What the database says is
always taken (it is the newest state when read).
"""

from __future__ import annotations

import time

from django.conf import settings

from models import Activation

CACHE_FOR_S = 5.0

_cached: tuple[str, float] | None = None
_seq = 0


async def default_model() -> str:
    global _seq
    if _cached is not None and _cached[1] > time.monotonic():
        return _cached[0]
    top = await Activation.current()
    _seq = 0  # the database is the truth, also when it holds an older entry (a fresh database)
    remember_default_model(top.model if top and top.version_id else settings.DEFAULT_MODEL, top.seq if top else 0)
    assert _cached is not None
    return _cached[0]


def remember_default_model(model: str, seq: int) -> bool:
    """Take ``model`` as the default unless a newer change (higher ``seq``) was already seen;
    whether it was taken."""
    global _cached, _seq
    if seq < _seq:
        return False
    _cached, _seq = (model, time.monotonic() + CACHE_FOR_S), seq
    return True
