"""Groq (OpenAI-style chat completions) as a translation backend.

The SDK's own retries are switched off (``max_retries=0``): it would retry 429s blindly per
request, while ``RateGate`` pauses all workers together, reads Groq's quota headers and stops
the run cleanly when the daily quota is gone. The key is passed in, never read or printed here.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import cast

import groq
from groq.types.chat import ChatCompletionMessageParam

from translation.backends.base import Completion, RetryingBackend
from translation.errors import AnswerRejected, BackendFatal, ServiceUnavailable
from translation.prompt import max_tokens, messages
from translation.ratelimit import RateGate, RateLimited, RetryPolicy, Transient
from translation.sources import Segment

API_KEY_ENV = "GROQ_API_KEY"
DEFAULT_MODEL = "llama-3.3-70b-versatile"  # what the origin used; free tier: 30 requests/minute
DEFAULT_RPM = 30.0


def api_key_from_env() -> str:
    """The Groq key from ``GROQ_API_KEY``, or a ``BackendFatal`` that says how to provide it."""
    key = os.environ.get(API_KEY_ENV, "").strip()
    if not key:
        raise BackendFatal(
            f"{API_KEY_ENV} is not set. Create a key at https://console.groq.com/keys and "
            f"`export {API_KEY_ENV}=...` (never put it in a file you commit), "
            "or translate offline with --backend ollama"
        )
    return key


def estimate_tokens(batch: Sequence[Segment]) -> int:
    """A rough token cost of one request (prompt + expected answer) for the per-minute budget:
    about three characters per token for mixed Arabic/Latin text."""
    prompt = sum(len(message["content"]) for message in messages(batch))
    return (prompt + sum(len(segment.text) for segment in batch)) // 3 + 1


class GroqBackend(RetryingBackend):
    """Translate through Groq's API (or anything speaking it at ``base_url``)."""

    name = "groq"

    def __init__(
        self,
        *,
        api_key: str,
        model: str = DEFAULT_MODEL,
        base_url: str | None = None,
        rpm: float | None = DEFAULT_RPM,
        max_wait: float = 120.0,
        timeout: float = 60.0,
        policy: RetryPolicy | None = None,
    ) -> None:
        super().__init__(RateGate(rpm, max_wait=max_wait), policy)
        self.model = model
        self._client = groq.AsyncGroq(api_key=api_key, base_url=base_url, max_retries=0, timeout=timeout)
        self._where = str(self._client.base_url)

    async def preflight(self) -> None:
        """Check the key and the model before any work (one metadata call, no tokens spent)."""
        try:
            await self._client.models.retrieve(self.model)
        except groq.APIStatusError as exc:
            raise self._refusal(exc) from None
        except groq.APIConnectionError as exc:
            raise ServiceUnavailable(f"cannot reach Groq at {self._where}: {_cause(exc)}") from None

    def _cost(self, batch: Sequence[Segment]) -> int:
        return estimate_tokens(batch)

    async def aclose(self) -> None:
        await self._client.close()

    async def _send(self, batch: Sequence[Segment]) -> Completion:
        try:
            raw = await self._client.chat.completions.with_raw_response.create(
                model=self.model,
                # The shared prompt is plain role/content dicts, which is what Groq's message types spell.
                messages=cast("list[ChatCompletionMessageParam]", messages(batch)),
                temperature=0,
                max_tokens=max_tokens(batch),
                response_format={"type": "json_object"},
            )
        except groq.RateLimitError as exc:
            self.gate.observe(exc.response.headers)
            raise RateLimited(exc.response.headers, _error_message(exc)) from None
        except groq.APITimeoutError:
            raise Transient(f"Groq at {self._where} did not answer within the timeout") from None
        except groq.APIConnectionError as exc:
            raise Transient(f"cannot reach Groq at {self._where}: {_cause(exc)}") from None
        except groq.APIStatusError as exc:
            if exc.status_code >= 500 or exc.status_code == 498:  # 498: flex capacity exceeded
                raise Transient(f"Groq answered {exc.status_code}: {_error_message(exc)}") from None
            raise self._refusal(exc) from None
        self.gate.observe(raw.headers)
        completion = await raw.parse()
        if completion.usage:
            self.usage.prompt_tokens += completion.usage.prompt_tokens
            self.usage.completion_tokens += completion.usage.completion_tokens
        content = completion.choices[0].message.content if completion.choices else None
        return Completion(
            content or "",
            completion.usage.prompt_tokens if completion.usage else 0,
            completion.usage.completion_tokens if completion.usage else 0,
        )

    def _refusal(self, exc: groq.APIStatusError) -> Exception:
        """Map a 4xx to what the run should do: split this batch, or stop and tell the user."""
        code, message = _error_code(exc), _error_message(exc)
        if exc.status_code in (401, 403):
            return BackendFatal(
                f"Groq rejected the key in {API_KEY_ENV} ({exc.status_code}: {message}); check or replace it"
            )
        if exc.status_code == 404 or code in ("model_not_found", "model_decommissioned"):
            return BackendFatal(
                f"Groq cannot serve model {self.model!r} ({message}); pick a current model with --model"
            )
        if code == "json_validate_failed":
            return AnswerRejected("the model's answer was not valid JSON")
        if exc.status_code == 413 or code == "context_length_exceeded":
            return AnswerRejected("request too large for the model")
        return BackendFatal(f"Groq refused the request ({exc.status_code}: {message})")


def _error_body(exc: groq.APIStatusError) -> dict[str, object]:
    body = exc.body
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        body = body["error"]
    return body if isinstance(body, dict) else {}


def _error_code(exc: groq.APIStatusError) -> str:
    return str(_error_body(exc).get("code") or "")


def _error_message(exc: groq.APIStatusError) -> str:
    return str(_error_body(exc).get("message") or exc.message)


def _cause(exc: Exception) -> str:
    return str(exc.__cause__ or exc)
