"""The fake Ollama answers in the real server's shapes, and works as a separate process too."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest

from ollama_gateway import OllamaGateway
from tests.fakes.fake_ollama import Disconnect, FakeOllama, FakeOllamaProcess


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOllama]:
    with FakeOllama() as server:
        yield server


def _streamed_chat(base_url: str, model: str) -> tuple[httpx.Response, list[dict]]:
    body = {"model": model, "messages": [{"role": "user", "content": "Hi"}], "options": {"num_predict": 3}}
    with httpx.stream("POST", f"{base_url}/api/chat", json=body, timeout=120) as response:
        return response, [json.loads(line) for line in response.iter_lines()]


def test_chat_stream_has_the_real_shape(fake: FakeOllama, ollama_host: str, ollama_model: str) -> None:
    real_response, real = _streamed_chat(ollama_host, ollama_model)
    fake_response, faked = _streamed_chat(fake.url, "fake-model")
    for response in (real_response, fake_response):
        assert response.headers["content-type"] == "application/x-ndjson"
        assert response.headers["transfer-encoding"] == "chunked"
    assert set(faked[0]) == set(real[0])
    assert set(faked[0]["message"]) == set(real[0]["message"])
    assert set(faked[-1]) == set(real[-1])
    assert real[-1]["done"] is faked[-1]["done"] is True


def test_listing_version_and_errors_have_the_real_shape(fake: FakeOllama, ollama_host: str, ollama_model: str) -> None:
    real_tags = httpx.get(f"{ollama_host}/api/tags").json()["models"][0]
    fake_tags = httpx.get(f"{fake.url}/api/tags").json()["models"][0]
    assert set(fake_tags) == set(real_tags)
    assert set(fake_tags["details"]) == set(real_tags["details"])
    assert set(httpx.get(f"{fake.url}/api/version").json()) == set(httpx.get(f"{ollama_host}/api/version").json())
    chat = {"model": "missing", "messages": [{"role": "user", "content": "Hi"}]}
    real_404 = httpx.post(f"{ollama_host}/api/chat", json=chat)
    fake_404 = httpx.post(f"{fake.url}/api/chat", json=chat)
    assert real_404.status_code == fake_404.status_code == 404
    assert real_404.json() == fake_404.json()
    real_show = httpx.post(f"{ollama_host}/api/show", json={"model": ollama_model}).json()
    fake_show = httpx.post(f"{fake.url}/api/show", json={"model": "fake-model"}).json()
    assert set(fake_show) <= set(real_show)


async def test_as_a_process_it_is_controlled_over_http() -> None:
    with FakeOllamaProcess() as process:
        behaviour = process.set_behaviour("slow", tokens=10_000, tokens_per_s=100)
        assert behaviour.tokens == 10_000
        async with OllamaGateway(process.url) as gateway, gateway.chat_stream("slow", []) as stream:
            async for chunk in stream:
                if chunk.content == behaviour.piece(1):
                    break
        for _ in range(200):
            if process.disconnects:
                break
            await asyncio.sleep(0.025)
        [gone] = process.disconnects
        assert isinstance(gone, Disconnect) and gone.model == "slow:latest" and gone.chunks_sent >= 2
        assert [r["path"] for r in process.requests] == ["/api/chat"]
        process.reset()
        assert process.requests == [] and process.disconnects == []
