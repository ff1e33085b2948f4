"""The only code in hadra that speaks to Ollama: streaming chat, models, blobs, create (old and new API)."""

from ollama_gateway.chat import ChatChunk, ChatStats, ChatStream
from ollama_gateway.errors import (
    ModelNotFound,
    OllamaBusy,
    OllamaError,
    OllamaRequestFailed,
    OllamaTimeout,
    OllamaUnavailable,
    StreamEndedEarly,
)
from ollama_gateway.gateway import ModelInfo, OllamaGateway
from ollama_gateway.modelfile import legacy_modelfile
from ollama_gateway.shared import shared_gateway

__all__ = [
    "ChatChunk",
    "ChatStats",
    "ChatStream",
    "ModelInfo",
    "ModelNotFound",
    "OllamaBusy",
    "OllamaError",
    "OllamaGateway",
    "OllamaRequestFailed",
    "OllamaTimeout",
    "OllamaUnavailable",
    "StreamEndedEarly",
    "legacy_modelfile",
    "shared_gateway",
]
