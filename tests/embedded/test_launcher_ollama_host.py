"""``make run`` with an explicit ``OLLAMA_HOST`` on a loopback port where nothing answers starts the
CPU Ollama there (it started nothing, and /healthz told the user to run ``make run``); another
machine's host is used as is."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from embedded import launcher, ollama, process
from tests.conftest import TEST_VAR


def test_a_silent_loopback_ollama_host_gets_the_cpu_ollama_on_its_port(
    mongo_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    var = tmp_path / "var"
    var.mkdir()
    # The prepared server copy and its registered model are shared with the other test sessions.
    (var / "ollama-cpu").symlink_to(TEST_VAR / "ollama-cpu")
    port = process.free_port()
    monkeypatch.setenv("OLLAMA_HOST", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("MONGODB_URI", mongo_uri)
    monkeypatch.delenv("DEFAULT_MODEL", raising=False)
    started: list[str] = []
    try:
        env = launcher.prepare(started, var)
        assert started == [ollama.NAME]
        assert env["DEFAULT_MODEL"] == ollama.DEFAULT_MODEL
        tags = httpx.get(f"http://127.0.0.1:{port}/api/tags", timeout=10).json()
        assert f"{ollama.DEFAULT_MODEL}:latest" in [model["name"] for model in tags["models"]]
    finally:
        for name in started:
            process.stop(name, var)
    assert not process.port_open("127.0.0.1", port)


def test_only_loopback_hosts_are_started_for() -> None:
    assert launcher.loopback_port("http://127.0.0.1:11500") == 11500
    assert launcher.loopback_port("localhost:11600") == 11600
    assert launcher.loopback_port("http://127.0.0.1") == ollama.DEFAULT_PORT
    assert launcher.loopback_port("http://gpu-box.lan:11434") is None
    assert launcher.loopback_port("https://ollama.example.org") is None


def test_a_fleet_is_used_as_is_and_nothing_is_started(
    mongo_uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``make run`` with OLLAMA_HOSTS: those hosts are the operator's (other machines, or silent
    for now); no CPU Ollama is started, even where the first one is a silent loopback port."""
    var = tmp_path / "var"
    var.mkdir()
    port = process.free_port()
    monkeypatch.setenv("OLLAMA_HOSTS", f"http://127.0.0.1:{port},http://gpu-2.internal:11434")
    monkeypatch.delenv("OLLAMA_HOST", raising=False)
    monkeypatch.setenv("MONGODB_URI", mongo_uri)
    started: list[str] = []
    try:
        launcher.prepare(started, var)
    finally:
        for name in started:
            process.stop(name, var)
    assert started == []
    assert not process.port_open("127.0.0.1", port)
