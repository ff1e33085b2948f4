"""``GET /api/models``: the models the chat can use and the default, for the model picker."""

from __future__ import annotations

from api.activation import active
from api.endpoint import Call, operation
from api.models_catalog import served_models
from api.views.admin_versions import version_out
from chat.model_choice import default_model
from contract.admin_versions import ModelsOut
from ollama_gateway import OllamaError


@operation("GET", summary="Models Ollama serves now and the default model", response=ModelsOut)
async def list_models(call: Call) -> ModelsOut:
    now = await active()
    try:
        names, error = await served_models(), None
    except OllamaError as exc:
        names, error = [], exc.info()
    return ModelsOut(
        default_model=await default_model(),
        models=names,
        active_version=version_out(now.version) if now.version else None,
        ollama_error=error,
    )
