"""Two hadra processes on Redis behind Debian's nginx running docker/nginx/hadra.conf."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest

from tests.conftest import SESSION_VAR
from tests.support.nginx import Nginx
from tests.support.servers import LiveServer

# Rate limits and model queues of these processes in a Redis database of their own: a test here
# counts login attempts from 127.0.0.1, which the session's other servers must not share.
REDIS_DB = 7


@dataclass
class Deployment:
    """What docker-compose.yml runs, locally: nginx in front of hadra processes on one Redis."""

    proxy: Nginx
    servers: list[LiveServer]

    def server_at(self, upstream: str) -> LiveServer:
        """The process nginx names in its upstream header (``127.0.0.1:port``)."""
        return next(s for s in self.servers if upstream == f"127.0.0.1:{s.port}")


Deploy = Callable[..., Awaitable[Deployment]]


@pytest.fixture
async def deploy(server_env: dict[str, str], redis_url: str) -> AsyncIterator[Deploy]:
    """``await deploy(**env)``: two hadra processes (daphne --proxy-headers, the Procfile's command)
    on the session's Redis and database, with ``env`` over the tests' server environment, behind
    nginx; all stopped after the test."""
    started: list[Deployment] = []

    async def start(processes: int = 2, **env: str) -> Deployment:
        run = SESSION_VAR / "nginx" / uuid.uuid4().hex[:8]
        full = {**server_env, "REDIS_URL": f"{redis_url.rsplit('/', 1)[0]}/{REDIS_DB}", **env}
        servers = [
            LiveServer(env=full, log_path=run / f"daphne-{i}.log", options=("--proxy-headers",))
            for i in range(processes)
        ]
        deployment = Deployment(Nginx([f"127.0.0.1:{s.port}" for s in servers], run), servers)
        started.append(deployment)
        await asyncio.gather(*(s.astart() for s in servers))
        await asyncio.to_thread(deployment.proxy.start)
        return deployment

    yield start
    for deployment in started:
        deployment.proxy.stop()
        for server in deployment.servers:
            server.stop()
