"""Client → server frame schemas (DESIGN.md, WebSocket protocol).

Strict models: unknown fields, wrong types and Mongo operators where a string belongs are all
rejected here, before anything reaches the database.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter


def _whole_characters(value: str) -> str:
    """JSON can spell half a UTF-16 pair (``"\\ud800"``); such text cannot be stored or shown."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text contains a lone surrogate (half of a UTF-16 pair); send whole characters") from None
    return value


Text = Annotated[str, AfterValidator(_whole_characters)]
ObjectIdStr = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{24}$")]
RequestId = Annotated[Text, StringConstraints(max_length=100)]
ModelName = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._:/@+-]+$")]


class Frame(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    request_id: RequestId | None = None


class Ping(Frame):
    type: Literal["ping"]


class ChatSend(Frame):
    type: Literal["chat.send"]
    conversation_id: ObjectIdStr | None = None
    content: Text
    parent_id: ObjectIdStr | None = None
    model: ModelName | None = None
    system_prompt: Text | None = None


class ChatStop(Frame):
    type: Literal["chat.stop"]
    message_id: ObjectIdStr


class ChatRegenerate(Frame):
    type: Literal["chat.regenerate"]
    message_id: ObjectIdStr
    model: ModelName | None = None


class ChatEdit(Frame):
    type: Literal["chat.edit"]
    message_id: ObjectIdStr
    content: Text


class ConversationOpen(Frame):
    type: Literal["conversation.open"]
    conversation_id: ObjectIdStr


class ConversationClose(Frame):
    type: Literal["conversation.close"]
    conversation_id: ObjectIdStr


class MessageSyncRequest(Frame):
    """A client that saw a gap in ``seq`` asks for the full text so far."""

    type: Literal["message.sync"]
    message_id: ObjectIdStr


ClientFrame = Annotated[
    Ping | ChatSend | ChatStop | ChatRegenerate | ChatEdit | ConversationOpen | ConversationClose | MessageSyncRequest,
    Field(discriminator="type"),
]
client_frame = TypeAdapter(ClientFrame)
FRAME_TYPES = (
    "ping",
    "chat.send",
    "chat.stop",
    "chat.regenerate",
    "chat.edit",
    "conversation.open",
    "conversation.close",
    "message.sync",
)
