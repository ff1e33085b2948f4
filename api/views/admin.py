"""Staff only: fine-tuned model versions. Activating one makes it every conversation's default
(unless a conversation picked its own model) and tells every open socket (``models.changed``).

One version is active at a time: activation retires the active one first. ``rollback`` on the
active version re-activates the one active before it, or, when there was none, goes back to the
server's DEFAULT_MODEL. Deleting a version removes its record only, never the model in Ollama.
"""

from __future__ import annotations

from django.conf import settings

from api.endpoint import Call, operation
from api.models_catalog import announce, is_served, served_models
from contract.errors import ErrorCode, HadraError, not_found
from contract.http import ActivationOut, ModelVersionIn, ModelVersionListOut, ModelVersionOut
from models import ModelVersion, ModelVersionStatus
from models.errors import AlreadyStored
from ollama_gateway import OllamaError


def version_out(version: ModelVersion) -> ModelVersionOut:
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
    )


async def _version(call: Call) -> ModelVersion:
    version = await ModelVersion.get(call.ids["version_id"])
    if version is None:
        raise not_found("model version")
    return version


async def _check_served(version: ModelVersion) -> list[str]:
    """Refuse to make a model the default that Ollama cannot serve: every chat would fail."""
    try:
        served = await served_models()
    except OllamaError as exc:
        raise HadraError(
            ErrorCode.MODEL_SERVER_UNAVAILABLE,
            f"Ollama cannot be reached ({exc}), so `{version.ollama_model}` cannot be checked; "
            "try again when it is up.",
            params={"model": version.ollama_model},
        ) from None
    if not is_served(version.ollama_model, served):
        raise HadraError(
            ErrorCode.MODEL_NOT_IN_OLLAMA,
            f"Ollama does not serve `{version.ollama_model}`; register it there first (finetune/ does), then activate.",
        )
    return served


async def _switch_to(version: ModelVersion | None, served: list[str]) -> ActivationOut:
    """Retire whatever is active, activate ``version`` (None: back to DEFAULT_MODEL), tell every socket."""
    await ModelVersion.make_active(version)
    default = version.ollama_model if version else settings.DEFAULT_MODEL
    await announce(default, served)
    return ActivationOut(default_model=default, active_version=version_out(version) if version else None)


@operation("GET", summary="Every model version, newest first", auth="staff", response=ModelVersionListOut)
async def list_versions(call: Call) -> ModelVersionListOut:
    return ModelVersionListOut(versions=[version_out(v) for v in await ModelVersion.newest_first()])


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
    return version_out(version)


@operation(
    "POST",
    summary="Make this version the default model (checks that Ollama serves it)",
    auth="staff",
    response=ActivationOut,
    errors=(409, 503),
)
async def activate_version(call: Call) -> ActivationOut:
    version = await _version(call)
    return await _switch_to(version, await _check_served(version))


@operation(
    "POST",
    summary="Undo the activation of this (active) version: the previous one is active again",
    auth="staff",
    response=ActivationOut,
    errors=(409, 503),
)
async def rollback_version(call: Call) -> ActivationOut:
    version = await _version(call)
    if version.status != ModelVersionStatus.ACTIVE:
        raise HadraError(
            ErrorCode.NOT_ACTIVE, "Only the active version can be rolled back; activate another version instead."
        )
    previous = await ModelVersion.previously_active()
    if previous is not None:
        return await _switch_to(previous, await _check_served(previous))
    try:
        served = await served_models()
    except OllamaError:
        served = []  # going back to the built-in default needs no check; the sockets get an empty list
    return await _switch_to(None, served)


@operation(
    "DELETE",
    summary="Delete a version's record (not the model in Ollama); not the active one",
    auth="staff",
    status=204,
    errors=(409,),
)
async def delete_version(call: Call) -> None:
    version = await _version(call)
    if version.status == ModelVersionStatus.ACTIVE:
        raise HadraError(ErrorCode.VERSION_ACTIVE, "This version is active; roll it back or activate another first.")
    await version.delete()
