"""Staff only: fine-tuned model versions. Activating one makes it every conversation's default
(unless a conversation picked its own model) and tells every open socket (``models.changed``).

Activation goes through the evaluation gate (api/eval_gate.py) unless the admin gives an override
reason; rollback walks the activation stack back (api/activation.py) down to the server's
DEFAULT_MODEL and is never gated; retiring removes the model from every Ollama host and keeps the
record, and conversations and accounts pinned to it move to the default with a note. Every change is
audited.

Each version says on which hosts of settings.OLLAMA_HOSTS it is missing (down, or without the
model): activating goes ahead while one host serves it, and the page shows the hosts that do not.
A retirement that cannot reach a host is refused (the version stays, shown missing where it was
already removed): a host coming back with the model would otherwise offer a retired model again.
"""

from __future__ import annotations

import asyncio
from typing import Any

from django.conf import settings

from api import activation, eval_gate
from api.activation import Active, Switched
from api.endpoint import Call, operation
from api.models_catalog import HostModels, fleet_models, missing_on
from chat.model_choice import spellings
from contract.admin_versions import (
    ActivateIn,
    ActivationOut,
    GateOut,
    ModelVersionIn,
    ModelVersionListOut,
    ModelVersionOut,
    PickIn,
    Picks,
)
from contract.documents import ModelNote
from contract.errors import ErrorCode, HadraError, not_found
from models import AuditEntry, Conversation, ModelVersion, ModelVersionStatus, User
from models.errors import AlreadyStored
from models.model_version import no_picks
from ollama_gateway import ModelNotFound, OllamaError, shared_gateway, shown


def version_out(
    version: ModelVersion, gate: eval_gate.GateFigures | None = None, fleet: list[HostModels] | None = None
) -> ModelVersionOut:
    """``fleet``: the hosts' models, for ``missing_on`` (staff replies; left out of users')."""
    retired = version.status == ModelVersionStatus.RETIRED
    picks = {**no_picks(), **version.picks}
    return ModelVersionOut(
        id=str(version.id),
        name=version.name,
        base_model=version.base_model,
        ollama_model=version.ollama_model,
        source_run=version.source_run,
        gguf_sha256=version.gguf_sha256,
        metrics=version.metrics,
        status=version.status.value,
        created_at=version.created_at,
        activated_at=version.activated_at,
        retired_at=version.retired_at,
        picks=Picks(**picks),
        gate=_gate_out(gate, picks) if gate else None,
        missing_on=missing_on(version.ollama_model, fleet) if fleet is not None and not retired else None,
    )


def _gate_out(gate: eval_gate.GateFigures, picks: dict[str, int]) -> GateOut:
    return GateOut(
        heldout_set=gate.heldout_set,
        version_bpb=gate.version_bpb,
        active_model=gate.active_model,
        active_bpb=gate.active_bpb,
        win_rate=eval_gate.win_rate(picks),
        passes=eval_gate.refusal(gate) is None,
    )


async def _with_gate(version: ModelVersion, now: Active, fleet: list[HostModels] | None = None) -> ModelVersionOut:
    gate = await eval_gate.figures(version, now.model, now.version)
    return version_out(version, gate, fleet if fleet is not None else await fleet_models())


def _activation_out(switched: Switched) -> ActivationOut:
    """The active version with the hosts the change found unable to serve it (none: the default's)."""
    now = switched.now
    version = version_out(now.version) if now.version else None
    if version is not None and now.model == switched.serving.model:  # not another admin's change meanwhile
        version = version.model_copy(update={"missing_on": switched.serving.missing_on})
    return ActivationOut(default_model=now.model, active_version=version)


async def _version(call: Call) -> ModelVersion:
    version = await ModelVersion.get(call.ids["version_id"])
    if version is None:
        raise not_found("model version")
    return version


async def _audit(call: Call, action: str, version: ModelVersion, reason: str | None = None, **details: Any) -> None:
    await AuditEntry.record(call.me_id, call.me.username, action, str(version.id), details, reason)


@operation(
    "GET",
    summary="Every model version, newest first, with the gate's figures",
    auth="staff",
    response=ModelVersionListOut,
)
async def list_versions(call: Call) -> ModelVersionListOut:
    now, fleet = await activation.active(), await fleet_models()
    return ModelVersionListOut(versions=[await _with_gate(v, now, fleet) for v in await ModelVersion.newest_first()])


@operation(
    "POST",
    summary="Register a model version (status `registered`; activate it to use it)",
    auth="staff",
    body=ModelVersionIn,
    response=ModelVersionOut,
    status=201,
    errors=(409,),
)
async def create_version(call: Call[ModelVersionIn, None]) -> ModelVersionOut:
    try:
        version = await ModelVersion(**call.body.model_dump()).insert()
    except AlreadyStored:
        raise HadraError(
            ErrorCode.NAME_TAKEN, f"A model version named `{call.body.name}` exists; pick another name."
        ) from None
    return await _with_gate(version, await activation.active())


