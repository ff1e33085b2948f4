"""The Ollama backend against the real local CPU Ollama (plumbing, not translation quality:
the test model is a 270M base model), and against the fake Ollama for what each failure means."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakes.fake_ollama import FakeOllama
from tests.translation.conftest import FAST_RETRIES, cli, darija, translate
from translation.backends.ollama import OllamaBackend
from translation.errors import BackendFatal, RunStopped, ServiceUnavailable
from translation.ratelimit import RetryPolicy
from translation.sources import write_segments

FEW_RETRIES = RetryPolicy(max_retries=2, max_rate_limited=2, base_delay=0.01, max_delay=0.05)


async def test_every_segment_gets_one_record_from_the_local_model(
    ollama_host: str, ollama_model: str, tmp_path: Path
) -> None:
    backend = OllamaBackend(model=ollama_model, host=ollama_host, policy=FAST_RETRIES)
    await backend.preflight()
    result = await translate(darija(3), backend, tmp_path, batch_size=3)
    await backend.aclose()
    records = result.translated + result.failed
    assert sorted(str(r["id"]) for r in records) == ["0", "1", "2"]
    assert result.report.stopped is None
    assert {(r["backend"], r["model"]) for r in records} == {("ollama", ollama_model)}
    # the model answered every request (a transport failure would have stopped the run instead)
    assert backend.usage.requests >= 1 and backend.usage.completion_tokens > 0
    # Ollama constrained the answer to the JSON schema of the batch's ids, so whatever a 270M base
    # model writes, a rejection is about a value (echo, Arabic script, chatter), never the structure.
    structural = ("not a bare JSON object", "not valid JSON", "id missing", "not asked for", "repeats id")
    assert [r["error"] for r in result.failed if any(word in r["error"] for word in structural)] == []


async def test_an_unknown_model_is_refused_before_any_work(ollama_host: str) -> None:
    backend = OllamaBackend(model="no-such-model:1b", host=ollama_host, policy=FAST_RETRIES)
    with pytest.raises(BackendFatal, match="has no model 'no-such-model:1b'"):
        await backend.preflight()
    await backend.aclose()


async def test_an_unreachable_ollama_stops_with_where_it_looked() -> None:
    backend = OllamaBackend(model="any", host="http://127.0.0.1:9", policy=FAST_RETRIES)
    with pytest.raises(ServiceUnavailable, match=r"cannot reach Ollama at http://127\.0\.0\.1:9"):
        await backend.preflight()
    await backend.aclose()


def test_the_command_runs_offline_with_ollama(ollama_host: str, ollama_model: str, tmp_path: Path) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_segments(source, darija(2))
    result = cli(
        "run",
        str(source),
        str(output),
        "--backend",
        "ollama",
        "--model",
        ollama_model,
        "--ollama-host",
        ollama_host,
        timeout=600,
    )
    assert "GROQ_API_KEY" not in result.stderr  # no key needed offline
    failed = tmp_path / "out.failed.jsonl"
    records = [json.loads(line) for path in (output, failed) for line in path.read_text().splitlines()]
    assert sorted(str(r["id"]) for r in records) == ["0", "1"]
    # The shipped 270M model mostly echoes Darija back: a run that translated under half of its
    # segments says so and exits 4 instead of "Done".
    translated = len(output.read_text().splitlines()) if output.exists() else 0
    if translated >= 1:
        assert result.returncode == 0 and "Done:" in result.stderr, result.stderr
    else:
        assert result.returncode == 4 and "Mostly failed: 0 of 2" in result.stderr, result.stderr


async def test_an_answer_is_asked_for_in_the_batchs_schema_and_its_tokens_counted() -> None:
    with FakeOllama() as fake:
        behaviour = fake.set_behaviour("translator", tokens=7)
        backend = OllamaBackend(model="translator", host=fake.url, policy=FEW_RETRIES)
        completion = await backend.complete(darija(2))
        await backend.aclose()
    assert (completion.content, completion.completion_tokens) == (behaviour.reply(), 7)
    assert completion.prompt_tokens > 0 and backend.usage.tokens == completion.prompt_tokens + 7
    [body] = [r["body"] for r in fake.requests if r["path"] == "/api/chat"]
    assert body["stream"] is False and body["options"]["temperature"] == 0
    assert body["format"]["required"] == ["0", "1"]


@pytest.mark.parametrize(
    ("status", "outcome", "message", "requests"),
    [
        (503, ServiceUnavailable, "still rate-limited after 3 tries: Ollama is busy", 3),  # waits like a 429
        (500, ServiceUnavailable, "gave up after 2 retries", 3),
        (404, BackendFatal, "has no model 'translator'", 1),
        (400, BackendFatal, "Ollama refused the request", 1),
    ],
)
async def test_each_failure_waits_retries_or_stops_as_its_type_says(
    status: int, outcome: type[RunStopped], message: str, requests: int
) -> None:
    with FakeOllama() as fake:
        fake.set_behaviour("translator", status=status)
        backend = OllamaBackend(model="translator", host=fake.url, policy=FEW_RETRIES)
        with pytest.raises(outcome, match=message):
            await backend.complete(darija(2))
        await backend.aclose()
    assert len([r for r in fake.requests if r["path"] == "/api/chat"]) == requests
