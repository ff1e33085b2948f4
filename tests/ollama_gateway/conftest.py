"""The fake Ollama on a thread of this process, and a gateway to it, for the gateway's own tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from ollama_gateway import OllamaGateway
from tests.fakes.fake_ollama import FakeOllama


@pytest.fixture
def fake() -> Iterator[FakeOllama]:
    with FakeOllama() as server:
        yield server


@pytest.fixture
async def gateway(fake: FakeOllama) -> AsyncIterator[OllamaGateway]:
    async with OllamaGateway(fake.url, read_timeout=5) as client:
        yield client
