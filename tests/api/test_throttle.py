"""Login attempts are limited per username from one address and per address (a 429 with
Retry-After and a clear message), in process and, with REDIS_URL, across server processes. Guesses
from one address never lock the owner out from another: that would let anyone deny anyone.

Client addresses are distinct loopback addresses (daphne sees each as REMOTE_ADDR), picked at
random per test, so no test meets another's counts whatever the order (Redis keeps counts for a
minute across tests)."""

from __future__ import annotations

import secrets

import httpx

from tests.api.clients import Browser, error_code, new_credentials, register
from tests.support.servers import LiveServer

LIMIT = 3
PER_ADDRESS = 5


def _address() -> str:
    return "127." + ".".join(str(secrets.randbelow(254) + 1) for _ in range(3))


def _login(server: LiveServer, ip: str, username: str, password: str) -> httpx.Response:
    return Browser(server, local_address=ip).post("/api/auth/login", json={"username": username, "password": password})


def _assert_throttled(response: httpx.Response, reason: str) -> None:
    assert response.status_code == 429 and error_code(response) == "rate_limited", response.text
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert reason in response.json()["error"]["message"] and "Try again in" in response.json()["error"]["message"]


def test_guesses_from_one_address_never_lock_the_owner_out(start_server) -> None:
    server = start_server(HADRA_LOGIN_ATTEMPTS_PER_MINUTE=str(LIMIT))
    victim = register(Browser(server))
    attacker, owner = _address(), _address()

    for _ in range(LIMIT):
        assert _login(server, attacker, victim["username"], "wrong-guess").status_code == 401
    # The owner, elsewhere, logs in as usual...
    assert _login(server, owner, victim["username"], victim["password"]).status_code == 200
    # ...while the attacker's address is done with this username, even with the right password.
    _assert_throttled(
        _login(server, attacker, victim["username"], victim["password"]), "for this account from your address"
    )
    assert _login(server, owner, victim["username"], victim["password"]).status_code == 200


def test_one_address_is_limited_across_usernames(start_server) -> None:
    server = start_server(
        HADRA_LOGIN_ATTEMPTS_PER_MINUTE=str(LIMIT), HADRA_LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE=str(PER_ADDRESS)
    )
    bystander = register(Browser(server))
    sprayer = _address()

    for n in range(PER_ADDRESS):
        assert _login(server, sprayer, f"nobody-{n}", "wrong-guess").status_code == 401
    _assert_throttled(_login(server, sprayer, bystander["username"], bystander["password"]), "from your address")
    # Other addresses are not affected.
    assert _login(server, _address(), bystander["username"], bystander["password"]).status_code == 200


def test_with_redis_every_process_counts_the_same_attempts(start_server, redis_url: str) -> None:
    env = {"HADRA_LOGIN_ATTEMPTS_PER_MINUTE": str(LIMIT), "REDIS_URL": redis_url}
    first, second = start_server(**env), start_server(**env)
    victim = new_credentials()
    assert Browser(first).post("/api/auth/register", json=victim).status_code == 201
    attacker = _address()
    for server in (first, second, first):
        assert _login(server, attacker, victim["username"], "wrong-guess").status_code == 401
    for server in (first, second):
        assert _login(server, _address(), victim["username"], victim["password"]).status_code == 200
    _assert_throttled(_login(second, attacker, victim["username"], victim["password"]), "for this account")
