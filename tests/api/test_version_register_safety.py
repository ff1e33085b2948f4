"""Registering a version refuses, before anything is uploaded, a file that is not a GGUF, a GGUF cut
short or corrupt, and an adapter made for another base than the one it would be applied to: the
command says which file and why (exit 2, no traceback), and nothing changes — no Ollama model, no
blob, no version recorded, the active model as it was."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import secrets
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from finetune.gguf_check import check_adapter_base, read_header
from models import Activation, ModelVersion
from ollama_gateway import OllamaGateway
from tests.support.gguf import gguf, lora_adapter
from tests.support.servers import ROOT


def base_model(architecture: str) -> bytes:
    return gguf(
        {"general.architecture": architecture, f"{architecture}.embedding_length": 640},
        [("token_embd.weight", (640, 8))],
    )


CASES = {
    "not a GGUF": ("adapter", b"<html>404 not found</html>" + secrets.token_bytes(64), None, "is not a GGUF file"),
    "header cut short": ("adapter", lora_adapter()[:40], None, "cut short inside its GGUF header"),
    "corrupt header": ("adapter", b"GGUF" + struct.pack("<IQQ", 3, 1 << 40, 1), None, "corrupt GGUF header"),
    "truncated data": ("adapter", lora_adapter()[:-100], None, "is truncated"),
    "another architecture": ("adapter", lora_adapter("llama"), None, "adapter for a 'llama' model"),
    "another width": ("adapter", lora_adapter(width=1152), None, "1152 wide"),
    "more layers than the base": ("adapter", lora_adapter(layer=40), None, "adapts layer 40"),
    "an adapter registered as a model": ("merged", lora_adapter(), None, "not a whole model"),
    "a base file of another architecture": (
        "adapter",
        lora_adapter(),
        base_model("qwen2"),
        "its base base.gguf is 'qwen2'",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_a_bad_file_or_base_is_refused_before_anything_changes(
    case: str, tmp_path: Path, db: object, mongo_uri: str, ollama_host: str, ollama_model: str
) -> None:
    form, content, base_file, expected = CASES[case]
    export = tmp_path / "export"
    export.mkdir()
    (export / "model.gguf").write_bytes(content)
    artifact: dict = {"file": "model.gguf", "bytes": len(content)}
    if form == "adapter":
        artifact["base"] = {"ollama": ollama_model}
        if base_file is not None:
            (export / "base.gguf").write_bytes(base_file)
            artifact["base"] = {"file": "base.gguf", "bytes": len(base_file)}
    manifest = {
        "base_model": "google/gemma-3-270m",
        "template": "{{ .Prompt }}",
        "stops": [],
        "artifacts": {form: artifact},
    }
    (export / "manifest.json").write_text(json.dumps(manifest))
    name = f"hadra-unsafe-{secrets.token_hex(3)}"
    top_before = await Activation.current()

    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "finetune", "register", "--run", str(tmp_path), "--name", name, "--form", form,
         "--ollama-host", ollama_host, "--mongo-uri", mongo_uri],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "300"},
    )  # fmt: skip
    said = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 2 and "Traceback" not in said, said
    assert expected in said and ("model.gguf" in said or "base.gguf" in said), said

    assert await ModelVersion.find_one({"name": name}) is None
    top_after = await Activation.current()
    assert (top_after.seq if top_after else 0) == (top_before.seq if top_before else 0)
    async with OllamaGateway(ollama_host) as gateway:
        assert not await gateway.has_model(name)
        digest = "sha256:" + hashlib.sha256(content).hexdigest()
        assert not await gateway.has_blob(digest), "the file was uploaded before it was checked"


def test_an_adapter_for_its_base_passes(tmp_path: Path) -> None:
    (tmp_path / "adapter.gguf").write_bytes(lora_adapter())
    (tmp_path / "base.gguf").write_bytes(base_model("gemma3"))
    header = read_header(tmp_path / "adapter.gguf")
    assert header.is_adapter and header.architecture == "gemma3" and len(header.tensors) == 2
    check_adapter_base(header, "adapter.gguf", read_header(tmp_path / "base.gguf"), "base.gguf")
    served = {"general.architecture": "gemma3", "gemma3.embedding_length": 640, "gemma3.block_count": 18}
    check_adapter_base(header, "adapter.gguf", served, "hadra-gemma3")
