"""Reading Groq's rate-limit signals, and the gate's decisions on them."""

from __future__ import annotations

import asyncio

import pytest

from translation.errors import QuotaExhausted
from translation.ratelimit import RateGate, RateLimited, RetryPolicy, parse_duration, retry_after_seconds


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("2m59.56s", 179.56),
        ("7.66s", 7.66),
        ("120ms", 0.12),
        ("1h2m", 3720.0),
        ("3", 3.0),
        ("", None),
        ("soon", None),
        ("5x", None),
    ],
)
def test_groq_reset_durations(text: str, seconds: float | None) -> None:
    assert parse_duration(text) == (pytest.approx(seconds) if seconds is not None else None)


def test_retry_after_prefers_milliseconds_then_seconds() -> None:
    assert retry_after_seconds({"retry-after": "2", "retry-after-ms": "1500"}) == 1.5
    assert retry_after_seconds({"retry-after": "7"}) == 7.0
    assert retry_after_seconds({}) is None


async def test_a_daily_limit_429_stops_with_the_time_to_wait() -> None:
    gate = RateGate(None)
    error = RateLimited({"retry-after": "431"}, "Rate limit reached ... on tokens per day (TPD): Limit 100000")
    with pytest.raises(QuotaExhausted) as caught:
        gate.rate_limited(error, 1, RetryPolicy())
    assert caught.value.wait_seconds == 431.0
    assert "daily quota exhausted; quota returns in 7m11s" in caught.value.message


async def test_a_wait_longer_than_max_wait_is_treated_as_exhausted_quota() -> None:
    gate = RateGate(None, max_wait=60)
    with pytest.raises(QuotaExhausted):
        gate.rate_limited(RateLimited({"retry-after": "600"}, "on requests per minute (RPM)"), 1, RetryPolicy())


async def test_no_daily_requests_left_in_the_headers_stops_before_the_next_request() -> None:
    gate = RateGate(None)
    await gate.acquire(10)
    gate.observe({"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1h2m"})
    with pytest.raises(QuotaExhausted) as caught:
        await gate.acquire(10)
    assert caught.value.wait_seconds == pytest.approx(3720, abs=5)


async def test_a_short_429_pauses_the_gate_and_says_why() -> None:
    gate = RateGate(None)
    gate.rate_limited(RateLimited({"retry-after-ms": "50"}, "on requests per minute (RPM)"), 1, RetryPolicy())
    await gate.acquire(1)  # returns once the pause is over
    gate.rate_limited(RateLimited({"retry-after": "30"}, "on requests per minute (RPM)"), 1, RetryPolicy())
    waiter = asyncio.create_task(gate.acquire(1))
    await asyncio.sleep(0.05)
    seconds, reason = gate.waiting()
    waiter.cancel()
    assert 29 < seconds <= 34 and reason == "rate limited (429)"