@operation(
    "POST",
    summary="Make this version the default model: gated on its held-out score unless `override_reason` is "
    "given; every Ollama host that has it loads it first, then every process switches (the hosts that cannot "
    "serve it are in `active_version.missing_on`; refused only when none can)",
    auth="staff",
    body=ActivateIn,
    body_optional=True,
    response=ActivationOut,
    errors=(409, 503),
)
async def activate_version(call: Call[ActivateIn, None]) -> ActivationOut:
    version = await _version(call)
    if version.status == ModelVersionStatus.RETIRED:
        raise HadraError(
            ErrorCode.MODEL_NOT_IN_OLLAMA,
            "This version was retired (removed from Ollama); register it again to use it.",
            params={"model": version.ollama_model},
        )
    before = await activation.active()
    if before.version is not None and before.version.id == version.id:
        raise HadraError(ErrorCode.VERSION_ACTIVE, "This version is already active.")
    gate = await eval_gate.figures(version, before.model, before.version)
    refused = eval_gate.refusal(gate)
    reason = call.body.override_reason
    if refused is not None and reason is None:
        raise refused
    switched = await activation.activate(version, call.me_id, call.me.username)
    figures = {k: v for k, v in vars(gate).items() if v is not None}
    missing: dict[str, Any] = {"missing_on": switched.serving.missing_on} if switched.serving.missing_on else {}
    if refused is not None:
        await _audit(call, "version.activate_override", version, reason, refused=refused.message, **figures, **missing)
    else:
        await _audit(call, "version.activate", version, **figures, previous_model=before.model, **missing)
    return _activation_out(switched)


@operation(
    "POST",
    summary="Roll back this (active) version: the entry below it in the activation history is active "
    "again (retired versions skipped), down to the server's DEFAULT_MODEL; never gated",
    auth="staff",
    response=ActivationOut,
    errors=(409, 503),
)
async def rollback_version(call: Call) -> ActivationOut:
    version = await _version(call)
    switched = await activation.rollback(version, call.me_id, call.me.username)
    await _audit(call, "version.rollback", version, to_model=switched.now.model)
    return _activation_out(switched)


@operation(
    "DELETE",
    summary="Retire a version: removed from every Ollama host, its record kept (status `retired`); not the active "
    "one. Conversations and accounts pinned to it go on with the default model, with a note. Refused (503) while "
    "a host cannot be reached",
    auth="staff",
    response=ModelVersionOut,
    errors=(409, 503),
)
async def retire_version(call: Call) -> ModelVersionOut:
    version = await _version(call)
    if version.status == ModelVersionStatus.RETIRED:
        return version_out(version)
    now = await activation.active()
    if now.version is not None and now.version.id == version.id:
        raise HadraError(ErrorCode.VERSION_ACTIVE, "This version is active; roll it back or activate another first.")
    shared = await _shares_model(version)
    if not shared:
        await _delete_everywhere(version.ollama_model)
    await version.retire()
    moved = accounts_moved = 0
    if not shared:
        names, note = spellings(version.ollama_model), ModelNote.retired(version.ollama_model)
        moved = await Conversation.move_off_model(names, note)
        accounts_moved = await User.move_off_model(names, note)
    await _audit(
        call,
        "version.retire",
        version,
        model=version.ollama_model,
        removed_from_ollama=not shared,
        hosts=[shown(host) for host in settings.OLLAMA_HOSTS],
        conversations_moved=moved,
        accounts_moved=accounts_moved,
    )
    return await _with_gate(version, now)


async def _delete_everywhere(model: str) -> None:
    """Remove ``model`` from every host at once; refused, naming the hosts, when one could not."""
    results = await asyncio.gather(*(_delete(host, model) for host in settings.OLLAMA_HOSTS), return_exceptions=True)
    failed = [(host, exc) for host, exc in zip(settings.OLLAMA_HOSTS, results, strict=True) if exc is not None]
    for _, exc in failed:
        if not isinstance(exc, OllamaError):
            raise exc
    if failed:
        hosts = ", ".join(shown(host) for host, _ in failed)
        raise HadraError(
            ErrorCode.MODEL_SERVER_UNAVAILABLE,
            f"Ollama could not remove `{model}` on {hosts} ({failed[0][1]}); the version is not retired: "
            "try again when the host is back (the other hosts no longer have it).",
            params={"model": model, "hosts": hosts},
        )


async def _delete(host: str, model: str) -> None:
    try:
        await shared_gateway(host).delete_model(model)
    except ModelNotFound:
        pass  # already gone from this host: nothing left to do there


async def _shares_model(version: ModelVersion) -> bool:
    """Whether the server's default or another live version is the same Ollama model: then it stays."""
    names = spellings(version.ollama_model)
    if settings.DEFAULT_MODEL in names:
        return True
    others = await ModelVersion.find(
        {
            "ollama_model": {"$in": names},
            "_id": {"$ne": version.id},
            "status": {"$ne": ModelVersionStatus.RETIRED.value},
        }
    ).count()
    return others > 0


@operation(
    "POST",
    summary="Record an admin's pick between this version's answer and the active model's on a held-out prompt",
    auth="staff",
    body=PickIn,
    response=ModelVersionOut,
)
async def pick_version(call: Call[PickIn, None]) -> ModelVersionOut:
    version = await _version(call)
    await version.add_pick(call.body.winner)
    await _audit(call, "version.pick", version, winner=call.body.winner)
    return await _with_gate(version, await activation.active())
