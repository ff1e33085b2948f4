"""Which model answers: the conversation's own, else the admin-activated fine-tune, else the default;
and what a new conversation starts with (what the question asked for, else the account's defaults).

The default is cached per process for a few seconds, so a new conversation's first token does not
wait for a database query; an admin's activation reaches every process at once through the
``models`` group (``remember_default_model``), and the short expiry covers a missed broadcast.

Each change carries its place in the activation stack (``seq``): announcements of two changes made
at once may arrive in either order, and the older one must not win; nor may a database read that
was overtaken by a newer announcement.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from beanie import PydanticObjectId
from django.conf import settings

from contract.documents import ModelNote
from models import Activation, ModelVersion, User

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


def spellings(model: str) -> list[str]:
    """Ollama's spellings of one model: ``name`` and ``name:latest`` are the same."""
    base = model.removesuffix(":latest")
    return [base, f"{base}:latest"]


@dataclass(frozen=True)
class Start:
    """What a new conversation starts with: its model (None: the server's default), its system
    prompt, and why the model is not the one the account pinned (None: it is)."""

    model: str | None
    system_prompt: str
    model_note: ModelNote | None = None


async def for_new_conversation(user_id: PydanticObjectId, model: str | None, system_prompt: str | None) -> Start:
    """The question's model and system prompt, else the account's defaults. They are read here,
    not from the socket's user: that was loaded when the socket opened, before any later change of
    settings. A pinned default that was retired gives way to the server's default: the conversation
    gets a note, and the account goes back to the server's default with a notice (as the retiring
    admin's request does for every account pinned to it at that moment)."""
    if model is not None and system_prompt is not None:
        return Start(model, system_prompt)
    account = await User.get(user_id)
    prompt = system_prompt if system_prompt is not None else (account.default_system_prompt if account else "")
    if model is not None or account is None or account.default_model is None:
        return Start(model, prompt)
    pinned = account.default_model
    names = spellings(pinned)
    if settings.DEFAULT_MODEL in names or not await ModelVersion.retired_model(names):
        return Start(pinned, prompt)
    note = ModelNote.retired(pinned)
    await User.move_off_model(names, note)
    return Start(None, prompt, note)
