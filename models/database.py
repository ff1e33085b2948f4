"""Connecting Beanie to MongoDB once per event loop.

Why per loop: PyMongo's async client is bound to the loop it was created on. daphne runs one
loop and has no lifespan hook, so the app calls ``init_db`` lazily on first use; tests and CLIs
that run their own loops get their own client.
"""

from __future__ import annotations

import asyncio

from beanie import init_beanie
from pymongo import AsyncMongoClient
from pymongo.errors import AutoReconnect

from models.activation import Activation, adopt_earlier_state
from models.audit import AuditEntry
from models.conversation import Conversation
from models.eval_score import EvalScore
from models.message import Message
from models.model_version import ModelVersion
from models.search_backfill import SearchBackfill
from models.search_entry import SearchEntry
from models.session import Session
from models.site_settings import SiteSettings
from models.token import ApiToken
from models.training_exclusion import TrainingExclusion
from models.training_run import TrainingRun
from models.user import User
from models.worker_heartbeat import WorkerHeartbeat

DOCUMENTS = [
    User,
    ApiToken,
    Conversation,
    Message,
    ModelVersion,
    Session,
    AuditEntry,
    TrainingRun,
    WorkerHeartbeat,
    EvalScore,
    TrainingExclusion,
    Activation,
    SiteSettings,
    SearchEntry,
    SearchBackfill,
]

_clients: dict[asyncio.AbstractEventLoop, AsyncMongoClient] = {}
_locks: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}


async def init_db(uri: str, *, server_selection_timeout_ms: int = 5000) -> AsyncMongoClient:
    """Initialise Beanie on the running loop (idempotent) and create every index."""
    loop = asyncio.get_running_loop()
    if loop in _clients:
        return _clients[loop]
    lock = _locks.setdefault(loop, asyncio.Lock())
    async with lock:
        if loop in _clients:
            return _clients[loop]
        client: AsyncMongoClient = AsyncMongoClient(
            uri, serverSelectionTimeoutMS=server_selection_timeout_ms, tz_aware=True
        )
        await init_beanie(database=client.get_default_database("hadra"), document_models=DOCUMENTS)
        await adopt_earlier_state()
        _clients[loop] = client
        return client


async def server_version() -> str | None:
    """The database server's version, asked of it now (``/healthz``): raises when it is down."""
    client = _client_for_loop()
    if client is None:
        raise RuntimeError("not connected")
    try:
        info = await client.admin.command("buildInfo")
    except AutoReconnect:
        # A pooled connection that a database restart closed fails once (commands are not retried
        # by PyMongo); the failure drops the pool, so a second try tells whether the database is up.
        info = await client.admin.command("buildInfo")
    version = info.get("version")
    return str(version) if version is not None else None


def _client_for_loop() -> AsyncMongoClient | None:
    try:
        return _clients.get(asyncio.get_running_loop())
    except RuntimeError:
        return None


async def close_db() -> None:
    loop = asyncio.get_running_loop()
    client = _clients.pop(loop, None)
    _locks.pop(loop, None)
    if client is not None:
        await client.close()
