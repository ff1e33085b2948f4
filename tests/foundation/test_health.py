"""``/healthz`` reports every part; with Ollama gone it answers 503 and names it."""

from __future__ import annotations

import dataclasses

import httpx

from embedded import ollama, process
from tests.conftest import SESSION_VAR, TEST_VAR


def test_health_is_green_with_versions(live_server, ollama_model) -> None:
    body = httpx.get(f"{live_server.url}/healthz", timeout=10).json()
    assert body["status"] == "ok", body
    assert body["mongodb"]["ok"] and body["mongodb"]["version"]
    assert body["channel_layer"]["ok"] and body["channel_layer"]["backend"] == "in-memory"
    assert body["ollama"]["version"]
    assert body["ollama"]["default_model_available"] is True
    assert any(name.startswith(ollama_model) for name in body["ollama"]["models"])


def test_health_names_ollama_when_it_stops(start_server) -> None:
    port = process.free_port()
    own = dataclasses.replace(ollama.service(port, TEST_VAR), name="ollama-health")
    process.start(own, SESSION_VAR)
    try:
        server = start_server(OLLAMA_HOST=ollama.host(port))
        assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200
        process.stop("ollama-health", SESSION_VAR)
        response = httpx.get(f"{server.url}/healthz", timeout=10)
        assert response.status_code == 503
        body = response.json()
        assert body["down"] == ["ollama"]
        assert body["ollama"]["ok"] is False and body["ollama"]["error"]
        assert body["mongodb"]["ok"] is True
    finally:
        process.stop("ollama-health", SESSION_VAR)


def test_health_uses_redis_when_configured(start_server, redis_url) -> None:
    server = start_server(REDIS_URL=redis_url)
    body = httpx.get(f"{server.url}/healthz", timeout=10).json()
    assert body["channel_layer"]["ok"] is True
    assert body["channel_layer"]["backend"] == "redis" and body["channel_layer"]["version"]
