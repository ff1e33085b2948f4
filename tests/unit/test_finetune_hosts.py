"""Which Ollama hosts ``finetune register`` and the training worker put a model on: the command
line's, else the server's own environment (OLLAMA_HOSTS, else OLLAMA_HOST), as the server reads it."""

from __future__ import annotations

import pytest

from finetune.hosts import DEFAULT_HOST, ollama_hosts

A, B, C = "http://10.0.0.5:11434", "http://10.0.0.6:11434", "10.0.0.7:11434"


def test_hosts_given_repeated_or_comma_separated_each_once_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_HOSTS", "http://elsewhere:11434")
    assert ollama_hosts([f"{A}/, {B}", C, A]) == [A, B, C]


def test_without_hosts_the_servers_environment_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_HOSTS", f"{A},{B}/,")
    monkeypatch.setenv("OLLAMA_HOST", C)
    assert ollama_hosts(None) == [A, B]
    monkeypatch.delenv("OLLAMA_HOSTS")
    assert ollama_hosts([]) == [C]
    monkeypatch.delenv("OLLAMA_HOST")
    assert ollama_hosts(None) == [DEFAULT_HOST]
