"""Shared set-up for benchmarks: real services on free ports under var/bench, and a hadra server
started the way ``make run`` starts it, with a user signed up over its own HTTP API."""

from __future__ import annotations

import secrets
import statistics
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from embedded import launcher, mongo, ollama, process, redis

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
def database_and_redis(var: Path) -> Iterator[dict[str, str]]:
    """The embedded database (in memory) and Redis for a run of several hadra processes, their pid
    files and logs in ``var``; yields hadra's environment for them (and a fresh SECRET_KEY)."""
    with ExitStack() as stack:
        mongo_port, redis_port = process.free_port(), process.free_port()
        process.start(mongo.service(mongo_port, var, storage=":memory:"), var)
        stack.callback(process.stop, mongo.NAME, var)
        process.start(redis.service(redis_port, var), var)
        stack.callback(process.stop, redis.NAME, var)
        yield {
            "MONGODB_URI": mongo.uri(mongo_port),
            "REDIS_URL": redis.url(redis_port),
            "SECRET_KEY": secrets.token_urlsafe(50),
        }


@dataclass(frozen=True)
class Server:
    proc: subprocess.Popen[bytes]
    url: str

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/ws/chat/"


@contextmanager
def hadra(env: dict[str, str], timeout: float = 30, **extra: str) -> Iterator[Server]:
    """hadra (daphne, through the launcher) on a free port, its log in var/bench/log; stopped at the end."""
    port = process.free_port()
    log = BENCH_VAR / "log" / "daphne.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        proc = launcher.serve(
            "127.0.0.1", port, {**env, **extra}, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    with answering(proc, port, timeout, log) as server:
        yield server


@contextmanager
def answering(proc: subprocess.Popen[bytes], port: int, timeout: float, log: Path) -> Iterator[Server]:
    """The server ``proc`` started on ``port``, once it answers; its process group stopped at the end."""
    try:
        server = Server(proc, f"http://127.0.0.1:{port}")
        launcher.wait_until_answering(proc, server.url, timeout, log)
        yield server
    finally:
        launcher.stop_group(proc)


async def bearer_token(url: str) -> str:
    """A new user signs up and creates an API token over hadra's HTTP API, as a script's owner would."""
    name = f"bench-{secrets.token_hex(4)}"
    account = {"username": name, "email": f"{name}@example.com", "password": secrets.token_urlsafe(16)}
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        await http.get("/api/auth/me")  # sets the csrftoken cookie, as the web app's first call does
        for path, body in (("/api/auth/register", account), ("/api/tokens", {"name": "bench"})):
            response = await http.post(path, json=body, headers={"X-CSRFToken": http.cookies["csrftoken"]})
            response.raise_for_status()
        return str(response.json()["token"])


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[max(0, round(0.9 * len(ordered)) - 1)]
    return f"median {statistics.median(values):7.1f} ms  p90 {p90:7.1f} ms  (n={len(values)})"
