"""Model versions (staff only): register, the evaluation gate's figures side by side, activate, roll
back, retire, the admins' picks; the audit log of every staff action; and, for every user, which
models the chat can use (``ModelsOut``: it names the active version)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StringConstraints

from contract.documents import Out
from contract.errors import ErrorInfo
from contract.fields import ModelName, Sha256, storable
from contract.http import Body, Query

VersionStatus = Literal["registered", "active", "inactive", "retired"]
PickWinner = Literal["version", "active", "tie"]
OverrideReason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class ModelVersionIn(Body):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:@+-]+$")]
    base_model: ModelName
    ollama_model: ModelName = Field(description="The name Ollama serves it under (checked on activation).")
    source_run: Annotated[str, StringConstraints(max_length=200)] | None = None
    gguf_sha256: list[Sha256] = Field(default_factory=list, max_length=8)
    metrics: dict[
        Annotated[str, StringConstraints(min_length=1, max_length=100)],
        Annotated[float | int | str | bool, AfterValidator(storable)],
    ] = Field(default_factory=dict, max_length=100)


class Picks(Out):
    version: int = Field(description="Held-out prompts where an admin preferred this version's answer.")
    active: int = Field(description="… the active model's answer.")
    tie: int


class GateOut(Out):
    """What the activation gate compares: this version and the active model on the same held-out rows."""

    heldout_set: str | None = Field(description="sha256 of the held-out set it was scored on; null: never evaluated.")
    version_bpb: float | None = Field(description="This version's bits per byte on it (lower is better).")
    active_model: str = Field(description="The model answering now (Ollama name).")
    active_bpb: float | None = Field(description="The active model's bits per byte on the same set, when known.")
    win_rate: float | None = Field(description="Share of picks for this version, a tie counting half; null: none.")
    passes: bool = Field(description="Whether activating it needs no override reason.")


class ModelVersionOut(Out):
    id: str
    name: str
    base_model: str
    ollama_model: str
    source_run: str | None
    gguf_sha256: list[str]
    metrics: dict[str, Any]
    status: VersionStatus = Field(
        description="registered: never active; active: the default now; inactive: was active, still in Ollama; "
        "retired: removed from every Ollama host, record kept."
    )
    created_at: datetime
    activated_at: datetime | None
    retired_at: datetime | None
    picks: Picks
    gate: GateOut | None = Field(description="The gate's figures (null where the reply does not compute them).")
    missing_on: list[str] | None = Field(
        description="The Ollama hosts (OLLAMA_HOSTS) that cannot serve it now: down, or without the model; "
        "empty when every host has it. Staff replies only; null for a retired version and in `GET /api/models`.",
    )


class ModelVersionListOut(Out):
    versions: list[ModelVersionOut] = Field(description="Newest first.")


class ActivateIn(Body):
    override_reason: OverrideReason | None = Field(
        None, description="Activate although the evaluation gate refuses; recorded in the audit."
    )


class ModelsOut(Out):
    default_model: str = Field(description="The active fine-tune's Ollama model, else the server's DEFAULT_MODEL.")
    models: list[str] = Field(
        description="Models the Ollama hosts that answer serve now, together (empty when none can be reached)."
    )
    active_version: ModelVersionOut | None
    ollama_error: ErrorInfo | None = Field(description="Why `models` is empty, when no Ollama host could be reached.")


class ActivationOut(Out):
    default_model: str
    active_version: ModelVersionOut | None


class PickIn(Body):
    winner: PickWinner = Field(description="Whose answer to a held-out prompt was better, or a tie.")


class AuditQuery(Query):
    before: Annotated[str, StringConstraints(max_length=200)] = Field(
        "", description="`next_cursor` of the previous page; empty for the newest entries."
    )
    limit: int = Field(50, ge=1, le=200)


class AuditEntryOut(Out):
    id: str
    at: datetime
    actor: str = Field(description="The staff user's name at the time.")
    action: str = Field(description="Dotted, e.g. `version.activate`, `version.activate_override`, `user.disable`.")
    target: str
    details: dict[str, Any]
    reason: str | None = Field(description="The override reason, when a check was overridden.")


class AuditPageOut(Out):
    entries: list[AuditEntryOut] = Field(description="Newest first.")
    next_cursor: str | None = Field(description="Pass as `before` for older entries; null on the last page.")
