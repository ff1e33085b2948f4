"""Limits: messages per minute (in-process and shared through Redis), and coalesced deltas."""

from __future__ import annotations

import asyncio
import time

from models import Message
from tests.support.users import make_token, make_user
from tests.support.ws import ChatClient, deltas_text, finished_answer


async def _send_new(client: ChatClient, model: str, request_id: str) -> dict:
    await client.send("chat.send", conversation_id=None, content="hi", model=model, request_id=request_id)
    return await client.until(lambda f: f.get("request_id") == request_id and f["type"] in {"error", "message.created"})


async def test_messages_per_minute_are_limited_with_a_clear_error(db, start_server, fake_ollama) -> None:
    fake_ollama.set_behaviour("fast-limit", tokens=1, tokens_per_s=500)
    server = await start_server.astart(OLLAMA_HOST=fake_ollama.url, HADRA_MESSAGES_PER_MINUTE="2")
    client = await ChatClient.connect(server.ws_url, await make_token(await make_user()))
    replies = [await _send_new(client, "fast-limit", f"r{i}") for i in range(3)]
    assert [r["type"] for r in replies] == ["message.created", "message.created", "error"]
    assert replies[2]["code"] == "rate_limited" and "2 messages a minute" in replies[2]["message"]
    await client.ping()
    await client.close()


async def test_the_limit_is_shared_by_processes_through_redis(db, start_server, redis_url, fake_ollama) -> None:
    fake_ollama.set_behaviour("fast-limit-redis", tokens=1, tokens_per_s=500)
    env = {"OLLAMA_HOST": fake_ollama.url, "REDIS_URL": redis_url, "HADRA_MESSAGES_PER_MINUTE": "2"}
    server_a, server_b = await asyncio.gather(start_server.astart(**env), start_server.astart(**env))
    token = await make_token(await make_user())
    on_a, on_b = await ChatClient.connect(server_a.ws_url, token), await ChatClient.connect(server_b.ws_url, token)
    assert (await _send_new(on_a, "fast-limit-redis", "a1"))["type"] == "message.created"
    assert (await _send_new(on_b, "fast-limit-redis", "b1"))["type"] == "message.created"
    refused = await _send_new(on_a, "fast-limit-redis", "a2")
    assert refused["type"] == "error" and refused["code"] == "rate_limited"
    await on_a.close()
    await on_b.close()


async def test_a_fast_model_is_coalesced_into_few_frames(db, fake_server, fake_ollama) -> None:
    behaviour = fake_ollama.set_behaviour("fast-many", tokens=3000, tokens_per_s=3000)
    client = await ChatClient.connect(fake_server.ws_url, await make_token(await make_user()))
    _, answer_id, done = await finished_answer(client, 60, conversation_id=None, content="go", model="fast-many")
    deltas = [f for f in client.frames if f["type"] == "message.delta"]
    assert done["status"] == "complete" and deltas_text(client.frames, answer_id) == behaviour.reply()
    assert len(deltas) < 3000 / 10, f"{len(deltas)} frames for 3000 tokens"
    await client.close()


async def test_generations_at_once_per_user_are_limited(db, start_server, fake_ollama) -> None:
    fake_ollama.set_behaviour("slow-concurrent", tokens=300, tokens_per_s=40)
    server = await start_server.astart(OLLAMA_HOST=fake_ollama.url, HADRA_GENERATIONS_PER_USER="1")
    client = await ChatClient.connect(server.ws_url, await make_token(await make_user()))
    await _send_new(client, "slow-concurrent", "g1")
    first = await client.until(lambda f: f["type"] == "message.created" and f["message"]["role"] == "assistant")
    refused = await _send_new(client, "slow-concurrent", "g2")  # another conversation, same user
    assert refused["type"] == "error" and refused["code"] == "too_many_generations"
    await client.send("chat.stop", message_id=first["message"]["id"])
    await client.until_type("message.done", 10, message_id=first["message"]["id"])
    assert (await _send_new(client, "slow-concurrent", "g3"))["type"] == "message.created"
    await client.close()


