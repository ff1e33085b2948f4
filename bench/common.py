"""Shared set-up for benchmarks: real services on free ports under var/bench, and a hadra server."""

from __future__ import annotations

import asyncio
import os
import secrets
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from embedded import mongo, ollama, process
from tests.support.servers import LiveServer

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"
SHARED_VAR = ROOT / "var" / "test"  # the prepared CPU Ollama and its model, shared with the tests


@contextmanager
def services() -> Iterator[dict[str, str]]:
    """MongoDB-protocol server and CPU Ollama for one benchmark run; stopped at the end."""
    mongo_port, ollama_port = process.free_port(), process.free_port()
    process.start(mongo.service(mongo_port, BENCH_VAR, storage=":memory:"), BENCH_VAR)
    try:
        process.start(ollama.service(ollama_port, SHARED_VAR), BENCH_VAR)
        try:
            host = ollama.host(ollama_port)
            yield {
                "MONGODB_URI": mongo.uri(mongo_port),
                "OLLAMA_HOST": host,
                "DEFAULT_MODEL": ollama.ensure_model(host, var=SHARED_VAR),
                "SECRET_KEY": secrets.token_urlsafe(50),
                "REDIS_URL": "",
            }
        finally:
            process.stop(ollama.NAME, BENCH_VAR)
    finally:
        process.stop(mongo.NAME, BENCH_VAR)


@contextmanager
def hadra(env: dict[str, str], **extra: str) -> Iterator[LiveServer]:
    server = LiveServer(env={**env, **extra}, log_path=BENCH_VAR / "log" / "daphne.log").start()
    try:
        yield server
    finally:
        server.stop()


async def bearer_token(mongo_uri: str) -> str:
    """A user and an API token made straight in the database, as the tests do."""
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asgi_app.settings")
    from models import init_db
    from tests.support.users import make_token, make_user

    await init_db(mongo_uri)
    return await make_token(await make_user("bench"))


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[max(0, round(0.9 * len(ordered)) - 1)]
    return f"median {statistics.median(values):7.1f} ms  p90 {p90:7.1f} ms  (n={len(values)})"


def run(main) -> None:
    asyncio.run(main())
