"""The export file formats: a conversation (``hadra.conversation`` version 1: one model, so an export
always imports) and a whole account (``hadra.account`` version 1: its settings and every conversation
in the first format).

Checked like any request body on import: exact types, storable numbers and times, ids that are
unique within the file (checked by ``api/transfer.py``, which knows the whole file).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from contract.documents import MessageStatus, Rating, Role, Stats
from contract.errors import ErrorInfo, from_legacy_text
from contract.fields import (
    MAX_IMPORT_CONTENT_CHARS,
    MAX_IMPORT_MESSAGES,
    Language,
    ModelName,
    Note,
    StorableTime,
    SystemPrompt,
    Theme,
    Title,
    storable,
)
from contract.http import Body

ExportId = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class ExportStats(Stats):
    """The stored stats in an export file, checked like any body on import, numbers storable."""

    model_config = Body.model_config

    @field_validator("*")
    @classmethod
    def _storable_numbers(cls, value: object) -> object:
        return storable(value)


class ExportFeedback(Body):
    rating: Rating
    note: Note = ""
    created_at: StorableTime


class ExportError(ErrorInfo):
    """Why an exported answer failed, as the server stored it."""

    model_config = Body.model_config
    message: Annotated[str, StringConstraints(max_length=10_000)]


class ExportMessage(Body):
    id: ExportId = Field(description="Any id unique within the file; new ids are assigned on import.")
    parent_id: ExportId | None = None
    role: Role
    content: Annotated[str, StringConstraints(max_length=MAX_IMPORT_CONTENT_CHARS)]
    status: MessageStatus = MessageStatus.COMPLETE
    model: ModelName | None = None
    error: ExportError | None = None
    stats: ExportStats | None = None
    feedback: ExportFeedback | None = None
    edited_from: ExportId | None = None
    created_at: StorableTime
    updated_at: StorableTime

    _legacy_error = field_validator("error", mode="before")(from_legacy_text)


class ExportConversation(Body):
    title: Title | None = None
    system_prompt: SystemPrompt = ""
    model: ModelName | None = None
    active_leaf_id: ExportId | None = None
    created_at: StorableTime
    updated_at: StorableTime


class ExportDoc(Body):
    format: Literal["hadra.conversation"]
    version: Literal[1]
    conversation: ExportConversation
    messages: list[ExportMessage] = Field(
        max_length=MAX_IMPORT_MESSAGES, description="Every message of every branch, parents first."
    )


class AccountExportAccount(Body):
    username: str
    email: str
    created_at: datetime
    language: Language | None
    theme: Theme
    default_model: str | None
    default_system_prompt: str
    exclude_from_training: bool


class AccountExportDoc(Body):
    """Everything an account holds (``GET /api/auth/me/export``): its settings, and each conversation
    in the ``hadra.conversation`` format, every branch (each re-imports with the import endpoint)."""

    format: Literal["hadra.account"]
    version: Literal[1]
    exported_at: datetime
    account: AccountExportAccount
    conversations: list[ExportDoc]
