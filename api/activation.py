"""Changing the chat's default model: activate a version, roll back, and tell every process.

Order of an activation: check that at least one Ollama host of settings.OLLAMA_HOSTS serves the
model, warm it on every host that has it, all at once (loaded before anyone needs it, so no user
pays its cold load), push it on the activation stack (a compare-and-set on the entry's
``seq``: two admins at once each land on their own place, one after the other), make the versions'
statuses say which one is active, then announce it to every process and socket. Answers already
streaming keep the model they started with; new ones get the new default.

A host that is down, lacks the model or cannot load it does not stop the change when another host
serves the model: it is reported (``Switched.missing_on``, the admin page), and the chat sends
that model's answers only to the hosts that have it.

What is announced is the newest entry once the statuses were settled, with its ``seq``, not what
this request pushed: when two admins activate at once both announce the same last state, and a
process or socket that receives an older announcement after a newer one ignores it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from beanie import PydanticObjectId
from django.conf import settings

from api.models_catalog import announce, fleet_models, union
from contract.errors import ErrorCode, HadraError
from models import Activation, ModelVersion
from ollama_gateway import ModelNotFound, OllamaError, shared_gateway, shown

# How long Ollama keeps a freshly activated model loaded without a chat (each chat renews its own).
WARM_KEEP_ALIVE = "30m"


@dataclass(frozen=True)
class Active:
    """The top of the activation stack: the chat's default now."""

    entry: Activation | None
    version: ModelVersion | None

    @property
    def model(self) -> str:
        return self.entry.model if self.entry and self.entry.version_id else settings.DEFAULT_MODEL

    @property
    def seq(self) -> int:
        return self.entry.seq if self.entry else 0


async def active() -> Active:
    entry = await Activation.current()
    version = await ModelVersion.get(entry.version_id) if entry and entry.version_id else None
    return Active(entry, version)


def _unreachable(model: str, exc: OllamaError) -> HadraError:
    return HadraError(
        ErrorCode.MODEL_SERVER_UNAVAILABLE,
        f"No Ollama host can be reached ({exc}), so `{model}` cannot be checked; try again when one is up.",
        params={"model": model},
    )


def _not_served(model: str) -> HadraError:
    return HadraError(
        ErrorCode.MODEL_NOT_IN_OLLAMA,
        f"No Ollama host serves `{model}`; register it there first (finetune/ does), then activate.",
        params={"model": model},
    )


@dataclass(frozen=True)
class Serving:
    """Where ``model`` was checked and warmed: the union of the models the hosts serve (what the
    sockets are told) and the hosts that cannot serve it (down, without it, or failing to load it)."""

    model: str
    models: list[str]
    missing_on: list[str]


async def serve(model: str) -> Serving:
    """Check that at least one host has ``model`` and warm it on every host that has it, at once.
    Refused when no host can serve it (every chat would fail on it); hosts that cannot are reported."""
    fleet = await fleet_models()
    try:
        served = union(fleet)
    except OllamaError as exc:
        raise _unreachable(model, exc) from None
    having = [h.host for h in fleet if h.has(model)]
    if not having:
        raise _not_served(model)
    warmed = await asyncio.gather(*(_warm(host, model) for host in having), return_exceptions=True)
    loaded = [host for host, result in zip(having, warmed, strict=True) if result is None]
    if not loaded:
        first = next(result for result in warmed if isinstance(result, BaseException))
        if isinstance(first, ModelNotFound):
            raise _not_served(model)
        if isinstance(first, OllamaError):
            raise _unreachable(model, first)
        raise first
    return Serving(model, served, [shown(host) for host in settings.OLLAMA_HOSTS if host not in loaded])


async def _warm(host: str, model: str) -> None:
    """Load ``model`` on ``host`` now (its cold load is paid here, by the admin, not by a user)."""
    gateway = shared_gateway(host, read_timeout=settings.OLLAMA_READ_TIMEOUT_S)
    await gateway.warm_up(model, WARM_KEEP_ALIVE)


@dataclass(frozen=True)
class Switched:
    """The default after a change, and how the model it switched to is served."""

    now: Active
    serving: Serving


async def activate(version: ModelVersion, actor_id: PydanticObjectId, actor: str) -> Switched:
    """Make ``version`` the default (already checked: not retired, not active, through the gate)."""
    serving = await serve(version.ollama_model)
    while True:
        on = await Activation.current()
        if on is not None and on.version_id == version.id:
            raise HadraError(ErrorCode.VERSION_ACTIVE, "This version is already active.")
        pushed = await Activation.try_push(
            on,
            version_id=version.id,
            model=version.ollama_model,
            below=on.seq if on else None,
            action="activate",
            actor_id=actor_id,
            actor=actor,
        )
        if pushed is not None:
            return Switched(await _settle_and_announce(serving.models), serving)


async def rollback(version: ModelVersion, actor_id: PydanticObjectId, actor: str) -> Switched:
    """Pop ``version`` (the active one) off the stack: the entry below it answers again, skipping
    retired versions; with nothing below, the server's DEFAULT_MODEL. Never gated."""
    while True:
        on = await Activation.current()
        if on is None or on.version_id != version.id:
            raise HadraError(
                ErrorCode.NOT_ACTIVE, "Only the active version can be rolled back; activate another version instead."
            )
        target = await _below(on)
        model = target.model if target else settings.DEFAULT_MODEL
        serving = await serve(model) if target is not None else await _serve_or_none(model)
        pushed = await Activation.try_push(
            on,
            version_id=target.version_id if target else None,
            model=model,
            below=target.below if target else None,
            action="rollback",
            actor_id=actor_id,
            actor=actor,
        )
        if pushed is not None:
            await Activation.mark_popped([on.seq])
            return Switched(await _settle_and_announce(serving.models), serving)


async def _below(entry: Activation) -> Activation | None:
    """The first entry under ``entry`` whose version is not retired (None: the default)."""
    below = await Activation.at_seq(entry.below)
    while below is not None and below.version_id is not None:
        if not await ModelVersion.retired_ids([below.version_id]):
            return below
        below = await Activation.at_seq(below.below)
    return below


async def _serve_or_none(model: str) -> Serving:
    """Going back to the built-in default must work even when no host serves it: warm it where it can
    be, and announce an empty model list otherwise (the clients' picker says Ollama is away)."""
    try:
        return await serve(model)
    except HadraError:
        return Serving(model, [], list(settings.OLLAMA_HOSTS))


async def _settle_and_announce(served: list[str]) -> Active:
    """Make the statuses say what the newest entry says (again if another change landed meanwhile),
    then announce that entry to every process."""
    while True:
        top = await Activation.current()
        await ModelVersion.show_active(top.version_id if top else None)
        again = await Activation.current()
        if (again.seq if again else 0) == (top.seq if top else 0):
            break
    now = await active()
    await announce(now.model, served, now.seq)
    return now
