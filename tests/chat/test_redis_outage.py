"""Redis restarting under two hadra processes: sockets stay open, the answer in flight finishes with
its whole text, and the first requests after Redis is back succeed (no 1011, no `internal`, no 500).

The test runs its own Redis (the session-wide one is shared by other tests) and restarts it on the
same port; a restarted Redis has lost every key, group memberships included.
"""

from __future__ import annotations

import asyncio

import httpx
from beanie import PydanticObjectId

from embedded import process, redis
from models import Message
from tests.api.clients import Browser, error_code, new_credentials
from tests.conftest import SESSION_VAR
from tests.support.outages import hadra_servers, own_service
from tests.support.users import make_token, make_user
from tests.support.ws import ChatClient, finished_answer, send_and_get_answer_id


async def _register(browser: Browser) -> int:
    response = await asyncio.to_thread(browser.post, "/api/auth/register", json=new_credentials("outage"))
    return response.status_code


async def test_a_redis_restart_is_ridden_through(db, mongo_uri, fake_ollama) -> None:
    # Slow, so the answer is still in flight however long the restart takes; sped up afterwards.
    behaviour = fake_ollama.set_behaviour("slow-redis-restart", tokens=1000, tokens_per_s=20)
    fake_ollama.set_behaviour("quick-after-restart", tokens=5)
    port = process.free_port()
    with (
        own_service(redis.service(port), "redis-restart") as restart_redis,
        hadra_servers(fake_ollama, MONGODB_URI=mongo_uri, REDIS_URL=redis.url(port)) as start,
    ):
        server_a, server_b = await asyncio.gather(start.astart(), start.astart())
        browser_a, browser_b = Browser(server_a), Browser(server_b)
        # Every pool in use before the restart: the rate limiter's, the channel layer's.
        assert await _register(browser_a) == 201 and await _register(browser_b) == 201
        token = await make_token(await make_user())
        on_a = await ChatClient.connect(server_a.ws_url, token)
        on_b = await ChatClient.connect(server_b.ws_url, token)
        conversation_id, answer_id = await send_and_get_answer_id(
            on_a, conversation_id=None, content="hi", model="slow-redis-restart"
        )
        await on_b.send("conversation.open", conversation_id=conversation_id)
        await on_b.until_type("message.sync", 30, message_id=answer_id)  # answered by A's task, via Redis
        await on_a.until(lambda f: f["type"] == "message.delta" and f["seq"] >= 3)

        await asyncio.to_thread(restart_redis)

        # The first requests after Redis is back, on both processes.
        assert await _register(browser_a) == 201
        on_c = await ChatClient.connect(server_b.ws_url, token)
        _, _, quick = await finished_answer(
            on_c, 60, conversation_id=None, content="again", model="quick-after-restart"
        )
        assert quick["status"] == "complete", quick
        assert await _register(browser_b) == 201

        assert not on_a.of_type("message.done"), "the answer ended before Redis restarted"
        behaviour.tokens_per_s = 2000
        done_a = await on_a.until_type("message.done", 60, message_id=answer_id)
        done_b = await on_b.until_type("message.done", 60, message_id=answer_id)
        assert done_a["status"] == done_b["status"] == "complete", (done_a, done_b)
        assert done_a["content"] == done_b["content"] == behaviour.reply()
        stored = await Message.get(PydanticObjectId(answer_id))
        assert stored.status == "complete" and stored.content == behaviour.reply()
        for client in (on_a, on_b, on_c):
            await client.ping()  # still open: no 1011 while Redis was away
            await client.close()


async def test_while_redis_is_away_sockets_live_and_nothing_answers_500(db, mongo_uri, fake_ollama) -> None:
    behaviour = fake_ollama.set_behaviour("slow-redis-outage", tokens=1000, tokens_per_s=20)
    port = process.free_port()
    with (
        own_service(redis.service(port), "redis-outage") as restart_redis,
        hadra_servers(fake_ollama, MONGODB_URI=mongo_uri, REDIS_URL=redis.url(port)) as start,
    ):
        server = await start.astart()
        browser = Browser(server)
        assert await _register(browser) == 201
        token = await make_token(await make_user())
        client = await ChatClient.connect(server.ws_url, token)
        _, answer_id = await send_and_get_answer_id(
            client, conversation_id=None, content="hi", model="slow-redis-outage"
        )
        await client.until(lambda f: f["type"] == "message.delta" and f["seq"] >= 3)

        process.stop("redis-outage", SESSION_VAR)
        health = await asyncio.to_thread(httpx.get, f"{server.url}/healthz", timeout=30)
        assert health.status_code == 503 and health.json()["down"] == ["channel_layer"], health.text
        response = await asyncio.to_thread(browser.post, "/api/auth/register", json=new_credentials("outage"))
        assert response.status_code == 201 or (response.status_code == 503 and error_code(response) == "unavailable"), (
            response.text
        )
        await client.ping()  # the socket lives through the outage
        newcomer = await ChatClient.connect(server.ws_url, token)
        await newcomer.ping()

        await asyncio.to_thread(restart_redis)
        behaviour.tokens_per_s = 2000
        done = await client.until_type("message.done", 60, message_id=answer_id)
        assert done["status"] == "complete" and done["content"] == behaviour.reply(), done
        for each in (client, newcomer):
            await each.close()


async def test_chat_send_while_redis_is_away_is_told_unavailable(db, mongo_uri, fake_ollama) -> None:
    port = process.free_port()
    with (
        own_service(redis.service(port), "redis-away") as _,
        hadra_servers(fake_ollama, MONGODB_URI=mongo_uri, REDIS_URL=redis.url(port)) as start,
    ):
        server = await start.astart()
        client = await ChatClient.connect(server.ws_url, await make_token(await make_user()))
        await client.ping()
        process.stop("redis-away", SESSION_VAR)
        await client.send("chat.send", content="hi", request_id="away")
        error = await client.until_type("error", 60, request_id="away")
        assert error["code"] == "unavailable" and "Redis" in error["message"], error
        await client.close()
