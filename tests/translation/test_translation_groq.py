"""The Groq backend and the engine against a Groq-compatible server injecting each fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes import fake_groq as fake
from tests.fakes.fake_groq import FakeGroq
from tests.translation.conftest import FAST_RETRIES, darija, translate
from translation.backends.groq import GroqBackend
from translation.errors import BackendFatal, QuotaExhausted, ServiceUnavailable


def ids(records: list[dict]) -> list[str]:
    return sorted((str(r["id"]) for r in records), key=int)


async def test_batches_many_segments_per_request(backend: GroqBackend, fake_groq: FakeGroq, tmp_path: Path) -> None:
    result = await translate(darija(45), backend, tmp_path, batch_size=20)
    assert ids(result.translated) == [str(i) for i in range(45)] and result.failed == []
    assert sorted(len(batch) for batch in fake_groq.batches) == [5, 20, 20]  # concurrent: any order
    record = result.translated[7]
    assert record["translation"] == fake.english_for(str(record["id"]))
    assert record["text"] == darija(45)[record["id"]].text
    assert {record["backend"], record["model"]} == {"groq", "llama-3.3-70b-versatile"}
    assert backend.usage.requests == 3 and backend.usage.tokens > 0


async def test_chatter_splits_the_batch_and_the_halves_succeed(
    backend: GroqBackend, fake_groq: FakeGroq, tmp_path: Path
) -> None:
    fake_groq.script.append(fake.chatter)
    result = await translate(darija(10), backend, tmp_path, batch_size=10)
    assert ids(result.translated) == [str(i) for i in range(10)] and result.failed == []
    assert sorted(len(b) for b in fake_groq.batches) == [5, 5, 10]  # the answer to 10 was chatter
    assert fake_groq.stats["chat requests"] == 3


async def test_missing_ids_are_asked_again_alone(backend: GroqBackend, fake_groq: FakeGroq, tmp_path: Path) -> None:
    fake_groq.script.append(fake.missing_ids(2))
    result = await translate(darija(8), backend, tmp_path, batch_size=8)
    assert ids(result.translated) == [str(i) for i in range(8)]
    assert sorted(fake_groq.batches[1:]) == [["0"], ["1"]]  # each alone, concurrently


async def test_extra_ids_reject_the_answer(backend: GroqBackend, fake_groq: FakeGroq, tmp_path: Path) -> None:
    fake_groq.script.append(fake.extra_ids)
    result = await translate(darija(6), backend, tmp_path, batch_size=6)
    assert ids(result.translated) == [str(i) for i in range(6)]
    assert fake_groq.stats["chat requests"] == 3
    assert all("not-asked-for" != r["id"] for r in result.translated)


async def test_a_segment_that_keeps_failing_is_recorded_failed_with_its_reason(
    backend: GroqBackend, fake_groq: FakeGroq, tmp_path: Path
) -> None:
    fake_groq.behaviour = fake.echo_ids({"5"})
    result = await translate(darija(8), backend, tmp_path, batch_size=8)
    assert ids(result.translated) == ["0", "1", "2", "3", "4", "6", "7"]
    assert [(r["id"], r["error"]) for r in result.failed] == [(5, "echoed the source text instead of translating it")]
    assert result.failed[0]["text"] == darija(8)[5].text
    assert result.report.failure_reasons == {"echoed the source text instead of translating it": 1}
    # split down to the one segment: 8 → 4 → 2 → 1, each half that held "5" asked again
    assert ["5"] in fake_groq.batches


async def test_429_with_retry_after_is_waited_out(backend: GroqBackend, fake_groq: FakeGroq, tmp_path: Path) -> None:
    fake_groq.script.extend([fake.status(429, retry_after=0.2, message="on requests per minute (RPM)")] * 2)
    result = await translate(darija(5), backend, tmp_path)
    assert ids(result.translated) == [str(i) for i in range(5)]
    assert backend.usage.rate_limited == 2 and backend.usage.requests == 3


async def test_server_errors_are_retried_a_bounded_number_of_times(
    backend: GroqBackend, fake_groq: FakeGroq, tmp_path: Path
) -> None:
    fake_groq.script.extend([fake.status(500), fake.status(503)])
    result = await translate(darija(5), backend, tmp_path)
    assert ids(result.translated) == [str(i) for i in range(5)] and backend.usage.retries == 2

    fake_groq.behaviour = fake.status(500)
    result = await translate(darija(10), backend, tmp_path)
    assert isinstance(result.report.stopped, ServiceUnavailable)
    assert "gave up after 3 retries" in result.report.stopped.message
    assert ids(result.translated) == [str(i) for i in range(5)] and result.failed == []  # nothing lost, nothing faked


async def test_a_slow_answer_times_out_and_is_retried(fake_groq: FakeGroq, groq_key: str, tmp_path: Path) -> None:
    # The timeout leaves the prompt answer that follows room on a busy machine (a second timeout
    # would count a second retry); the slow answer is well past it.
    backend = GroqBackend(api_key=groq_key, base_url=fake_groq.base_url, rpm=None, timeout=1.0, policy=FAST_RETRIES)
    fake_groq.script.append(fake.slow(2.5))
    result = await translate(darija(4), backend, tmp_path)
    assert ids(result.translated) == ["0", "1", "2", "3"] and backend.usage.retries == 1


async def test_too_large_or_unparseable_requests_are_split(
    backend: GroqBackend, fake_groq: FakeGroq, tmp_path: Path
) -> None:
    fake_groq.script.extend(
        [
            fake.status(413, message="Request too large"),
            fake.status(400, error_code="json_validate_failed", message="Failed to generate JSON"),
        ]
    )
    result = await translate(darija(8), backend, tmp_path, batch_size=8)
    assert ids(result.translated) == [str(i) for i in range(8)]
    assert sorted(len(b) for b in fake_groq.batches) == [2, 2, 4]  # the halves run concurrently


async def test_daily_quota_stops_cleanly_and_a_rerun_finishes(
    backend: GroqBackend, fake_groq: FakeGroq, groq_key: str, tmp_path: Path
) -> None:
    fake_groq.script.extend([fake.correct, fake.daily_quota(3600)])
    first = await translate(darija(20), backend, tmp_path, batch_size=5, concurrency=1)
    assert isinstance(first.report.stopped, QuotaExhausted)
    assert first.report.stopped.wait_seconds == 3600
    assert ids(first.translated) == ["0", "1", "2", "3", "4"] and first.report.remaining == 15

    again = GroqBackend(api_key=groq_key, base_url=fake_groq.base_url, rpm=None, policy=FAST_RETRIES)
    second = await translate(darija(20), again, tmp_path, batch_size=5, concurrency=3)
    assert second.report.already_done == 5 and second.report.translated == 15
    assert ids(second.translated) == [str(i) for i in range(20)]


async def test_headers_saying_no_requests_left_today_stop_before_wasting_one(groq_key: str, tmp_path: Path) -> None:
    with FakeGroq(api_key=groq_key, rpd=2) as server:
        backend = GroqBackend(api_key=groq_key, base_url=server.base_url, rpm=None, policy=FAST_RETRIES)
        result = await translate(darija(20), backend, tmp_path, batch_size=5, concurrency=1)
        assert isinstance(result.report.stopped, QuotaExhausted)
        assert "daily request quota" in result.report.stopped.message
        assert server.stats["chat requests"] == 2 and len(result.translated) == 10


async def test_a_rejected_key_or_unknown_model_stops_before_any_translation(fake_groq: FakeGroq, groq_key: str) -> None:
    wrong = GroqBackend(api_key=groq_key + "-wrong", base_url=fake_groq.base_url, policy=FAST_RETRIES)
    with pytest.raises(BackendFatal, match="rejected the key in GROQ_API_KEY") as caught:
        await wrong.preflight()
    assert groq_key not in caught.value.message
    unknown = GroqBackend(api_key=groq_key, base_url=fake_groq.base_url, model="llama-9-1t", policy=FAST_RETRIES)
    with pytest.raises(BackendFatal, match=r"cannot serve model 'llama-9-1t'.*--model"):
        await unknown.preflight()
    assert fake_groq.stats["chat requests"] == 0


async def test_limit_translates_only_that_many(backend: GroqBackend, tmp_path: Path) -> None:
    result = await translate(darija(30), backend, tmp_path, batch_size=4, limit=10)
    assert len(result.translated) == 10 and result.report.remaining == 20
