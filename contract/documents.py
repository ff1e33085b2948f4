"""What clients see of conversations and messages: one shape for WebSocket frames and the HTTP API.

The status names and the stats' fields are defined here and stored as they are (``models/``
imports them), so what the database holds and what clients read cannot name them differently.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from contract.errors import ErrorInfo

# What the server sends has every field, defaults included: its schema says so (clients rely on it).
SENT = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class Out(BaseModel):
    """A reply or frame payload. Extra keys are an error, so a payload never leaks a field by accident."""

    model_config = SENT


Role = Literal["user", "assistant", "system"]
Rating = Literal["up", "down"]


class MessageStatus(StrEnum):
    COMPLETE = "complete"
    # Waiting for the model: the Ollama host runs its limit of answers (chat/admission.py).
    QUEUED = "queued"
    STREAMING = "streaming"
    STOPPED = "stopped"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


# An answer still being worked on, waiting or streaming: it counts against the limits, can be
# stopped, and is interrupted when its process dies.
IN_FLIGHT: frozenset[MessageStatus] = frozenset({MessageStatus.QUEUED, MessageStatus.STREAMING})


class Stats(BaseModel):
    """How an answer was generated: time to first token, tokens and speed (Ollama's counts)."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    ttft_ms: float | None = None
    eval_count: int | None = None
    tokens_per_s: float | None = None
    prompt_eval_count: int | None = None
    total_ms: float | None = None
    load_ms: float | None = None


class FeedbackOut(Out):
    rating: Rating
    note: str
    created_at: datetime


class ModelNoteParams(Out):
    model: str = Field(description="The model that was retired (empty when a note from before codes did not name it).")


class ModelNote(Out):
    """Why the model changed without the user choosing: a code and what its sentence needs, so each
    client says it in the reader's language (never an English sentence stored in the database)."""

    code: Literal["model_retired"]
    params: ModelNoteParams

    @classmethod
    def retired(cls, model: str) -> ModelNote:
        return cls(code="model_retired", params=ModelNoteParams(model=model))


# The sentence retiring a model stored before notes had codes: "The model this conversation used
# (<model>) was retired; ...".
_LEGACY_RETIRED = re.compile(r"\(([^()]*)\) was retired")


def from_legacy_note(value: object) -> object:
    """A model note stored as an English sentence (before notes had codes) reads as the retirement
    it announced, naming the model when the sentence did; an empty one as no note."""
    if isinstance(value, str):
        if not value:
            return None
        found = _LEGACY_RETIRED.search(value)
        return ModelNote.retired(found.group(1) if found else "").model_dump()
    return value


class ConversationOut(Out):
    id: str
    title: str | None = Field(description="Null until the first answer names it: clients show their own 'New chat'.")
    model: str | None
    model_note: ModelNote | None = Field(
        description="Why the model changed without the user choosing (its model was retired); null when it did not."
    )
    system_prompt: str
    active_leaf_id: str | None
    created_at: datetime
    updated_at: datetime


class ConversationTitle(Out):
    """A conversation's new title (``conversation.updated``): only what changed."""

    id: str
    title: str


class MessageOut(Out):
    id: str
    conversation_id: str
    parent_id: str | None
    role: Role
    content: str
    status: MessageStatus
    model: str | None
    error: ErrorInfo | None = Field(description="Why the answer failed or was interrupted.")
    stats: Stats | None
    feedback: FeedbackOut | None
    created_at: datetime
    updated_at: datetime


class BranchMessageOut(MessageOut):
    sibling_ids: list[str] = Field(description="This message and its alternatives (same parent), oldest first.")
    sibling_index: int = Field(description="Position of this message in `sibling_ids`.")
