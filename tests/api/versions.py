"""Helpers of the model-version tests: a hadra server on a database of its own (which model is
active is server-wide state), its staff and user clients, versions registered over HTTP, and
evaluation figures seeded where the worker would write them."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient

from ollama_gateway import OllamaGateway
from ollama_gateway.templates import GEMMA_STOP
from tests.api.clients import Browser, error_code, isolated_db, register, staff_client
from tests.support.servers import LiveServer, ServerStarter
from tests.support.ws import ChatClient


@dataclass
class Console:
    """One admin's and one user's view of a server (or of two sharing a database)."""

    server: LiveServer
    env: dict[str, str]
    staff: httpx.Client
    user: Browser
    tag: str

    def user_token(self) -> str:
        return self.user.post("/api/tokens", json={"name": "w"}).json()["token"]

    async def watcher(self, server: LiveServer | None = None) -> ChatClient:
        return await ChatClient.connect((server or self.server).ws_url, self.user_token())

    def register(self, name: str, model: str, **fields: Any) -> dict[str, Any]:
        body = {"name": f"{name}-{self.tag}", "base_model": "base", "ollama_model": model, **fields}
        response = self.staff.post("/api/admin/model-versions", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    def activate(self, version: dict[str, Any], reason: str | None = "test: no evaluation") -> httpx.Response:
        body = None if reason is None else {"override_reason": reason}
        return self.staff.post(f"/api/admin/model-versions/{version['id']}/activate", json=body)

    def activated(self, version: dict[str, Any], reason: str | None = "test: no evaluation") -> dict[str, Any]:
        response = self.activate(version, reason)
        assert response.status_code == 200, response.text
        return response.json()

    def rollback(self, version: dict[str, Any]) -> httpx.Response:
        return self.staff.post(f"/api/admin/model-versions/{version['id']}/rollback")

    def statuses(self) -> dict[str, str]:
        return {v["name"]: v["status"] for v in self.staff.get("/api/admin/model-versions").json()["versions"]}

    def version(self, version: dict[str, Any]) -> dict[str, Any]:
        listed = self.staff.get("/api/admin/model-versions").json()["versions"]
        return next(v for v in listed if v["id"] == version["id"])

    def audit(self) -> list[dict[str, Any]]:
        return self.staff.get("/api/admin/audit", params={"limit": 200}).json()["entries"]

    async def seed(self, collection: str, filter_: dict[str, Any], update: dict[str, Any]) -> None:
        """Write what the training worker would (a version's evaluation, a cached score)."""
        client: AsyncMongoClient = AsyncMongoClient(self.env["MONGODB_URI"])
        try:
            await client.get_default_database()[collection].update_one(filter_, update, upsert=True)
        finally:
            await client.close()


async def console(start_server: ServerStarter, server_env: dict[str, str], **env: str) -> Console:
    own = {"MONGODB_URI": isolated_db(server_env["MONGODB_URI"]), **env}
    server = await start_server.astart(**own)
    user = Browser(server)
    register(user)
    return Console(
        server, {**server_env, **own}, staff_client(server, {**server_env, **own}), user, secrets.token_hex(3)
    )


def refused(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status and error_code(response) == code, response.text
    return response.json()["error"]


@pytest.fixture
async def derived_models(ollama_host: str, ollama_model: str) -> AsyncIterator[list[str]]:
    """Three models Ollama serves, made from the test model (no new weights: fast to create and
    load); removed again after the test when a retirement did not already remove them."""
    tag = secrets.token_hex(3)
    names = [f"hadra-test-{tag}-{i}" for i in range(3)]
    async with OllamaGateway(ollama_host) as gateway:
        for i, name in enumerate(names):
            await gateway.create_model(
                name, ollama_model, parameters={"stop": [GEMMA_STOP], "temperature": 0.1 + i / 10}
            )
    yield names
    async with OllamaGateway(ollama_host) as gateway:
        for name in names:
            if await gateway.has_model(name):
                await gateway.delete_model(name)
