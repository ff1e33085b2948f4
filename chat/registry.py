"""The generations running in this process, by answer id. Tasks belong to the process, not to a
socket: closing a tab leaves the answer running; a stop from anywhere reaches it by group."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chat.generation import Generation

# Identifies this process in Message.worker_id; the start-up sweep spares answers of live workers.
WORKER_ID = uuid.uuid4().hex

_running: dict[str, Generation] = {}


def add(generation: Generation) -> None:
    _running[str(generation.message.id)] = generation


def remove(generation: Generation) -> None:
    _running.pop(str(generation.message.id), None)


def get(message_id: object) -> Generation | None:
    return _running.get(str(message_id))


def running() -> list[Generation]:
    return list(_running.values())
