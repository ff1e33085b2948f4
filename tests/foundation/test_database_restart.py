"""The database restarting under a running hadra: the first /healthz and the first API requests
after it is back succeed (no request meets a pooled connection the restart closed), and while it
is away the API answers 503 with a sentence, not 500."""

from __future__ import annotations

import httpx

from embedded import mongo, process
from tests.api.clients import Browser, error_code, new_credentials
from tests.conftest import SESSION_VAR
from tests.support.outages import hadra_servers, own_service


def _first_requests_succeed(server_url: str, browser: Browser, username: str) -> str:
    """/healthz, who am I, sign up: the username now logged in."""
    health = httpx.get(f"{server_url}/healthz", timeout=30)
    assert health.status_code == 200, health.text
    me = browser.get("/api/auth/me")  # the session is read from the database
    assert me.status_code == 200 and me.json()["username"] == username, me.text
    credentials = new_credentials("restart")
    assert browser.post("/api/auth/register", json=credentials).status_code == 201
    return credentials["username"]


def test_a_database_restart_and_outage(fake_ollama, tmp_path) -> None:
    port = process.free_port()
    storage = str(tmp_path / "mongo")
    with (
        own_service(mongo.service(port, SESSION_VAR, storage=storage), "mongo-restart") as restart_mongo,
        hadra_servers(fake_ollama, MONGODB_URI=mongo.uri(port)) as start,
    ):
        server = start()
        browser = Browser(server)
        credentials = new_credentials("restart")
        assert browser.post("/api/auth/register", json=credentials).status_code == 201
        assert httpx.get(f"{server.url}/healthz", timeout=30).status_code == 200

        restart_mongo()
        username = _first_requests_succeed(server.url, browser, credentials["username"])

        # A longer outage: told as such, and the first requests after it succeed too.
        process.stop("mongo-restart", SESSION_VAR)
        me = browser.get("/api/auth/me")
        assert me.status_code == 503 and error_code(me) == "unavailable", me.text
        assert "database" in me.json()["error"]["message"]
        health = httpx.get(f"{server.url}/healthz", timeout=30)
        assert health.status_code == 503 and health.json()["down"] == ["mongodb"], health.text
        restart_mongo()
        _first_requests_succeed(server.url, browser, username)
