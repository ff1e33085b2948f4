"""Login attempts are limited per IP and per username (a 429 with Retry-After and a clear message),
in process and, with REDIS_URL, across server processes. Client addresses are distinct loopback
addresses (127.0.0.x), so the two limits can be told apart."""

from __future__ import annotations

import httpx

from tests.api.clients import Browser, error_code, new_credentials, register
from tests.support.servers import LiveServer

LIMIT = 3


def _login(server: LiveServer, ip: str, username: str, password: str) -> httpx.Response:
    return Browser(server, local_address=ip).post("/api/auth/login",
                                                  json={"username": username, "password": password})


def _assert_throttled(response: httpx.Response, reason: str) -> None:
    assert response.status_code == 429 and error_code(response) == "rate_limited", response.text
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert reason in response.json()["error"]["message"] and "Try again in" in response.json()["error"]["message"]


def test_login_is_limited_per_username_and_per_ip(start_server) -> None:
    server = start_server(HADRA_LOGIN_ATTEMPTS_PER_MINUTE=str(LIMIT))
    victim, bystander = register(Browser(server)), register(Browser(server))

    # Per username: three wrong guesses from three addresses; then even the right password waits.
    for ip in ("127.0.0.2", "127.0.0.3", "127.0.0.4"):
        assert _login(server, ip, victim["username"], "wrong-guess").status_code == 401
    _assert_throttled(_login(server, "127.0.0.5", victim["username"], victim["password"]), "for this account")

    # Per IP: three usernames from one address; the fourth attempt from it is refused.
    for n in range(LIMIT):
        assert _login(server, "127.0.0.6", f"nobody-{n}", "wrong-guess").status_code == 401
    _assert_throttled(_login(server, "127.0.0.6", bystander["username"], bystander["password"]), "from your address")

    # Other accounts from other addresses are not affected.
    assert _login(server, "127.0.0.7", bystander["username"], bystander["password"]).status_code == 200


def test_with_redis_every_process_counts_the_same_attempts(start_server, redis_url: str) -> None:
    env = {"HADRA_LOGIN_ATTEMPTS_PER_MINUTE": str(LIMIT), "REDIS_URL": redis_url}
    first, second = start_server(**env), start_server(**env)
    victim = new_credentials()
    assert Browser(first).post("/api/auth/register", json=victim).status_code == 201
    for server, ip in ((first, "127.0.0.2"), (second, "127.0.0.3"), (first, "127.0.0.4")):
        assert _login(server, ip, victim["username"], "wrong-guess").status_code == 401
    _assert_throttled(_login(second, "127.0.0.5", victim["username"], victim["password"]), "for this account")
