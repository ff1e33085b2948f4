"""Spending a provider's quota without tripping over it.

Everything one backend sends passes through one ``RateGate``: it spaces requests to a
requests-per-minute budget, waits out token budgets announced in Groq's ``x-ratelimit-*``
headers, pauses every worker together when any of them gets a 429 (so K workers do not
hammer a limit K times), and turns an exhausted daily quota into a clean ``QuotaExhausted``
stop instead of hours of retries. ``with_retries`` adds the bounded, jittered retry of
5xx answers, timeouts and lost connections.
"""

from __future__ import annotations

import asyncio
import math
import random
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TypeVar

from translation.errors import QuotaExhausted, ServiceUnavailable

T = TypeVar("T")

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_DAILY = re.compile(r"per day|\(RPD\)|\(TPD\)", re.IGNORECASE)


def parse_duration(value: str | None) -> float | None:
    """Seconds in a Groq reset header: ``"2m59.56s"``, ``"7.66s"``, ``"120ms"``, ``"1h2m"`` or a
    bare number of seconds. None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    parts = _DURATION_PART.findall(value)
    if not parts or "".join(number + unit for number, unit in parts) != value:
        return None
    scale = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    return sum(float(number) * scale[unit] for number, unit in parts)


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The server's requested wait: ``retry-after-ms`` (precise, sent by OpenAI-style APIs),
    else ``retry-after`` as seconds or an HTTP date."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    seconds = parse_duration(value)
    if seconds is not None:
        return seconds
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one request before stopping the run (see ``with_retries``)."""

    max_retries: int = 5  # 5xx, timeouts, lost connections
    max_rate_limited: int = 50  # 429s for one request: a safety net, waits are the server's
    base_delay: float = 1.0
    max_delay: float = 30.0


def backoff_delay(attempt: int, policy: RetryPolicy, rng: random.Random | None = None) -> float:
    """ "Full jitter" exponential backoff: uniform in [0, min(cap, base·2^attempt)], so workers
    that failed together do not retry together."""
    ceiling = min(policy.max_delay, policy.base_delay * 2 ** max(0, attempt - 1))
    return (rng or random).uniform(0.0, ceiling)


@dataclass
class Usage:
    """What a run has spent, shown live in the progress bar and in the summary."""

    requests: int = 0
    rate_limited: int = 0
    retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class RateLimited(Exception):
    """A 429 from the backend, with the headers and message that say how long to wait."""

    def __init__(self, headers: Mapping[str, str], message: str) -> None:
        super().__init__(message)
        self.headers = headers
        self.message = message


class Transient(Exception):
    """A failure worth retrying after a pause: 5xx, timeout, refused or dropped connection."""


class RateGate:
    """Admission control shared by all workers of one backend (see the module docstring)."""

    def __init__(
        self,
        rpm: float | None = None,
        *,
        max_wait: float = 120.0,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        # 5% under the budget: arrival times jitter, and a sliding window counts the edge.
        self._interval = 60.0 / rpm * 1.05 if rpm else 0.0
        self._max_wait = max_wait
        self._clock = clock
        self._rng = rng or random.Random()
        self._lock = asyncio.Lock()
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._tokens_left: int | None = None
        self._tokens_reset_at = 0.0
        self._daily_until: float | None = None
        self._daily_reason = ""
        self._waiting: tuple[float, str] = (0.0, "")

    def waiting(self) -> tuple[float, str]:
        """Seconds until the gate lets the next request out, and why (for the progress bar)."""
        until, reason = self._waiting
        return max(0.0, until - self._clock()), reason

    async def acquire(self, cost: int) -> None:
        """Wait until a request of about ``cost`` tokens may go out, then reserve its slot."""
        async with self._lock:
            while True:
                now = self._clock()
                if self._daily_until is not None and now < self._daily_until:
                    raise self._quota(self._daily_reason, self._daily_until - now)
                start, reason = max(
                    (now, ""), (self._next_slot, "pacing to --rpm"), (self._paused_until, "rate limited (429)")
                )
                short_of_tokens = self._tokens_left is not None and self._tokens_left < cost
                if short_of_tokens and self._tokens_reset_at > start:
                    start, reason = self._tokens_reset_at, "token budget per minute"
                if start <= now:
                    break
                if start - now > self._max_wait:
                    raise self._quota(reason, start - now)
                self._waiting = (start, reason)
                await asyncio.sleep(start - now)
                if self._tokens_reset_at <= self._clock():
                    self._tokens_left = None  # the window rolled over; the next answer says anew
            self._next_slot = now + self._interval
            if self._tokens_left is not None:
                self._tokens_left -= cost

    def observe(self, headers: Mapping[str, str]) -> None:
        """Learn the budgets Groq announces on every answer. On Groq the ``-requests`` pair is
        the daily request quota and the ``-tokens`` pair the per-minute token budget."""
        now = self._clock()
        tokens_left = _int(headers.get("x-ratelimit-remaining-tokens"))
        tokens_reset = parse_duration(headers.get("x-ratelimit-reset-tokens"))
        if tokens_left is not None and tokens_reset is not None:
            self._tokens_left, self._tokens_reset_at = tokens_left, now + tokens_reset
        if _int(headers.get("x-ratelimit-remaining-requests")) == 0:
            reset = parse_duration(headers.get("x-ratelimit-reset-requests"))
            self._daily_until = now + (reset if reset is not None else 3600.0)
            self._daily_reason = "daily request quota"

    def rate_limited(self, error: RateLimited, attempt: int, policy: RetryPolicy) -> None:
        """A 429: pause every worker for the server's ``retry-after`` (plus a little jitter), or
        raise ``QuotaExhausted`` when the wait is a daily quota or longer than ``max_wait``."""
        wait = retry_after_seconds(error.headers)
        if _DAILY.search(error.message):
            raise self._quota("daily quota", wait)
        if wait is not None and wait > self._max_wait:
            raise self._quota("rate limit", wait)
        if wait is None:
            wait = backoff_delay(attempt, policy, self._rng)
        wait += self._rng.uniform(0.0, min(1.0, 0.1 * wait))
        self._paused_until = max(self._paused_until, self._clock() + wait)

    @staticmethod
    def _quota(reason: str, wait: float | None) -> QuotaExhausted:
        when = f"in {format_wait(wait)}" if wait is not None else "later"
        return QuotaExhausted(f"{reason} exhausted; quota returns {when}", wait)


def format_wait(seconds: float) -> str:
    """``"1h02m"``, ``"7m13s"`` or ``"42s"``: how people read a wait."""
    seconds = math.ceil(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


async def with_retries(
    send: Callable[[], Awaitable[T]], *, gate: RateGate, policy: RetryPolicy, usage: Usage, cost: int
) -> T:
    """``send()`` through ``gate``, retrying 429s as the server asks and ``Transient`` failures
    up to ``policy.max_retries`` times with jittered backoff; past that the run stops with
    ``ServiceUnavailable`` (the work so far is saved, a rerun continues)."""
    failures = limited = 0
    while True:
        await gate.acquire(cost)
        usage.requests += 1
        try:
            return await send()
        except RateLimited as exc:
            usage.rate_limited += 1
            limited += 1
            if limited > policy.max_rate_limited:
                raise ServiceUnavailable(f"still rate-limited after {limited} tries: {exc.message}") from None
            gate.rate_limited(exc, limited, policy)
        except Transient as exc:
            failures += 1
            if failures > policy.max_retries:
                raise ServiceUnavailable(f"{exc} (gave up after {policy.max_retries} retries)") from None
            await asyncio.sleep(backoff_delay(failures, policy))
        usage.retries += 1
