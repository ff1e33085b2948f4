"""Channel-layer groups and the frames that travel through them.

``conversation.<id>``: every socket that has the conversation open; deltas, sync and done go here.
``generation.<message id>``: only the task generating that answer, wherever it runs; stop and sync
requests go here, so they reach the right process through Redis with nobody tracking where.
``models``: every socket; admins' model changes go here.
Frames are serialised once by the sender; consumers relay the text as it is.
"""

from __future__ import annotations

import json
from typing import Any

from channels.layers import get_channel_layer

MODELS_GROUP = "models"
RELAY_TYPE = "chat.event"  # handled by ChatConsumer.chat_event


def conversation_group(conversation_id: object) -> str:
    return f"conversation.{conversation_id}"


def generation_group(message_id: object) -> str:
    return f"generation.{message_id}"


def frame(type_: str, **fields: Any) -> str:
    return json.dumps({"type": type_, **fields}, default=str, ensure_ascii=False)


async def to_group(group: str, type_: str, **fields: Any) -> None:
    """A frame for every socket in ``group``, serialised once here."""
    await get_channel_layer().group_send(group, {"type": RELAY_TYPE, "frame": frame(type_, **fields)})


async def to_conversation(conversation_id: object, type_: str, **fields: Any) -> None:
    await to_group(conversation_group(conversation_id), type_, **fields)


async def to_channel(channel: str, type_: str, **fields: Any) -> None:
    await get_channel_layer().send(channel, {"type": RELAY_TYPE, "frame": frame(type_, **fields)})


async def to_generation(message_id: object, message: dict[str, Any]) -> None:
    await get_channel_layer().group_send(generation_group(message_id), message)


def user_group(user_id: object) -> str:
    """Every socket of one user: sidebar changes (new conversation, new title) reach all tabs."""
    return f"user.{user_id}"


async def to_user(user_id: object, type_: str, **fields: Any) -> None:
    await to_group(user_group(user_id), type_, **fields)
