"""Chat tests: a hadra server on the fault-injecting fake Ollama."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def fake_server(server_env, fake_ollama):
    """hadra pointed at the fake Ollama (default model: the fake's)."""
    from tests.conftest import SESSION_VAR
    from tests.support.servers import LiveServer

    server = LiveServer(
        env={
            **server_env,
            "OLLAMA_HOST": fake_ollama.url,
            "DEFAULT_MODEL": "fake-model",
            "HADRA_MESSAGES_PER_MINUTE": "1000",
            "HADRA_GENERATIONS_PER_USER": "50",
        },
        log_path=SESSION_VAR / "log" / "daphne-fake.log",
    ).start()
    yield server
    server.stop()
