"""Blobs and model creation in both API forms, against the fake (the real 0.5.4 server knows only
the legacy form; tests/ollama_gateway/test_real_ollama.py covers that one for real)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from ollama_gateway import ModelNotFound, OllamaGateway, OllamaRequestFailed, legacy_modelfile
from tests.fakes.fake_ollama import FakeOllama


@pytest.fixture(params=[False, True], ids=["current-api", "legacy-api"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeOllama]:
    with FakeOllama(legacy_create=request.param) as server:
        yield server


@pytest.fixture
async def gateway(fake: FakeOllama) -> AsyncIterator[OllamaGateway]:
    async with OllamaGateway(fake.url) as client:
        yield client


def _blob(tmp_path: Path, name: str, data: bytes) -> tuple[Path, str]:
    path = tmp_path / name
    path.write_bytes(data)
    return path, "sha256:" + hashlib.sha256(data).hexdigest()


def _calls(fake: FakeOllama, method: str, path_prefix: str) -> list[dict]:
    return [r for r in fake.requests if r["method"] == method and r["path"].startswith(path_prefix)]


async def test_a_blob_is_uploaded_once(fake: FakeOllama, gateway: OllamaGateway, tmp_path: Path) -> None:
    path, digest = _blob(tmp_path, "model.gguf", b"GGUF" + bytes(range(256)) * 64)
    assert await gateway.push_blob(path) == digest
    assert await gateway.push_blob(path) == digest
    assert len(_calls(fake, "POST", "/api/blobs/")) == 1
    assert len(_calls(fake, "HEAD", "/api/blobs/")) == 2


async def test_a_missing_file_is_named(gateway: OllamaGateway, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nothing\.gguf"):
        await gateway.push_blob(tmp_path / "nothing.gguf")


async def test_create_from_blob_with_adapter(fake: FakeOllama, gateway: OllamaGateway, tmp_path: Path) -> None:
    _, base = _blob(tmp_path, "base.gguf", b"base weights")
    _, adapter = _blob(tmp_path, "lora.gguf", b"lora weights")
    for name in ("base.gguf", "lora.gguf"):
        await gateway.push_blob(tmp_path / name)
    await gateway.create_model("tuned", base, [adapter], template="{{ .Prompt }}", parameters={"stop": ["<x>"]})
    await gateway.create_model("tuned-2", base, [adapter])
    assert {"tuned:latest", "tuned-2:latest"} <= {m.name for m in await gateway.list_models()}
    creates = [r["body"] for r in _calls(fake, "POST", "/api/create")]
    if fake.state.legacy_create:
        # One refusal of the current form teaches the gateway; the second create goes straight to legacy.
        assert "modelfile" not in creates[0]
        assert creates[1] == {
            "model": "tuned",
            "modelfile": legacy_modelfile(base, [adapter], "{{ .Prompt }}", {"stop": ["<x>"]}),
            "stream": False,
        }
        assert creates[2]["modelfile"] == f"FROM @{base}\nADAPTER @{adapter}\n"
        assert len(creates) == 3
    else:
        assert creates[0] == {
            "model": "tuned",
            "files": {"model.gguf": base},
            "adapters": {"adapter-0.gguf": adapter},
            "template": "{{ .Prompt }}",
            "parameters": {"stop": ["<x>"]},
            "stream": False,
        }
        assert len(creates) == 2


async def test_create_from_a_model_name(fake: FakeOllama, gateway: OllamaGateway) -> None:
    await gateway.create_model("derived", "fake-model", system="Be brief.")
    body = _calls(fake, "POST", "/api/create")[-1]["body"]
    if fake.state.legacy_create:
        assert body["modelfile"] == 'FROM fake-model\nSYSTEM "Be brief."\n'
    else:
        assert (body["from"], body["system"]) == ("fake-model", "Be brief.")
    assert "derived:latest" in {m.name for m in await gateway.list_models()}


async def test_create_from_an_unknown_model_is_model_not_found() -> None:
    # Current API only: Ollama 0.5.4 would try to pull an unknown FROM name from the internet.
    with FakeOllama() as fake:
        async with OllamaGateway(fake.url) as gateway:
            with pytest.raises(ModelNotFound):
                await gateway.create_model("derived", "no-such-base")


async def test_create_from_a_blob_never_uploaded_is_refused(gateway: OllamaGateway) -> None:
    with pytest.raises(OllamaRequestFailed, match="not found; upload it first") as caught:
        await gateway.create_model("tuned", "sha256:" + "0" * 64)
    assert caught.value.status == 400


async def test_adapters_must_be_uploaded_blobs(fake: FakeOllama, gateway: OllamaGateway) -> None:
    with pytest.raises(ValueError, match="push_blob"):
        await gateway.create_model("tuned", "fake-model", ["./lora.gguf"])
    assert _calls(fake, "POST", "/api/create") == []


async def test_delete(gateway: OllamaGateway) -> None:
    await gateway.delete_model("fake-model")
    assert await gateway.list_models() == []
    with pytest.raises(ModelNotFound):
        await gateway.delete_model("fake-model")


async def test_version(gateway: OllamaGateway) -> None:
    assert await gateway.version() == "0.12.6"


def test_the_legacy_modelfile_cannot_hold_triple_quotes() -> None:
    with pytest.raises(ValueError, match="template"):
        legacy_modelfile("base", template='say """')
