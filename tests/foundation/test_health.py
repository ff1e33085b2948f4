"""``/healthz``: public, it says only whether hadra can serve (and names what is down); staff get
each part's detail, per Ollama host. It is 503 when MongoDB or the channel layer is down, or when
no Ollama host can answer with the default model."""

from __future__ import annotations

import dataclasses

import httpx

from embedded import ollama, process
from tests.api.clients import Browser, bearer, register, staff_client
from tests.conftest import SESSION_VAR, TEST_VAR
from tests.fakes.fake_ollama import FakeOllama


def _dead_host() -> str:
    return f"http://127.0.0.1:{process.free_port()}"


def test_health_is_green_with_versions_for_staff_only(live_server, server_env, ollama_model) -> None:
    public = httpx.get(f"{live_server.url}/healthz", timeout=10)
    assert public.status_code == 200 and public.json() == {"status": "ok"}, public.text
    # A signed-in account that is not staff sees no more than the public: by session and by token.
    user = Browser(live_server)
    register(user)
    assert user.get("/healthz").json() == {"status": "ok"}
    token = user.post("/api/tokens", json={"name": "health"}).json()["token"]
    with bearer(live_server, token) as by_token:
        assert by_token.get("/healthz").json() == {"status": "ok"}
    with staff_client(live_server, server_env) as staff:
        body = staff.get("/healthz").json()
    assert body["status"] == "ok", body
    assert body["mongodb"]["ok"] and body["mongodb"]["version"]
    assert body["channel_layer"]["ok"] and body["channel_layer"]["backend"] == "in-memory"
    [host] = body["ollama"]["hosts"]
    assert host["ok"] and host["version"] and host["default_model_available"] is True
    assert any(name.startswith(ollama_model) for name in host["models"])
    assert body["ollama"]["serving"] == 1


def test_health_names_ollama_when_it_stops(start_server, server_env) -> None:
    port = process.free_port()
    own = dataclasses.replace(ollama.service(port, TEST_VAR), name="ollama-health")
    process.start(own, SESSION_VAR)
    try:
        server = start_server(OLLAMA_HOST=ollama.host(port))
        assert httpx.get(f"{server.url}/healthz", timeout=10).status_code == 200
        with staff_client(server, {**server_env, "OLLAMA_HOST": ollama.host(port)}) as staff:
            process.stop("ollama-health", SESSION_VAR)
            public = httpx.get(f"{server.url}/healthz", timeout=10)
            assert public.status_code == 503 and public.json() == {"status": "unavailable", "down": ["ollama"]}
            body = staff.get("/healthz").json()
        assert body["ollama"]["ok"] is False and ollama.host(port) in body["ollama"]["error"]
        assert body["ollama"]["hosts"][0]["ok"] is False and body["ollama"]["hosts"][0]["error"]
        assert body["mongodb"]["ok"] is True
    finally:
        process.stop("ollama-health", SESSION_VAR)


def test_health_uses_redis_when_configured(start_server, server_env, redis_url) -> None:
    server = start_server(REDIS_URL=redis_url)
    with staff_client(server, server_env) as staff:
        body = staff.get("/healthz").json()
    assert body["channel_layer"]["ok"] is True
    assert body["channel_layer"]["backend"] == "redis" and body["channel_layer"]["version"]
    assert body["ollama"]["hosts"][0]["answers"] == 0  # the host's admission queue, read from Redis


def test_one_host_of_two_down_is_still_healthy_and_staff_see_which(start_server, server_env, fake_ollama) -> None:
    """A fleet serves while one host can answer with the default model: the proxy keeps sending
    users; staff see the host that is down and why."""
    dead = _dead_host()
    env = {"OLLAMA_HOSTS": f"{dead},{fake_ollama.url}", "DEFAULT_MODEL": "fake-model"}
    server = start_server(**env)
    assert httpx.get(f"{server.url}/healthz", timeout=10).json() == {"status": "ok"}
    with staff_client(server, {**server_env, **env}) as staff:
        body = staff.get("/healthz").json()
    assert body["ollama"]["serving"] == 1
    first, second = body["ollama"]["hosts"]
    assert first["host"] == dead and first["ok"] is False and first["error"]
    assert second["host"] == fake_ollama.url and second["ok"] and "fake-model:latest" in second["models"]


def test_no_host_with_the_default_model_is_unavailable(start_server, server_env) -> None:
    """Both hosts up but neither has the default model: a new chat could not be answered."""
    with FakeOllama() as one, FakeOllama() as two:
        env = {"OLLAMA_HOSTS": f"{one.url},{two.url}", "DEFAULT_MODEL": "no-such-model"}
        server = start_server(**env)
        public = httpx.get(f"{server.url}/healthz", timeout=10)
        assert public.status_code == 503 and public.json() == {"status": "unavailable", "down": ["ollama"]}
        with staff_client(server, {**server_env, **env}) as staff:
            body = staff.get("/healthz").json()
    assert [h["ok"] for h in body["ollama"]["hosts"]] == [True, True]
    assert [h["default_model_available"] for h in body["ollama"]["hosts"]] == [False, False]
    assert "no-such-model" in body["ollama"]["error"]
