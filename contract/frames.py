"""WebSocket frames, both ways (``/ws/chat/``).

Client frames are strict: unknown fields, wrong types and Mongo operators where a string belongs
are refused here, before anything reaches the database. Server frames are built from these models
by the one sender (``chat/events.py``), so every frame on the wire has exactly this shape.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from contract.documents import (
    SENT,
    BranchMessageOut,
    ConversationOut,
    ConversationTitle,
    MessageOut,
    MessageStatus,
    Stats,
)
from contract.errors import ErrorInfo
from contract.fields import ModelName, ObjectIdStr, RequestId, Text
from contract.training import TrainingRunOut

# -- client → server ---------------------------------------------------------------------------


class ClientFrameBase(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    request_id: RequestId | None = None


class Ping(ClientFrameBase):
    type: Literal["ping"]


class ChatSend(ClientFrameBase):
    """A question: in a new conversation (no ``conversation_id``) or under ``parent_id`` (default:
    the active branch's last answer)."""

    type: Literal["chat.send"]
    conversation_id: ObjectIdStr | None = None
    content: Text
    parent_id: ObjectIdStr | None = None
    model: ModelName | None = None
    system_prompt: Text | None = None


class ChatStop(ClientFrameBase):
    type: Literal["chat.stop"]
    message_id: ObjectIdStr


class ChatRegenerate(ClientFrameBase):
    type: Literal["chat.regenerate"]
    message_id: ObjectIdStr
    model: ModelName | None = None


class ChatEdit(ClientFrameBase):
    type: Literal["chat.edit"]
    message_id: ObjectIdStr
    content: Text


class ConversationOpen(ClientFrameBase):
    type: Literal["conversation.open"]
    conversation_id: ObjectIdStr


class ConversationClose(ClientFrameBase):
    type: Literal["conversation.close"]
    conversation_id: ObjectIdStr


class MessageSyncRequest(ClientFrameBase):
    """A client that saw a gap in ``seq`` asks for the full text so far."""

    type: Literal["message.sync"]
    message_id: ObjectIdStr


ClientFrame = Annotated[
    Ping | ChatSend | ChatStop | ChatRegenerate | ChatEdit | ConversationOpen | ConversationClose | MessageSyncRequest,
    Field(discriminator="type"),
]
client_frame: TypeAdapter[ClientFrame] = TypeAdapter(ClientFrame)
CLIENT_FRAME_TYPES: tuple[str, ...] = tuple(
    m.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]
    for m in (
        Ping,
        ChatSend,
        ChatStop,
        ChatRegenerate,
        ChatEdit,
        ConversationOpen,
        ConversationClose,
        MessageSyncRequest,
    )
)

# -- server → client ---------------------------------------------------------------------------


class ServerFrameBase(BaseModel):
    model_config = SENT


class Reply(ServerFrameBase):
    """A frame answering a client frame carries its ``request_id`` (omitted when it had none)."""

    request_id: str | None = None


class Pong(Reply):
    type: Literal["pong"] = "pong"


class ErrorFrame(Reply, ErrorInfo):
    """A frame the server refused, or the socket's credential ended (``signed_out``)."""

    type: Literal["error"] = "error"


class ConversationCreated(Reply):
    type: Literal["conversation.created"] = "conversation.created"
    conversation: ConversationOut


class ConversationSnapshot(Reply):
    """The answer to ``conversation.open``: the conversation and its active branch, root first."""

    type: Literal["conversation.snapshot"] = "conversation.snapshot"
    conversation: ConversationOut
    messages: list[BranchMessageOut]


class MessageCreated(Reply):
    type: Literal["message.created"] = "message.created"
    message: MessageOut


class MessageDelta(ServerFrameBase):
    """The next piece of an answer; ``seq`` counts deltas from 1, so a client sees a gap."""

    type: Literal["message.delta"] = "message.delta"
    message_id: str
    seq: int
    text: str


class MessageSync(ServerFrameBase):
    """All the text of an answer so far: what the first ``seq`` deltas carried (``seq`` null and
    ``status`` set when the answer had already ended)."""

    type: Literal["message.sync"] = "message.sync"
    message_id: str
    seq: int | None
    text: str
    status: MessageStatus | None = None


class MessageQueued(ServerFrameBase):
    """An answer waits for the model (status ``queued``): ``position`` answers are ahead of it.
    Sent when it starts waiting and each time the position changes; 0 means it goes next (or
    has just been let through: its deltas follow)."""

    type: Literal["message.queued"] = "message.queued"
    message_id: str
    position: int = Field(ge=0)


class MessageDone(ServerFrameBase):
    """An answer ended: its whole text, how it ended, and why when it failed."""

    type: Literal["message.done"] = "message.done"
    message_id: str
    status: MessageStatus
    stats: Stats | None
    error: ErrorInfo | None
    content: str
    seq: int | None = Field(description="Deltas sent; null when the process that streamed it stopped.")


class ConversationUpdated(ServerFrameBase):
    type: Literal["conversation.updated"] = "conversation.updated"
    conversation: ConversationTitle


class ConversationDeleted(ServerFrameBase):
    type: Literal["conversation.deleted"] = "conversation.deleted"
    conversation_id: str


class ModelsChanged(ServerFrameBase):
    """An admin changed the default model: new conversations use ``default_model`` from now on."""

    type: Literal["models.changed"] = "models.changed"
    default_model: str
    models: list[str]


class TrainingProgress(ServerFrameBase):
    """Staff sockets only: a training run changed (status, progress, loss curve, log tail)."""

    type: Literal["training.progress"] = "training.progress"
    run: TrainingRunOut


ServerFrame = Annotated[
    Pong
    | ErrorFrame
    | ConversationCreated
    | ConversationSnapshot
    | MessageCreated
    | MessageDelta
    | MessageSync
    | MessageQueued
    | MessageDone
    | ConversationUpdated
    | ConversationDeleted
    | ModelsChanged
    | TrainingProgress,
    Field(discriminator="type"),
]
server_frame: TypeAdapter[ServerFrame] = TypeAdapter(ServerFrame)
