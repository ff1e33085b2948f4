"""The API tests' own hadra server: the real MongoDB-protocol server and Ollama from the session
fixtures, short answers (8 tokens) so chats finish fast, a login limit high enough that the tests
which are not about throttling never meet it, and every MongoDB query it makes recorded."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import LiveServer

CAPTURE = Path(__file__).resolve().parent / "capture"


@pytest.fixture(scope="session")
def query_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("queries") / "queries.jsonl"


@pytest.fixture(scope="session")
def capture_env(query_log: Path) -> dict[str, str]:
    """Environment that makes a server under test record its MongoDB queries (test_indexes.py reads them)."""
    pythonpath = os.pathsep.join(p for p in (str(CAPTURE), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": pythonpath, "HADRA_TEST_QUERY_LOG": str(query_log)}


@pytest.fixture(scope="session")
def api_server(
    server_env: dict[str, str], capture_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    env = {
        **server_env,
        **capture_env,
        "HADRA_LOGIN_ATTEMPTS_PER_MINUTE": "1000",
        "HADRA_MAX_ANSWER_TOKENS": "8",
        "HADRA_MESSAGES_PER_MINUTE": "1000",
    }
    server = LiveServer(env=env, log_path=tmp_path_factory.mktemp("log") / "daphne-api.log").start()
    yield server
    server.stop()
