"""Which model answers: the conversation's own, else the admin-activated fine-tune, else the default."""

from __future__ import annotations

from django.conf import settings

from models import ModelVersion, ModelVersionStatus


async def default_model() -> str:
    active = await ModelVersion.find_one({"status": ModelVersionStatus.ACTIVE.value})
    return active.ollama_model if active else settings.DEFAULT_MODEL
