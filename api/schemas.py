"""Request and response shapes of the JSON API. The same models validate requests, serialise
replies and generate the OpenAPI description, so the three cannot drift apart.

Request models are strict and forbid unknown fields: ``{"title": {"$gt": ""}}`` is a type error
here, long before anything reaches MongoDB. Query-string models are lax only in that ``"20"``
may become the integer 20 (a query string has no other types).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from models.message import MessageStats

ObjectIdStr = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{24}$")]
ModelName = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._:/@+-]+$")]
Username = Annotated[str, StringConstraints(min_length=3, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")]
Password = Annotated[str, StringConstraints(min_length=8, max_length=1024)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]

# Bounds on what a single request may carry; the request body limit (api/limits.py) bounds the rest.
MAX_SYSTEM_PROMPT_CHARS = 32_000
MAX_NOTE_CHARS = 2_000
MAX_IMPORT_MESSAGES = 10_000
MAX_IMPORT_CONTENT_CHARS = 1_000_000
# MongoDB stores integers in 64 bits; a larger one cannot be saved at all.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def _storable(value: object) -> object:
    """A number JSON and MongoDB can both hold: finite (JSON has no NaN or Infinity, so a stored one
    could never be sent to a browser) and, for an integer, within MongoDB's 64 bits."""
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("finite_number", "must be a finite number, not NaN or Infinity")
    if isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
        raise PydanticCustomError("int64", "must be an integer between -2^63 and 2^63-1 (what MongoDB stores)")
    return value


class Body(BaseModel):
    """A JSON request body: exact types, no unknown fields."""

    model_config = ConfigDict(strict=True, extra="forbid")


class Query(BaseModel):
    """A query string: no unknown parameters."""

    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    """A reply. Extra keys are an error too, so a payload can never leak a field by accident."""

    model_config = ConfigDict(extra="forbid")


# -- errors ------------------------------------------------------------------------------------


class ErrorBody(Out):
    code: str = Field(description="Stable, machine-readable reason, e.g. `not_found`, `invalid_body`.")
    message: str = Field(description="What went wrong and how to fix it, for people.")


class ErrorOut(Out):
    error: ErrorBody


# -- accounts ----------------------------------------------------------------------------------


class RegisterIn(Body):
    username: Username = Field(description="3–40 letters, digits, `_`, `.` or `-`; case-insensitive.")
    email: EmailStr = Field(max_length=254)
    password: Password


class LoginIn(Body):
    username: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class PasswordChangeIn(Body):
    current_password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]
    new_password: Password


class UserOut(Out):
    id: str
    username: str
    email: str
    is_staff: bool
    created_at: datetime


class MeOut(UserOut):
    auth_method: Literal["session", "token"] = Field(description="How this request was authenticated.")


# -- tokens ------------------------------------------------------------------------------------


class TokenIn(Body):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class TokenOut(Out):
    id: str
    name: str
    created_at: datetime
    last_used_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The secret, shown only in this reply: store it now.")


class TokenListOut(Out):
    tokens: list[TokenOut]


# -- conversations and messages ----------------------------------------------------------------


class ConversationListQuery(Query):
    cursor: Annotated[str, StringConstraints(max_length=200)] = Field(
        "", description="`next_cursor` of the previous page; empty for the first page."
    )
    q: Annotated[str, StringConstraints(max_length=200)] = Field(
        "", description="Only conversations whose title contains this text (case-insensitive)."
    )
    limit: int = Field(30, ge=1, le=100)


class ConversationPatch(Body):
    """Only the fields sent change (``None`` defaults mark "not sent"; only ``model`` may be null)."""

    title: Title = Field(None, json_schema_extra=lambda s: s.pop("default"))
    system_prompt: Annotated[str, StringConstraints(max_length=MAX_SYSTEM_PROMPT_CHARS)] = Field(
        None, json_schema_extra=lambda s: s.pop("default")
    )
    model: ModelName | None = Field(None, description="`null` goes back to the default model.")
    active_leaf_id: ObjectIdStr = Field(
        None,
        json_schema_extra=lambda s: s.pop("default"),
        description="Switch branch: any message of this conversation; the active leaf becomes its "
        "newest deepest descendant (the message itself when it has no replies).",
    )


class ConversationOut(Out):
    id: str
    title: str
    model: str | None
    system_prompt: str
    active_leaf_id: str | None
    created_at: datetime
    updated_at: datetime


