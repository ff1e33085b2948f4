"""The telemetry tests' own hadra server: on the fault-injecting fake Ollama, logging JSON, with its
metrics also on a port of their own."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from embedded.process import free_port
from tests.support.servers import LiveServer


@dataclass
class TelemetryServer:
    server: LiveServer
    metrics_port: int


@pytest.fixture(scope="session")
def telemetry_server(server_env: dict[str, str], fake_ollama) -> Iterator[TelemetryServer]:
    from tests.conftest import SESSION_VAR

    metrics_port = free_port()
    server = LiveServer(
        env={
            **server_env,
            "OLLAMA_HOST": fake_ollama.url,
            "DEFAULT_MODEL": "fake-model",
            "HADRA_LOG_FORMAT": "json",
            "HADRA_METRICS_PORT": str(metrics_port),
        },
        log_path=SESSION_VAR / "log" / "daphne-telemetry.log",
    ).start()
    yield TelemetryServer(server, metrics_port)
    server.stop()
