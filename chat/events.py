"""Channel-layer groups and the frames that travel through them.

``conversation.<id>``: every socket that has the conversation open; deltas, sync and done go here.
``generation.<message id>``: only the task generating that answer, wherever it runs; stop and sync
requests go here, so they reach the right process through Redis with nobody tracking where.
``user.<id>``: every socket of one user; sidebar changes (new conversation, new title, deletion).
``models``: every socket; admins' model changes go here.
Frames are contract models, serialised once here by the sender; consumers relay the text as it is.
"""

from __future__ import annotations

from typing import Any

from channels.layers import get_channel_layer

from contract.frames import ServerFrameBase

MODELS_GROUP = "models"
RELAY_TYPE = "chat.event"  # handled by ChatConsumer.chat_event


def conversation_group(conversation_id: object) -> str:
    return f"conversation.{conversation_id}"


def conversation_of(group: str) -> str | None:
    """The conversation id of a ``conversation.<id>`` group, None for other groups."""
    prefix, _, rest = group.partition(".")
    return rest if prefix == "conversation" else None


def generation_group(message_id: object) -> str:
    return f"generation.{message_id}"


def user_group(user_id: object) -> str:
    return f"user.{user_id}"


def relayed(frame: ServerFrameBase, **extra: Any) -> dict[str, Any]:
    """A channel-layer message carrying ``frame``'s JSON; ``extra`` keys are for the receiving
    consumer's handler (``type`` picks it)."""
    return {"type": RELAY_TYPE, "frame": frame.model_dump_json()} | extra


async def to_group(group: str, frame: ServerFrameBase) -> None:
    await get_channel_layer().group_send(group, relayed(frame))


async def to_conversation(conversation_id: object, frame: ServerFrameBase) -> None:
    await to_group(conversation_group(conversation_id), frame)


async def to_user(user_id: object, frame: ServerFrameBase) -> None:
    await to_group(user_group(user_id), frame)


async def to_channel(channel: str, frame: ServerFrameBase) -> None:
    await get_channel_layer().send(channel, relayed(frame))


async def to_generation(message_id: object, message: dict[str, Any]) -> None:
    """A control message (stop, sync) for the task generating ``message_id``, in whichever process."""
    await get_channel_layer().group_send(generation_group(message_id), message)
