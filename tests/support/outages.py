"""Services a test stops and restarts on its own (Redis, the database), and hadra servers pointed at
them: the session-wide services other tests share are never touched.

The hadra servers here talk to the fake Ollama, so a test needs no real model and /healthz is green.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from embedded import process
from tests.conftest import SESSION_VAR
from tests.fakes.fake_ollama import FakeOllama
from tests.support.servers import ServerStarter


@contextmanager
def own_service(service: process.Service, name: str) -> Iterator[Callable[[], None]]:
    """Run ``service`` under its own ``name``; yields ``restart``: stop it, start it again (same
    port, same storage) and wait until it answers."""
    own = dataclasses.replace(service, name=name)

    def restart() -> None:
        process.stop(name, SESSION_VAR)
        process.start(own, SESSION_VAR)

    process.start(own, SESSION_VAR)
    try:
        yield restart
    finally:
        process.stop(name, SESSION_VAR)


@contextmanager
def hadra_servers(fake_ollama: FakeOllama, **env: str) -> Iterator[ServerStarter]:
    """Start hadra processes on the fake Ollama with ``env`` (``start()`` from sync code, ``await
    start.astart()`` from async code); all are stopped afterwards."""
    starter = ServerStarter(
        env={
            "OLLAMA_HOST": fake_ollama.url,
            "DEFAULT_MODEL": "fake-model",
            "SECRET_KEY": os.environ["SECRET_KEY"],
            "REDIS_URL": "",
            "HADRA_LOGIN_ATTEMPTS_PER_MINUTE": "1000",
            "HADRA_MESSAGES_PER_MINUTE": "1000",
            **env,
        },
        log_dir=SESSION_VAR / "log",
    )
    try:
        yield starter
    finally:
        starter.stop_all()
