"""The gateway for code without an event loop (the dev launcher, CLIs): the same requests and typed
errors as the async gateway, against the fake in both create forms."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from embedded.process import free_port
from ollama_gateway import OllamaRequestFailed, OllamaUnavailable, SyncOllamaGateway
from ollama_gateway.sync import answers
from tests.fakes.fake_ollama import FakeOllama


@pytest.fixture(params=[False, True], ids=["current-api", "legacy-api"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeOllama]:
    with FakeOllama(legacy_create=request.param) as server:
        yield server


def test_a_model_is_registered_from_an_uploaded_blob(fake: FakeOllama, tmp_path: Path) -> None:
    path = tmp_path / "model.gguf"
    path.write_bytes(b"GGUF weights")
    digest = "sha256:" + hashlib.sha256(b"GGUF weights").hexdigest()
    with SyncOllamaGateway(fake.url) as gateway:
        assert not gateway.has_blob(digest)
        assert gateway.push_blob(path) == digest
        assert gateway.has_blob(digest)
        assert not gateway.has_model("tuned")
        gateway.create_model("tuned", digest, template="{{ .Prompt }}", parameters={"stop": ["<x>"]})
        assert gateway.has_model("tuned")
    created = fake.state.models["tuned:latest"].created
    if fake.state.legacy_create:
        assert created["modelfile"] == f'FROM @{digest}\nTEMPLATE "{{{{ .Prompt }}}}"\nPARAMETER stop "<x>"\n'
    else:
        assert (created["files"], created["template"]) == ({"model.gguf": digest}, "{{ .Prompt }}")


def test_failures_keep_their_type(fake: FakeOllama) -> None:
    with SyncOllamaGateway(fake.url) as gateway, pytest.raises(OllamaRequestFailed) as caught:
        gateway.create_model("tuned", "sha256:" + "0" * 64)
    assert caught.value.status == 400
    with SyncOllamaGateway(f"127.0.0.1:{free_port()}") as nowhere, pytest.raises(OllamaUnavailable):
        nowhere.has_model("tuned")


def test_the_readiness_probe(fake: FakeOllama) -> None:
    assert answers(fake.url)
    assert not answers(f"127.0.0.1:{free_port()}")
