"""Which model answers: the conversation's own, else the admin-activated fine-tune, else the default.

The default is cached per process for a few seconds, so a new conversation's first token does not
wait for a database query; an admin's activation reaches every process at once through the
``models`` group (``remember_default_model``), and the short expiry covers a missed broadcast.

Each change carries its place in the activation stack (``seq``): announcements of two changes made
at once may arrive in either order, and the older one must not win; nor may a database read that
was overtaken by a newer announcement.
"""

from __future__ import annotations

import time

from django.conf import settings

from models import Activation

CACHE_FOR_S = 5.0

_cached: tuple[str, float] | None = None
_seq = 0  # the activation-stack entry the cached default comes from
_announced = 0  # announcements taken, to tell whether one arrived while the database was read


async def default_model() -> str:
    global _cached, _seq
    if _cached is not None and _cached[1] > time.monotonic():
        return _cached[0]
    before = _announced
    top = await Activation.current()
    seq = top.seq if top else 0
    # The database is the truth (also when it holds an older entry: a database reset), unless a
    # newer change was announced while it was being read.
    if _announced == before or seq >= _seq:
        model = top.model if top and top.version_id else settings.DEFAULT_MODEL
        _cached, _seq = (model, time.monotonic() + CACHE_FOR_S), seq
    assert _cached is not None
    return _cached[0]


def remember_default_model(model: str, seq: int) -> bool:
    """An announced change: taken unless a newer one (higher ``seq``) was already seen; whether it
    was taken."""
    global _cached, _seq, _announced
    if seq < _seq:
        return False
    _cached, _seq, _announced = (model, time.monotonic() + CACHE_FOR_S), seq, _announced + 1
    return True
