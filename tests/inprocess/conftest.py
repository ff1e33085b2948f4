"""The in-process layer: hadra's ASGI app run in this pytest process, on its event loop, against
the real MongoDB-protocol server and the fake Ollama; no daphne, no sockets to hadra.

Settings: Django reads the environment once per process, and the daphne tests of the same pytest
process get theirs through their subprocess's environment, so this layer overrides settings
(``override_settings``) for as long as its tests run and puts them back after the last one:
tests elsewhere never see these values. The database is the session's: one Beanie client per
event loop (models/database.py), and the tests run on the session's loop (pyproject.toml).

Start-up (``ensure_started``) runs once, before the first test here, on this loop: its sweep marks
answers left streaming by other processes interrupted, which in this single-process setting is
what a server starting does; daphne tests do not stream while tests here run.

The fake Ollama answers here: fast and deterministic. A test that needs a real model's answer can
take the session's ``ollama_host`` and ``ollama_model`` and ``override_settings(OLLAMA_HOST=...,
OLLAMA_HOSTS=[...], DEFAULT_MODEL=...)`` itself; the end-to-end happy path (tests/chat/test_real_ollama.py) has one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from django.test import override_settings

from tests.fakes.fake_ollama import FakeOllama
from tests.inprocess.chat_socket import InProcessChat

IN_MEMORY_LAYER = {"default": {"BACKEND": "asgi_app.channel_layer.FanoutLayer", "CONFIG": {"capacity": 1000}}}
# Limits high enough that the tests which are not about them never meet them; a test about one
# overrides HADRA_LIMITS itself.
GENEROUS_LIMITS = {
    "messages_per_minute": 100_000,
    "reads_per_minute": 100_000,
    "generations_per_user": 50,
    "login_attempts_per_minute": 1000,
    "login_attempts_per_address_per_minute": 1000,
}


@pytest.fixture(scope="package", autouse=True)
def inprocess_settings(mongo_uri: str, fake_ollama: FakeOllama) -> Iterator[None]:
    from django.conf import settings

    with override_settings(
        MONGODB_URI=mongo_uri,
        OLLAMA_HOST=fake_ollama.url,
        OLLAMA_HOSTS=[fake_ollama.url],
        DEFAULT_MODEL="fake-model",
        REDIS_URL="",
        CHANNEL_LAYERS=IN_MEMORY_LAYER,
        # Django's test client calls itself "testserver"; the socket client says 127.0.0.1.
        ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"],
        CSRF_TRUSTED_ORIGINS=[],
        # Short answers, as the daphne tests' servers have.
        MAX_ANSWER_TOKENS=40,
        HADRA_LIMITS={**settings.HADRA_LIMITS, **GENEROUS_LIMITS},
    ):
        yield


@pytest.fixture(scope="package")
async def application(inprocess_settings: None, db: Any) -> Any:
    """hadra's ASGI app (``asgi_app.asgi.application``: auth stack, origin check, consumer),
    started on this loop as daphne's first connection would start it."""
    from asgi_app.asgi import application
    from asgi_app.startup import ensure_started

    await ensure_started()
    return application


@pytest.fixture
async def connect(application: Any) -> AsyncIterator[Callable[..., Awaitable[InProcessChat]]]:
    """Open chat sockets (``connect(token)``, or ``connect(cookie=..., origin=...)``); all are
    closed after the test."""
    opened: list[InProcessChat] = []

    async def open_socket(token: str | None = None, **browser: str) -> InProcessChat:
        client = await InProcessChat.connect(application, token, **browser)
        opened.append(client)
        return client

    yield open_socket
    for client in opened:
        await client.close()
