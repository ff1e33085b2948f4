"""Which models the chat can use: what Ollama serves now, and the default (the active fine-tune, else
settings.DEFAULT_MODEL); and telling every open socket when an admin changes that."""

from __future__ import annotations

from channels.layers import get_channel_layer
from django.conf import settings

from chat import events
from chat.model_choice import remember_default_model
from contract.frames import ModelsChanged
from ollama_gateway import OllamaGateway

# Listing models is quick; a hung Ollama must not hold an HTTP request for the chat's long timeout.
LIST_TIMEOUT_S = 10.0


async def served_models() -> list[str]:
    """Names as Ollama lists them (with their tag, e.g. ``hadra-gemma3:latest``); raises OllamaError."""
    async with OllamaGateway(settings.OLLAMA_HOST, read_timeout=LIST_TIMEOUT_S) as gateway:
        return sorted(m.name for m in await gateway.list_models())


def is_served(name: str, served: list[str]) -> bool:
    """Ollama adds ``:latest`` to an untagged name."""
    return name in served or (":" not in name and f"{name}:latest" in served)


async def announce(default_model: str, models: list[str], seq: int) -> None:
    """``models.changed`` to every connected socket (each joins the ``models`` group); each process
    that receives it also switches its cached default model at once. ``seq`` is the activation
    stack's entry it comes from: a process ignores an announcement older than one it has seen."""
    remember_default_model(default_model, seq)
    frame = ModelsChanged(default_model=default_model, models=models)
    await get_channel_layer().group_send(
        events.MODELS_GROUP, events.relayed(frame, type=frame.type, default_model=default_model, seq=seq)
    )
