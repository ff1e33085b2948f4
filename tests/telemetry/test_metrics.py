"""``/metrics``: staff only, in Prometheus' text format, and its figures move with what users do;
``HADRA_METRICS_PORT`` serves the same figures on a port of their own, and without it nothing else listens."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.parser import text_string_to_metric_families

from models import User
from tests.api.clients import Browser, bearer, error_code, register
from tests.support.users import make_token, make_user
from tests.support.ws import ChatClient, finished_answer

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def samples(text: str) -> Samples:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(found: Samples, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def scrape(client: httpx.Client) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    return samples(response.text)


async def until(check: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "not reached in time"
        await asyncio.sleep(0.1)


async def staff_token() -> str:
    return await make_token(await make_user("staff", is_staff=True))


def listening_ports(pid: int) -> set[int]:
    """The TCP ports process ``pid`` listens on (its sockets, matched in /proc's tables)."""
    sockets = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().name
        except OSError:  # closed meanwhile
            continue
        if target.startswith("socket:["):
            sockets.add(target[len("socket:[") : -1])
    ports = set()
    for table in ("tcp", "tcp6"):
        for row in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = row.split()
            if fields[3] == "0A" and fields[9] in sockets:  # LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


async def test_metrics_are_for_staff_only(telemetry_server, db) -> None:
    server = telemetry_server.server
    async with httpx.AsyncClient() as http:
        anonymous = await http.get(f"{server.url}/metrics")
    assert anonymous.status_code == 401 and error_code(anonymous) == "unauthenticated"
    unknown = bearer(server, "hadra_" + secrets.token_urlsafe(32)).get("/metrics")
    assert unknown.status_code == 401 and error_code(unknown) == "invalid_token"
    user_token = bearer(server, await make_token(await make_user())).get("/metrics")
    assert user_token.status_code == 403 and error_code(user_token) == "forbidden"
    user_session = Browser(server)
    register(user_session)
    refused = user_session.get("/metrics")
    assert refused.status_code == 403 and error_code(refused) == "forbidden"

    by_token = bearer(server, await staff_token()).get("/metrics")
    assert by_token.status_code == 200 and by_token.headers["content-type"] == CONTENT_TYPE_LATEST
    names = {name for name, _ in samples(by_token.text)}
    for name in (
        "hadra_sockets_open",
        "hadra_answer_ttft_seconds_count",
        "hadra_answer_duration_seconds_count",
        "hadra_tokens_delivered_total",
        "hadra_checkpoint_writes_total",
        "hadra_channel_layer_errors_total",
    ):
        assert name in names, name

    password = "pw-" + secrets.token_urlsafe(12)
    staff = await User(
        username=f"staff-{secrets.token_hex(4)}",
        email=f"staff-{secrets.token_hex(4)}@example.test",
        password_hash=PasswordHasher().hash(password),
        is_staff=True,
    ).insert()
    staff_session = Browser(server)
    login = staff_session.post("/api/auth/login", json={"username": staff.username, "password": password})
    assert login.status_code == 200, login.text
    assert staff_session.get("/metrics").status_code == 200


async def test_an_answer_moves_the_metrics_on_both_listeners(telemetry_server, fake_ollama, db) -> None:
    server = telemetry_server.server
    staff = bearer(server, await staff_token())
    before = scrape(staff)
    sockets = value(before, "hadra_sockets_open", kind="chat")

    client = await ChatClient.connect(server.ws_url, await make_token(await make_user()))
    try:
        await until(lambda: value(scrape(staff), "hadra_sockets_open", kind="chat") == sockets + 1)
        # Long enough (3 s) for the checkpointer to save its text at least once while it streams.
        fake_ollama.set_behaviour("metered", tokens=15, tokens_per_s=5)
        _, _, done = await finished_answer(client, 60, conversation_id=None, content="count me", model="metered")
    finally:
        await client.close()
    assert done["status"] == "complete" and done["stats"]["eval_count"] == 15

    after = scrape(staff)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("hadra_tokens_delivered_total") == 15
    assert moved("hadra_answers_ended_total", status="complete") == 1
    assert moved("hadra_answer_ttft_seconds_count") == 1
    assert moved("hadra_answer_ttft_seconds_sum") == pytest.approx(done["stats"]["ttft_ms"] / 1000)
    assert moved("hadra_answer_duration_seconds_count", status="complete") == 1
    assert moved("hadra_checkpoint_writes_total", kind="endings", outcome="ok") == 1
    assert moved("hadra_checkpoint_writes_total", kind="progress", outcome="ok") >= 1
    assert moved("hadra_checkpoint_writes_total", kind="progress", outcome="failed") == 0

    # The same figures on the metrics port, without signing in.
    async with httpx.AsyncClient(timeout=30) as http:
        port = await http.get(f"http://127.0.0.1:{telemetry_server.metrics_port}/metrics")
    assert port.status_code == 200
    assert value(samples(port.text), "hadra_tokens_delivered_total") == value(after, "hadra_tokens_delivered_total")

    await until(lambda: value(scrape(staff), "hadra_sockets_open", kind="chat") == sockets)


async def test_the_metrics_port_listens_only_when_set(telemetry_server, start_server, fake_ollama) -> None:
    assert listening_ports(telemetry_server.server.proc.pid) == {
        telemetry_server.server.port,
        telemetry_server.metrics_port,
    }
    plain = await start_server.astart(OLLAMA_HOST=fake_ollama.url, DEFAULT_MODEL="fake-model")
    assert listening_ports(plain.proc.pid) == {plain.port}
