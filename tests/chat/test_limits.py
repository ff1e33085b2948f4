"""Limits: messages per minute (in-process and shared through Redis), and coalesced deltas."""

from __future__ import annotations

from tests.support.users import make_token, make_user
from tests.support.ws import ChatClient, deltas_text, send_and_get_answer_id


async def _send_new(client: ChatClient, model: str, request_id: str) -> dict:
    await client.send("chat.send", conversation_id=None, content="hi", model=model, request_id=request_id)
    return await client.until(lambda f: f.get("request_id") == request_id and f["type"] in {"error",
                                                                                          "message.created"})


async def test_messages_per_minute_are_limited_with_a_clear_error(db, start_server, fake_ollama) -> None:
    fake_ollama.set_behaviour("fast-limit", tokens=1, tokens_per_s=500)
    server = start_server(OLLAMA_HOST=fake_ollama.url, HADRA_MESSAGES_PER_MINUTE="2")
    client = await ChatClient.connect(server.ws_url, await make_token(await make_user()))
    replies = [await _send_new(client, "fast-limit", f"r{i}") for i in range(3)]
    assert [r["type"] for r in replies] == ["message.created", "message.created", "error"]
    assert replies[2]["code"] == "rate_limited" and "2 messages a minute" in replies[2]["message"]
    await client.ping()
    await client.close()


async def test_the_limit_is_shared_by_processes_through_redis(db, start_server, redis_url, fake_ollama) -> None:
    fake_ollama.set_behaviour("fast-limit-redis", tokens=1, tokens_per_s=500)
    env = {"OLLAMA_HOST": fake_ollama.url, "REDIS_URL": redis_url, "HADRA_MESSAGES_PER_MINUTE": "2"}
    server_a, server_b = start_server(**env), start_server(**env)
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
    _, answer_id = await send_and_get_answer_id(client, conversation_id=None, content="go", model="fast-many")
    done = await client.until_type("message.done", 60, message_id=answer_id)
    deltas = [f for f in client.frames if f["type"] == "message.delta"]
    assert done["status"] == "complete" and deltas_text(client.frames, answer_id) == behaviour.reply()
    assert len(deltas) < 3000 / 10, f"{len(deltas)} frames for 3000 tokens"
    await client.close()


async def test_generations_at_once_per_user_are_limited(db, start_server, fake_ollama) -> None:
    fake_ollama.set_behaviour("slow-concurrent", tokens=300, tokens_per_s=40)
    server = start_server(OLLAMA_HOST=fake_ollama.url, HADRA_GENERATIONS_PER_USER="1")
    client = await ChatClient.connect(server.ws_url, await make_token(await make_user()))
    await _send_new(client, "slow-concurrent", "g1")
    first = await client.until(lambda f: f["type"] == "message.created" and f["message"]["role"] == "assistant")
    refused = await _send_new(client, "slow-concurrent", "g2")  # another conversation, same user
    assert refused["type"] == "error" and refused["code"] == "too_many_generations"
    await client.send("chat.stop", message_id=first["message"]["id"])
    await client.until_type("message.done", 10, message_id=first["message"]["id"])
    assert (await _send_new(client, "slow-concurrent", "g3"))["type"] == "message.created"
    await client.close()
