"""Two hadra processes on Redis behind Debian's nginx running docker/nginx/hadra.conf."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from tests.conftest import SESSION_VAR
from tests.support.deployment import Deployment

Deploy = Callable[..., Awaitable[Deployment]]


@pytest.fixture
async def deploy(server_env: dict[str, str], redis_url: str) -> AsyncIterator[Deploy]:
    """``await deploy(**env)``: two hadra processes on the session's Redis and database, with ``env``
    over the tests' server environment, behind nginx; all stopped after the test."""
    started: list[Deployment] = []

    async def start(**env: str) -> Deployment:
        deployment = Deployment.of({**server_env, **env}, redis_url, SESSION_VAR / "nginx" / uuid.uuid4().hex[:8])
        started.append(deployment)
        return await asyncio.to_thread(deployment.start)

    yield start
    for deployment in started:
        deployment.stop()
