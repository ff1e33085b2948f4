"""Fixtures for the translation tests: a fault-injecting Groq-compatible server on a free
loopback port, a throwaway API key built at run time, and helpers to run jobs and read results."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakes.fake_groq import FakeGroq
from translation.backends.groq import GroqBackend
from translation.engine import RunOptions, RunReport, run
from translation.ratelimit import RetryPolicy
from translation.sources import Segment
from translation.store import open_store, read_records

ROOT = Path(__file__).resolve().parents[2]
FAST_RETRIES = RetryPolicy(max_retries=3, base_delay=0.01, max_delay=0.05)

# Darija as people write it: Arabic script, Arabizi with digits, French mixed in.
DARIJA = [
    "wach rak khouya",
    "واش راك خويا",
    "kifach dayer lyoum?",
    "نحب نروح للبحر غدوة",
    "3lach ma jitch l'école?",
    "الجو سخون بزاف اليوم",
    "rani fel 5edma",
    "صحا عيدكم",
]


def darija(count: int) -> list[Segment]:
    """``count`` distinct segments with ids "0".."count-1" (ints, as the origin's data had)."""
    return [Segment(i, f"{DARIJA[i % len(DARIJA)]} {i}") for i in range(count)]


@pytest.fixture
def groq_key() -> str:
    return "test-" + secrets.token_hex(8)


@pytest.fixture
def fake_groq(groq_key: str) -> Iterator[FakeGroq]:
    with FakeGroq(api_key=groq_key) as fake:
        yield fake


@pytest.fixture
def backend(fake_groq: FakeGroq, groq_key: str) -> GroqBackend:
    return GroqBackend(api_key=groq_key, base_url=fake_groq.base_url, rpm=None, timeout=5.0, policy=FAST_RETRIES)


@dataclass
class JobResult:
    report: RunReport
    translated: list[dict]
    failed: list[dict]


async def translate(segments: list[Segment], backend: GroqBackend, folder: Path, **options: object) -> JobResult:
    """Run the engine once into ``folder`` (resuming what is there) and read back both files."""
    output, failures = open_store(folder / "out.jsonl"), open_store(folder / "out.failed.jsonl")
    try:
        report = await run(segments, backend, output, failures, RunOptions(**options))  # type: ignore[arg-type]
    finally:
        output.close()
        failures.close()
    return JobResult(report, read_records(folder / "out.jsonl"), read_records(folder / "out.failed.jsonl"))


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m translation ARGS`` as a user runs it (a separate process)."""
    return subprocess.run(
        [sys.executable, "-m", "translation", *args],
        cwd=ROOT,
        env=cli_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GROQ_API_KEY", "GROQ_BASE_URL")}
    env["PYTHONPATH"] = str(ROOT)
    env["COLUMNS"] = "200"  # keep rich's summary on one line per row
    return {**env, **(extra or {})}
