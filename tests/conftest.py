"""Real parts for every test: a MongoDB-protocol server, Redis and a CPU Ollama, each started on
a free loopback port for this test session and stopped at its end, also when tests fail.

Service state lives in ``var/test/`` (kept between runs only for the prepared Ollama copy and
its registered model, so a second run starts in seconds); databases are fresh every session.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from embedded import mongo, ollama, process, redis
from tests.fakes.fake_ollama import FakeOllama
from tests.support.servers import LiveServer, ServerStarter

ROOT = Path(__file__).resolve().parent.parent
TEST_VAR = ROOT / "var" / "test"
# PID files, logs and databases of this test session: several sessions may run at once.
SESSION_VAR = TEST_VAR / "sessions" / str(os.getpid())

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asgi_app.settings")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: Playwright's sync API leaves its event loop marked as running in this
    thread, so an asyncio test collected after tests/e2e could not start its own loop."""
    items.sort(key=lambda item: "e2e" in item.path.parts)


def _stop_orphans() -> None:
    """Stop services left by test sessions that were killed before they could clean up."""
    for session in (TEST_VAR / "sessions").glob("*"):
        if session.name.isdigit() and not _alive(int(session.name)):
            for pid_file in (session / "run").glob("*.pid"):
                process.stop(pid_file.stem, session)
            shutil.rmtree(session / "mongo", ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _service(name: str, make: Callable[[], process.Service]) -> Iterator[None]:
    process.start(make(), SESSION_VAR)
    try:
        yield
    finally:
        process.stop(name, SESSION_VAR)


@pytest.fixture(scope="session", autouse=True)
def _session_var() -> Iterator[None]:
    _stop_orphans()
    SESSION_VAR.mkdir(parents=True, exist_ok=True)
    yield
    # Keep the logs for a look after a failure; drop the data.
    shutil.rmtree(SESSION_VAR / "mongo", ignore_errors=True)
    shutil.rmtree(SESSION_VAR / "run", ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
async def _close_gateways() -> AsyncIterator[None]:
    """The shared Ollama gateways this session's loop made (in-process tests) close with it."""
    yield
    from ollama_gateway.shared import close_shared_gateways

    await close_shared_gateways()


@pytest.fixture(scope="session")
def mongo_uri() -> Iterator[str]:
    port = process.free_port()
    store = SESSION_VAR / "mongo"
    for _ in _service(mongo.NAME, lambda: mongo.service(port, SESSION_VAR, storage=str(store))):
        yield mongo.uri(port)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    port = process.free_port()
    for _ in _service(redis.NAME, lambda: redis.service(port, SESSION_VAR)):
        yield redis.url(port)


@pytest.fixture(scope="session")
def ollama_host() -> Iterator[str]:
    port = process.free_port()
    # The prepared Ollama copy and its models are shared by sessions (TEST_VAR): built once.
    for _ in _service(ollama.NAME, lambda: ollama.service(port, TEST_VAR)):
        yield ollama.host(port)


@pytest.fixture(scope="session")
def ollama_model(ollama_host: str) -> str:
    return ollama.ensure_model(ollama_host, var=TEST_VAR)


@pytest.fixture(scope="session")
def second_ollama_host(ollama_model: str) -> Iterator[str]:
    """Another real CPU Ollama, with models of its own (kept in TEST_VAR between runs, as the first
    one's), holding the default model: two hosts of a fleet on one machine."""
    port = process.free_port()
    state = TEST_VAR / "ollama-second"
    for _ in _service("ollama-second", lambda: ollama.service(port, TEST_VAR, name="ollama-second", state=state)):
        url = ollama.host(port)
        ollama.ensure_model(url, ollama_model, var=TEST_VAR)
        yield url


@pytest.fixture(scope="session")
def fake_ollama() -> Iterator[FakeOllama]:
    """The fault-injecting fake Ollama (for failures and load; the real one is ``ollama_host``)."""
    with FakeOllama() as fake:
        yield fake


@pytest.fixture(scope="session")
async def db(mongo_uri: str):
    """Beanie initialised on the test session's event loop."""
    from models import init_db

    return await init_db(mongo_uri)


@pytest.fixture(scope="session")
def server_env(mongo_uri: str, ollama_host: str, ollama_model: str) -> dict[str, str]:
    """The environment a hadra server gets in tests: real MongoDB-protocol server and Ollama."""
    return {
        "MONGODB_URI": mongo_uri,
        "OLLAMA_HOST": ollama_host,
        "DEFAULT_MODEL": ollama_model,
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "REDIS_URL": "",
        # Short answers keep the suite quick on two CPU cores.
        "HADRA_MAX_ANSWER_TOKENS": "40",
        # Many tests log in from 127.0.0.1 on the shared server; the throttle has tests of its own.
        "HADRA_LOGIN_ATTEMPTS_PER_MINUTE": "1000",
    }


@pytest.fixture
def start_server(server_env: dict[str, str]) -> Iterator[ServerStarter]:
    """Start hadra (daphne) processes with extra environment: ``start_server(**env)`` from sync
    code, ``await start_server.astart(**env)`` from async code; all are stopped after the test."""
    starter = ServerStarter(env=server_env, log_dir=SESSION_VAR / "log")
    yield starter
    starter.stop_all()


@pytest.fixture(scope="session")
def live_server(server_env: dict[str, str]) -> Iterator[LiveServer]:
    """One hadra server shared by the tests that only need "a running hadra"."""
    server = LiveServer(env=server_env, log_path=SESSION_VAR / "log" / "daphne-live.log").start()
    yield server
    server.stop()
