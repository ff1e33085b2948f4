"""A local Ollama model as a translation backend: the same job, offline, no quota.

The answer is constrained to a JSON schema with exactly the batch's ids (Ollama's structured
outputs), which small local models need to produce parseable JSON at all; the engine still
validates every value. Requests go through ``ollama_gateway``, whose typed errors say what to do:
a busy Ollama (503: its queue is full) pauses all workers like a 429, a missing model or a refused
request stops the run, anything else (down, silent, 5xx) is retried.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from ollama_gateway import (
    ModelNotFound,
    OllamaBusy,
    OllamaError,
    OllamaGateway,
    OllamaRequestFailed,
    OllamaTimeout,
    OllamaUnavailable,
)
from translation.backends.base import Completion, RetryingBackend
from translation.errors import BackendFatal, ServiceUnavailable
from translation.prompt import answer_schema, max_tokens, messages
from translation.ratelimit import RateGate, RateLimited, RetryPolicy, Transient
from translation.sources import Segment

MODEL_ENV = "DEFAULT_MODEL"


class OllamaBackend(RetryingBackend):
    """Translate with a model served by Ollama at ``host`` (``OLLAMA_HOST`` by default)."""

    name = "ollama"

    def __init__(
        self, *, model: str, host: str | None = None, timeout: float = 300.0, policy: RetryPolicy | None = None
    ) -> None:
        super().__init__(RateGate(None, max_wait=float("inf")), policy)
        self.model = model
        self._gateway = OllamaGateway(
            host or os.environ.get("OLLAMA_HOST") or "http://127.0.0.1:11434", read_timeout=timeout
        )

    async def preflight(self) -> None:
        """Fail before any work if Ollama is down or lacks the model."""
        where = self._gateway.host
        try:
            found = await self._gateway.has_model(self.model)
        except (OllamaUnavailable, OllamaTimeout):
            raise ServiceUnavailable(
                f"cannot reach Ollama at {where}; start it or point --ollama-host / OLLAMA_HOST at a running one"
            ) from None
        except OllamaError as exc:
            raise ServiceUnavailable(str(exc)) from None
        if not found:
            raise BackendFatal(
                f"Ollama at {where} has no model {self.model!r}: create or pull it "
                "first, or pick one of `ollama list` with --model"
            )

    async def aclose(self) -> None:
        await self._gateway.aclose()

    async def _send(self, batch: Sequence[Segment]) -> Completion:
        try:
            answer = await self._gateway.chat(
                self.model,
                messages(batch),
                format=answer_schema(batch),
                options={"temperature": 0, "num_predict": max_tokens(batch)},
            )
        except OllamaError as exc:
            raise self._outcome(exc) from None
        prompt_tokens = (answer.stats and answer.stats.prompt_eval_count) or 0
        completion_tokens = (answer.stats and answer.stats.eval_count) or 0
        self.usage.prompt_tokens += prompt_tokens
        self.usage.completion_tokens += completion_tokens
        return Completion(answer.content, prompt_tokens, completion_tokens)

    def _outcome(self, error: OllamaError) -> Exception:
        """What a failed request means for the run: wait, stop, or retry."""
        if isinstance(error, OllamaBusy) or error.status == 429:
            return RateLimited({}, f"Ollama is busy ({error})")
        if isinstance(error, ModelNotFound):
            return BackendFatal(f"Ollama at {self._gateway.host} has no model {self.model!r}")
        if isinstance(error, OllamaRequestFailed) and error.status is not None and error.status < 500:
            return BackendFatal(f"Ollama refused the request ({error})")
        return Transient(str(error))
