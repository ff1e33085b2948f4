"""What the engine needs from a model provider, and nothing more.

A backend sends one request (``translation.prompt``'s messages for a batch) and returns the raw answer
text with its token counts. Validation, splitting and storage stay in the engine, so both
providers are held to the same rules; rate limits and retries live inside each backend
because only it can read its provider's signals (Groq's headers, Ollama's 503).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from translation.ratelimit import RateGate, RetryPolicy, Usage, with_retries
from translation.sources import Segment


@dataclass(frozen=True, slots=True)
class Completion:
    """A model's raw answer to one batch."""

    content: str
    prompt_tokens: int
    completion_tokens: int


class Backend(Protocol):
    """A model provider. ``name`` and ``model`` are written into every output record."""

    name: str
    model: str
    usage: Usage

    async def preflight(self) -> None:
        """Check, before any work, that the provider is reachable and serves ``model``."""
        ...

    async def complete(self, batch: Sequence[Segment]) -> Completion:
        """Answer ``batch`` (see ``translation.prompt``). Raises ``AnswerRejected`` when
        this batch cannot be answered (split it), ``RunStopped`` when nothing can be."""
        ...

    def waiting(self) -> tuple[float, str]:
        """Seconds the backend is holding requests back, and why (shown in the progress bar)."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


class RetryingBackend:
    """The request loop both providers share: every request goes through the rate gate and
    ``with_retries``. A provider sends one request (``_send``) and says what it costs against its
    per-minute token budget (``_cost``)."""

    def __init__(self, gate: RateGate, policy: RetryPolicy | None) -> None:
        self.usage = Usage()
        self.policy = policy or RetryPolicy()
        self.gate = gate

    async def complete(self, batch: Sequence[Segment]) -> Completion:
        return await with_retries(
            lambda: self._send(batch), gate=self.gate, policy=self.policy, usage=self.usage, cost=self._cost(batch)
        )

    def waiting(self) -> tuple[float, str]:
        return self.gate.waiting()

    async def _send(self, batch: Sequence[Segment]) -> Completion:
        raise NotImplementedError

    def _cost(self, batch: Sequence[Segment]) -> int:
        """Tokens to reserve before sending ``batch``; nothing where no budget is enforced."""
        return 0
