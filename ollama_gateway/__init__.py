"""The only code in hadra that speaks to Ollama: chat (streamed or whole), models, blobs, create (old and
new API), for async code and, through :class:`SyncOllamaGateway`, for code without an event loop."""

from ollama_gateway.chat import ChatChunk, ChatStats
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
from ollama_gateway.hosts import shown
from ollama_gateway.modelfile import legacy_modelfile
from ollama_gateway.shared import shared_gateway
from ollama_gateway.streaming import ChatStream
from ollama_gateway.sync import SyncOllamaGateway

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
    "SyncOllamaGateway",
    "legacy_modelfile",
    "shared_gateway",
    "shown",
]
