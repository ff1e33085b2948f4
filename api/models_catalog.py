"""Which models the chat can use: what the Ollama hosts serve now (the union over the hosts that
answer), which hosts lack a model, and the default (the active fine-tune, else
settings.DEFAULT_MODEL); and telling every open socket when an admin changes that."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from channels.layers import get_channel_layer
from django.conf import settings

from chat import events
from chat.fleet import serves
from chat.model_choice import remember_default_model
from contract.frames import ModelsChanged
from ollama_gateway import OllamaError, shared_gateway, shown

# Listing models is quick; a hung Ollama must not hold an HTTP request for the chat's long timeout.
LIST_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class HostModels:
    """One host's answer: its models (with their tag, e.g. ``hadra-gemma3:latest``), or why it gave none."""

    host: str
    models: list[str] | None
    error: OllamaError | None = None

    def has(self, name: str) -> bool:
        return self.models is not None and serves(self.models, name)


async def _host_models(host: str) -> HostModels:
    try:
        listed = await shared_gateway(host, read_timeout=LIST_TIMEOUT_S).list_models()
    except OllamaError as exc:
        return HostModels(host, None, exc)
    return HostModels(host, sorted(m.name for m in listed))


async def fleet_models() -> list[HostModels]:
    """Every host of settings.OLLAMA_HOSTS asked at once, in their configured order: a host that is
    down costs its own timeout, not one after the other."""
    return list(await asyncio.gather(*(_host_models(host) for host in settings.OLLAMA_HOSTS)))


def union(fleet: list[HostModels]) -> list[str]:
    """What the hosts that answered serve together; raises the first host's OllamaError when none did."""
    answered = [h.models for h in fleet if h.models is not None]
    if not answered:
        raise next(h.error for h in fleet if h.error is not None)
    return sorted({name for models in answered for name in models})


def missing_on(name: str, fleet: list[HostModels]) -> list[str]:
    """The hosts that cannot serve ``name`` now (without it, or not answering), as staff may see them."""
    return [shown(h.host) for h in fleet if not h.has(name)]


async def served_models() -> list[str]:
    """What the users can pick from: the union over the hosts that answer; raises OllamaError when none does."""
    return union(await fleet_models())


async def announce(default_model: str, models: list[str], seq: int) -> None:
    """``models.changed`` to every connected socket (each joins the ``models`` group); each process
    that receives it also switches its cached default model at once. ``seq`` is the activation
    stack's entry it comes from: a process ignores an announcement older than one it has seen."""
    remember_default_model(default_model, seq)
    frame = ModelsChanged(default_model=default_model, models=models)
    await get_channel_layer().group_send(
        events.MODELS_GROUP, events.relayed(frame, type=frame.type, default_model=default_model, seq=seq)
    )