class ConversationPageOut(Out):
    conversations: list[ConversationOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class StatsOut(MessageStats):
    """The stored stats, as replies show them (one field list: models.MessageStats)."""

    model_config = Out.model_config


class FeedbackOut(Out):
    rating: Literal["up", "down"]
    note: str
    created_at: datetime


MessageStatusName = Literal["complete", "streaming", "stopped", "failed", "interrupted"]


class MessageOut(Out):
    id: str
    conversation_id: str
    parent_id: str | None
    role: Literal["user", "assistant", "system"]
    content: str
    status: MessageStatusName
    model: str | None
    error: str | None
    stats: StatsOut | None
    feedback: FeedbackOut | None
    created_at: datetime
    updated_at: datetime


class BranchMessageOut(MessageOut):
    sibling_ids: list[str] = Field(description="This message and its alternatives (same parent), oldest first.")
    sibling_index: int = Field(description="Position of this message in `sibling_ids`.")


class BranchOut(Out):
    conversation: ConversationOut
    messages: list[BranchMessageOut] = Field(description="The active branch, root first.")


class ExportQuery(Query):
    format: Literal["json", "md"] = "json"


class FeedbackIn(Body):
    rating: Literal["up", "down"]
    note: Annotated[str, StringConstraints(max_length=MAX_NOTE_CHARS)] = ""


# -- export / import: one model, so an export always imports ----------------------------------

ExportId = Annotated[str, StringConstraints(min_length=1, max_length=64)]


def _in_utc(value: datetime) -> datetime:
    """MongoDB stores UTC: a time whose UTC reading is before year 1 or after 9999 cannot be stored."""
    try:
        return value.astimezone(UTC) if value.tzinfo else value
    except OverflowError:
        raise PydanticCustomError("utc_range", "must lie between years 1 and 9999 in UTC") from None


ExportTime = Annotated[datetime, AfterValidator(_in_utc)]


class ExportStats(MessageStats):
    """The stored stats in an export file, checked like any body on import, numbers storable."""

    model_config = Body.model_config

    @field_validator("*")
    @classmethod
    def _storable_numbers(cls, value: object) -> object:
        return _storable(value)


class ExportFeedback(Body):
    rating: Literal["up", "down"]
    note: Annotated[str, StringConstraints(max_length=MAX_NOTE_CHARS)] = ""
    created_at: ExportTime


class ExportMessage(Body):
    id: ExportId = Field(description="Any id unique within the file; new ids are assigned on import.")
    parent_id: ExportId | None = None
    role: Literal["user", "assistant", "system"]
    content: Annotated[str, StringConstraints(max_length=MAX_IMPORT_CONTENT_CHARS)]
    status: MessageStatusName = "complete"
    model: ModelName | None = None
    error: Annotated[str, StringConstraints(max_length=10_000)] | None = None
    stats: ExportStats | None = None
    feedback: ExportFeedback | None = None
    edited_from: ExportId | None = None
    created_at: ExportTime
    updated_at: ExportTime


class ExportConversation(Body):
    title: Title
    system_prompt: Annotated[str, StringConstraints(max_length=MAX_SYSTEM_PROMPT_CHARS)] = ""
    model: ModelName | None = None
    active_leaf_id: ExportId | None = None
    created_at: ExportTime
    updated_at: ExportTime


class ExportDoc(Body):
    format: Literal["hadra.conversation"]
    version: Literal[1]
    conversation: ExportConversation
    messages: list[ExportMessage] = Field(
        max_length=MAX_IMPORT_MESSAGES, description="Every message of every branch, parents first."
    )


# -- models ------------------------------------------------------------------------------------


class ModelVersionIn(Body):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:@+-]+$")]
    base_model: ModelName
    ollama_model: ModelName = Field(description="The name Ollama serves it under (checked on activation).")
    source_run: Annotated[str, StringConstraints(max_length=200)] | None = None
    gguf_sha256: list[Sha256] = Field(default_factory=list, max_length=8)
    metrics: dict[
        Annotated[str, StringConstraints(min_length=1, max_length=100)],
        Annotated[float | int | str | bool, AfterValidator(_storable)],
    ] = Field(default_factory=dict, max_length=100)


class ModelVersionOut(Out):
    id: str
    name: str
    base_model: str
    ollama_model: str
    source_run: str | None
    gguf_sha256: list[str]
    metrics: dict[str, Any]
    status: Literal["registered", "active", "retired"]
    created_at: datetime
    activated_at: datetime | None


class ModelVersionListOut(Out):
    versions: list[ModelVersionOut] = Field(description="Newest first.")


class ModelsOut(Out):
    default_model: str = Field(description="The active fine-tune's Ollama model, else the server's DEFAULT_MODEL.")
    models: list[str] = Field(description="Models Ollama serves now (empty when Ollama cannot be reached).")
    active_version: ModelVersionOut | None
    ollama_error: str | None = Field(description="Why `models` is empty, when Ollama could not be reached.")


class ActivationOut(Out):
    default_model: str
    active_version: ModelVersionOut | None
