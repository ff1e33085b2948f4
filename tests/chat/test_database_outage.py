"""The database going away mid-answer: the user is told, the socket lives, and the answer is
saved (failed, with its text) once the database is back."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
import time

from pymongo import MongoClient

from access.auth import TOKEN_PREFIX, token_digest
from embedded import mongo, process
from models.clock import utcnow
from tests.conftest import SESSION_VAR
from tests.support.ws import ChatClient, deltas_text, send_and_get_answer_id

OUTAGE = "mongo-outage"


def _outage_mongo(port: int) -> process.Service:
    service = mongo.service(port, SESSION_VAR, storage=str(SESSION_VAR / OUTAGE))
    return dataclasses.replace(service, name=OUTAGE)


def _user_with_token(uri: str) -> str:
    with MongoClient(uri) as client:
        db = client.get_default_database()
        user_id = db.users.insert_one(
            {
                "username": f"outage-{secrets.token_hex(3)}",
                "email": "o@example.test",
                "password_hash": "x",
                "is_staff": False,
                "created_at": utcnow(),
            }
        ).inserted_id
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        db.api_tokens.insert_one(
            {
                "user_id": user_id,
                "token_sha256": token_digest(token),
                "name": "t",
                "created_at": utcnow(),
                "last_used_at": None,
                "revoked_at": None,
            }
        )
    return token


def _stored(uri: str, message_id: str) -> dict:
    from bson import ObjectId

    with MongoClient(uri, serverSelectionTimeoutMS=2000) as client:
        return client.get_default_database().messages.find_one({"_id": ObjectId(message_id)})


async def test_the_database_going_away_mid_answer(start_server, fake_ollama) -> None:
    # Slow, so the answer is still in flight however long stopping the database takes; sped up after.
    behaviour = fake_ollama.set_behaviour("slow-outage", tokens=1000, tokens_per_s=40)
    port = process.free_port()
    uri = mongo.uri(port)
    process.start(_outage_mongo(port), SESSION_VAR)
    try:
        server = await start_server.astart(MONGODB_URI=uri, OLLAMA_HOST=fake_ollama.url)
        client = await ChatClient.connect(server.ws_url, _user_with_token(uri))
        _, answer_id = await send_and_get_answer_id(client, conversation_id=None, content="hi", model="slow-outage")
        await client.until(lambda f: f["type"] == "message.delta" and f["seq"] >= 5)
        process.stop(OUTAGE, SESSION_VAR)
        behaviour.tokens_per_s = 2000

        done = await client.until_type("message.done", 60, message_id=answer_id)
        assert done["status"] == "failed" and done["error"]["code"] == "database_gone", done["error"]
        assert done["content"] == deltas_text(client.frames, answer_id) == behaviour.reply()
        await client.ping()

        process.start(_outage_mongo(port), SESSION_VAR)
        deadline = time.monotonic() + 30
        while (stored := _stored(uri, answer_id))["status"] == "streaming" and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
        assert stored["status"] == "failed" and stored["error"]["code"] == "database_gone", stored["error"]
        assert stored["content"] == behaviour.reply()
        await client.close()
    finally:
        process.stop(OUTAGE, SESSION_VAR)
