"""Request and reply bodies of the JSON API (``/api/``). The same models validate requests,
serialise replies and generate the OpenAPI description, so the three cannot drift apart.

Request models are strict and forbid unknown fields: ``{"title": {"$gt": ""}}`` is a type error
here, long before anything reaches MongoDB. Query-string models are lax only in that ``"20"``
may become the integer 20 (a query string has no other types).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from contract.documents import BranchMessageOut, ConversationOut, ModelNote, Out, Rating
from contract.errors import ErrorInfo
from contract.fields import (
    Language,
    ModelName,
    Note,
    ObjectIdStr,
    Password,
    SystemPrompt,
    Theme,
    Title,
    Username,
)


class Body(BaseModel):
    """A JSON request body: exact types, no unknown fields."""

    model_config = ConfigDict(strict=True, extra="forbid")


class Query(BaseModel):
    """A query string: no unknown parameters."""

    model_config = ConfigDict(extra="forbid")


class ErrorReply(Out):
    """Every failed request: ``{"error": {code, message, params}}`` with a 4xx/5xx status."""

    error: ErrorInfo


def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def not_sent(description: str | None = None) -> Any:
    """The default of a field the client may leave out: ``None`` marks "not sent", and is kept out
    of the schema, since null is not a value the client may send."""
    return Field(None, json_schema_extra=_drop_default, description=description)


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
    exclude_from_training: bool = Field(description="Your conversations are never used to train a model.")
    language: Language | None = Field(description="The interface language; null follows the browser's languages.")
    theme: Theme = Field(description="The colour scheme; `system` follows the device.")
    default_model: str | None = Field(
        description="The model of your new conversations; null is the server's default (what the admin activates)."
    )
    default_system_prompt: str = Field(description="The system prompt of your new conversations.")
    default_model_notice: ModelNote | None = Field(
        description="Set when your pinned default model was retired and you went back to the server's default; "
        "cleared when you save a default model again."
    )


class MePatch(Body):
    """Your own settings: only the fields sent change (at least one); `language` and
    `default_model` may be sent as null."""

    language: Language | None = Field(None, description="`null` follows the browser's languages.")
    theme: Theme = not_sent()
    default_model: ModelName | None = Field(None, description="`null`: the server's default model.")
    default_system_prompt: SystemPrompt = not_sent()
    exclude_from_training: bool = not_sent(
        "`true`: none of your conversations (past or future) is used to train a model."
    )


class AccountDeleteIn(Body):
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)] = Field(
        description="Your password: deleting the account and everything in it cannot be undone."
    )


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
    """Only the fields sent change (``model_fields_set``); only ``model`` may be sent as null."""

    title: Title = not_sent()
    system_prompt: SystemPrompt = not_sent()
    model: ModelName | None = Field(None, description="`null` goes back to the default model.")
    active_leaf_id: ObjectIdStr = not_sent(
        "Switch branch: any message of this conversation; the active leaf becomes its "
        "newest deepest descendant (the message itself when it has no replies)."
    )


class ConversationPageOut(Out):
    conversations: list[ConversationOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class BranchOut(Out):
    conversation: ConversationOut
    messages: list[BranchMessageOut] = Field(description="The active branch, root first.")


class ExportQuery(Query):
    format: Literal["json", "md"] = "json"


class FeedbackIn(Body):
    rating: Rating | None = Field(description="Null clears an earlier rating (and its note).")
    note: Note = ""


# -- search ------------------------------------------------------------------------------------


class SearchQuery(Query):
    q: Annotated[str, StringConstraints(max_length=200)] = Field(
        "",
        description="Words to find in one message or title (all of them; the last one may also begin a word). "
        "Case, accents, Arabic diacritics and letter variants are ignored. Empty or blank finds nothing.",
    )
    limit: int = Field(20, ge=1, le=50)


class SearchHitOut(Out):
    conversation: ConversationOut
    message_id: str | None = Field(description="The message that matched; null when only the title did.")
    role: Literal["user", "assistant"] | None = Field(description="Who wrote that message; null for a title.")
    snippet: str = Field(description="At most 160 characters of the original text around the first match.")
    on_active_branch: bool = Field(
        description="False when the message is on another branch: PATCH the conversation's `active_leaf_id` "
        "with `message_id` to open it."
    )


class SearchOut(Out):
    results: list[SearchHitOut] = Field(description="Newest conversation first; at most one hit per conversation.")
