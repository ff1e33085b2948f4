"""The embedded CPU Ollama: a real server, the real gemma3 270M model, Gemma's chat template applied."""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

import httpx
import pytest

from embedded import ollama, process

GREEDY = {"temperature": 0, "seed": 7, "num_predict": 16}
# Unload after each answer: a prompt prefix reused from the KV cache is evaluated in a different batch
# shape, which changes the float rounding enough to flip a greedy choice of this small model.
FRESH = {"options": GREEDY, "keep_alive": 0, "stream": False}


def _chat(host: str, model: str, messages: list[dict[str, str]]) -> dict:
    response = httpx.post(
        f"{host}/api/chat",
        json={"model": model, "messages": messages, **FRESH},
        timeout=120,
    )
    response.raise_for_status()
    return response.json()


def _raw(host: str, model: str, prompt: str) -> str:
    response = httpx.post(
        f"{host}/api/generate",
        json={"model": model, "prompt": prompt, "raw": True, **FRESH},
        timeout=120,
    )
    response.raise_for_status()
    return response.json()["response"]


def test_chat_folds_the_system_prompt_into_the_first_user_turn(ollama_host: str, ollama_model: str) -> None:
    reply = _chat(
        ollama_host,
        ollama_model,
        [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Name a colour."}],
    )
    assert reply["done"] is True
    assert reply["eval_count"] > 0
    assert reply["message"]["role"] == "assistant"
    assert reply["message"]["content"].strip()
    # Greedy decoding: the chat answer is the model's answer to exactly this Gemma prompt.
    expected = _raw(
        ollama_host,
        ollama_model,
        "<start_of_turn>user\nYou are terse.\n\nName a colour.<end_of_turn>\n<start_of_turn>model\n",
    )
    assert reply["message"]["content"] == expected


def test_chat_renders_earlier_turns_in_gemma_format(ollama_host: str, ollama_model: str) -> None:
    reply = _chat(
        ollama_host,
        ollama_model,
        [
            {"role": "user", "content": "Say one."},
            {"role": "assistant", "content": "One."},
            {"role": "user", "content": "Say two."},
        ],
    )
    expected = _raw(
        ollama_host,
        ollama_model,
        "<start_of_turn>user\nSay one.<end_of_turn>\n<start_of_turn>model\nOne.<end_of_turn>\n"
        "<start_of_turn>user\nSay two.<end_of_turn>\n<start_of_turn>model\n",
    )
    assert reply["message"]["content"] == expected


def test_model_stops_at_the_end_of_its_turn(ollama_host: str, ollama_model: str) -> None:
    shown = httpx.post(f"{ollama_host}/api/show", json={"model": ollama_model}, timeout=30).json()
    assert "<start_of_turn>" in shown["template"]
    assert '"<end_of_turn>"' in shown["parameters"]


def test_ensure_model_is_idempotent(ollama_host: str, ollama_model: str, tmp_path: Path) -> None:
    assert ollama.ensure_model(ollama_host, var=tmp_path) == ollama_model
    names = [m["name"] for m in httpx.get(f"{ollama_host}/api/tags", timeout=30).json()["models"]]
    assert names.count(f"{ollama_model}:latest") == 1


def test_setup_is_idempotent_and_the_sycl_stand_in_has_no_devices(tmp_path: Path) -> None:
    libs = ollama.setup(tmp_path)
    stamp = (libs / ".hadra-setup").stat().st_mtime_ns
    assert ollama.setup(tmp_path) == libs
    assert (libs / ".hadra-setup").stat().st_mtime_ns == stamp  # the second call rebuilt nothing
    registry = ctypes.CDLL(str(libs / "libollama-ggml-sycl.so")).ggml_backend_sycl_reg
    registry.restype = ctypes.POINTER(_Registry)
    reg = registry().contents
    assert reg.api_version == 1
    assert reg.get_name(None) == b"SYCL"
    assert reg.get_device_count(None) == 0


class _Registry(ctypes.Structure):
    """ggml's ``struct ggml_backend_reg``: the layout zero_device_sycl.c must match."""

    _fields_ = [
        ("api_version", ctypes.c_int),
        ("get_name", ctypes.CFUNCTYPE(ctypes.c_char_p, ctypes.c_void_p)),
        ("get_device_count", ctypes.CFUNCTYPE(ctypes.c_size_t, ctypes.c_void_p)),
        ("get_device", ctypes.c_void_p),
        ("get_proc_address", ctypes.c_void_p),
        ("context", ctypes.c_void_p),
    ]


def test_a_fresh_var_prepares_starts_registers_and_stops(tmp_path: Path) -> None:
    """What `make run` does on a new machine, end to end, then a stop that leaves no process behind."""
    port = process.free_port()
    pid = process.start(ollama.service(port, tmp_path), tmp_path)
    try:
        host = ollama.host(port)
        assert ollama.ensure_model(host, var=tmp_path) == ollama.DEFAULT_MODEL
        reply = _chat(host, ollama.DEFAULT_MODEL, [{"role": "user", "content": "Hi"}])
        assert reply["done"] is True
        assert not list(tmp_path.rglob("*.gguf"))  # the assembled file went to Ollama, not left in var/
    finally:
        assert process.stop(ollama.NAME, tmp_path)
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)
