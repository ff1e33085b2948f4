"""A local Ollama model as a translation backend: the same job, offline, no quota.

The answer is constrained to a JSON schema with exactly the batch's ids (Ollama's structured
outputs), which small local models need to produce parseable JSON at all; the engine still
validates every value. A busy Ollama (503: its queue is full) pauses all workers like a 429.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import httpx
import ollama

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
        self._where = host or os.environ.get("OLLAMA_HOST") or "http://127.0.0.1:11434"
        self._client = ollama.AsyncClient(host=self._where, timeout=timeout)

    async def preflight(self) -> None:
        """Fail before any work if Ollama is down or lacks the model."""
        try:
            await self._client.show(self.model)
        except ollama.ResponseError as exc:
            if exc.status_code == 404:
                raise BackendFatal(
                    f"Ollama at {self._where} has no model {self.model!r}: create or pull it "
                    "first, or pick one of `ollama list` with --model"
                ) from None
            raise ServiceUnavailable(f"Ollama at {self._where} answered {exc.status_code}: {exc.error}") from None
        except (ConnectionError, httpx.HTTPError) as exc:
            raise ServiceUnavailable(
                f"cannot reach Ollama at {self._where} ({exc}); start it or point "
                "--ollama-host / OLLAMA_HOST at a running one"
            ) from None

    async def aclose(self) -> None:
        await self._client.close()

    async def _send(self, batch: Sequence[Segment]) -> Completion:
        try:
            response = await self._client.chat(
                model=self.model,
                messages=messages(batch),
                format=answer_schema(batch),
                options={"temperature": 0, "num_predict": max_tokens(batch)},
            )
        except ollama.ResponseError as exc:
            if exc.status_code in (429, 503):
                raise RateLimited({}, f"Ollama is busy ({exc.status_code}: {exc.error})") from None
            if exc.status_code >= 500:
                raise Transient(f"Ollama answered {exc.status_code}: {exc.error}") from None
            if exc.status_code == 404:
                raise BackendFatal(f"Ollama at {self._where} has no model {self.model!r}") from None
            raise BackendFatal(f"Ollama refused the request ({exc.status_code}: {exc.error})") from None
        except httpx.TimeoutException:
            raise Transient(f"Ollama at {self._where} did not answer within the timeout") from None
        except (ConnectionError, httpx.TransportError) as exc:
            raise Transient(f"cannot reach Ollama at {self._where} ({exc})") from None
        prompt_tokens, completion_tokens = response.prompt_eval_count or 0, response.eval_count or 0
        self.usage.prompt_tokens += prompt_tokens
        self.usage.completion_tokens += completion_tokens
        return Completion(response.message.content or "", prompt_tokens, completion_tokens)
