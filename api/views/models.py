"""``GET /api/models``: the models the chat can use and the default, for the model picker."""

from __future__ import annotations

from api.endpoint import Call, operation
from api.models_catalog import served_models
from api.views.admin import version_out
from chat.model_choice import default_model
from contract.http import ModelsOut
from models import ModelVersion
from ollama_gateway import OllamaError


@operation("GET", summary="Models Ollama serves now and the default model", response=ModelsOut)
async def list_models(call: Call) -> ModelsOut:
    active = await ModelVersion.active()
    try:
        names, error = await served_models(), None
    except OllamaError as exc:
        names, error = [], exc.info()
    return ModelsOut(
        default_model=await default_model(),
        models=names,
        active_version=version_out(active) if active else None,
        ollama_error=error,
    )