def _rss_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


async def test_a_client_that_stops_reading_does_not_grow_the_server(db, start_server, fake_ollama) -> None:
    """A stalled socket holds at most the frames of the answers sent to it (coalesced, capped in
    length); the server's memory stays flat and other users are served meanwhile."""
    behaviour = fake_ollama.set_behaviour("fast-stalled", tokens=10_000, tokens_per_s=10_000)
    fake_ollama.set_behaviour("fast-other", tokens=5, tokens_per_s=500)
    server = await start_server.astart(OLLAMA_HOST=fake_ollama.url, HADRA_MAX_FRAME_BYTES="65536")
    user = await make_user()
    stalled = await ChatClient.connect(server.ws_url, await make_token(user))
    stalled.ws.transport.pause_reading()  # the client stops reading: TCP buffers fill, then the server's
    other = await ChatClient.connect(server.ws_url, await make_token(await make_user()))
    await other.ping()
    before = _rss_mb(server.proc.pid)
    for _ in range(3):
        await stalled.send("chat.send", conversation_id=None, content="go", model="fast-stalled")
        _, _, done = await finished_answer(other, 20, conversation_id=None, content="hi", model="fast-other")
        assert done["status"] == "complete"
    deadline = time.monotonic() + 120  # wait until the three stalled answers are finished and saved
    while await Message.find({"user_id": user.id, "role": "assistant", "status": "complete"}).count() < 3:
        assert time.monotonic() < deadline, "the stalled client's answers never finished"
        await asyncio.sleep(0.5)
    grown = _rss_mb(server.proc.pid) - before
    print(f"server RSS grew {grown:.1f} MB for {3 * len(behaviour.reply()) / 1e6:.1f} MB of stalled answers")
    assert grown < 60
    stalled.ws.transport.resume_reading()
    done = [await stalled.until(lambda f: f["type"] == "message.done", 60) for _ in range(3)]
    assert all(d["status"] == "complete" and d["content"] == behaviour.reply() for d in done)
    await stalled.close()
    await other.close()


async def test_opens_and_syncs_have_a_budget_of_their_own(db, start_server, fake_ollama) -> None:
    behaviour = fake_ollama.set_behaviour("reads-limit", tokens=100_000, tokens_per_s=50)
    server = await start_server.astart(OLLAMA_HOST=fake_ollama.url, HADRA_READS_PER_MINUTE="4")
    client = await ChatClient.connect(server.ws_url, await make_token(await make_user()))
    await client.send("chat.send", conversation_id=None, content="hi", model="reads-limit")
    created = await client.until(lambda f: f["type"] == "message.created" and f["message"]["role"] == "assistant")
    conversation_id, answer_id = created["message"]["conversation_id"], created["message"]["id"]
    opened = []
    for i in range(5):
        await client.send("conversation.open", conversation_id=conversation_id, request_id=f"o{i}")
        opened.append(await client.until(lambda f, i=i: f.get("request_id") == f"o{i}"))
    assert [f["type"] for f in opened] == ["conversation.snapshot"] * 4 + ["error"]
    assert opened[4]["code"] == "rate_limited" and "conversation.open 4 times a minute" in opened[4]["message"]
    for i in range(5):
        await client.send("message.sync", message_id=answer_id, request_id=f"s{i}")
    # Four syncs the server made after the opens (not counted) and four asked for; the fifth is refused.
    syncs = lambda: [f for f in client.frames if f["type"] == "message.sync"]  # noqa: E731
    refused = await client.until(lambda f: f.get("request_id") == "s4")
    assert refused["type"] == "error" and refused["code"] == "rate_limited"
    while len(syncs()) < 8:
        await client.recv(30)
    assert {f["message_id"] for f in syncs()} == {answer_id}
    assert [f["request_id"] for f in client.frames if f["type"] == "error"] == ["o4", "s4"]
    await client.ping()
    behaviour.tokens_per_s = 100_000
    await client.send("chat.stop", message_id=answer_id)
    await client.until_type("message.done", 30, message_id=answer_id)
    await client.close()
