"""Across processes: two hadra servers on the Redis channel layer, and a server killed mid-answer."""

from __future__ import annotations

import asyncio
import time

from beanie import PydanticObjectId

from models import Message
from tests.chat.test_resume_and_branches import assemble
from tests.support.users import make_token, make_user
from tests.support.ws import ChatClient, deltas_text, send_and_get_answer_id


async def test_send_on_one_process_watch_and_stop_from_another(db, start_server, redis_url, fake_ollama) -> None:
    fake_ollama.set_behaviour("slow-redis-stop", tokens=400, tokens_per_s=40)
    env = {"OLLAMA_HOST": fake_ollama.url, "REDIS_URL": redis_url}
    server_a, server_b = await asyncio.gather(start_server.astart(**env), start_server.astart(**env))
    token = await make_token(await make_user())
    on_a = await ChatClient.connect(server_a.ws_url, token)
    on_b = await ChatClient.connect(server_b.ws_url, token)
    conversation_id, answer_id = await send_and_get_answer_id(
        on_a, conversation_id=None, content="hi", model="slow-redis-stop"
    )
    await on_b.send("conversation.open", conversation_id=conversation_id)
    await on_b.until_type("message.sync", 10, message_id=answer_id)  # answered by A's task, via Redis
    await on_b.until(lambda f: f["type"] == "message.delta" and f["seq"] >= 5)
    await on_b.send("chat.stop", message_id=answer_id)
    done_b = await on_b.until_type("message.done", 10, message_id=answer_id)
    done_a = await on_a.until_type("message.done", 10, message_id=answer_id)
    assert done_a["status"] == done_b["status"] == "stopped"
    assert assemble(on_b.frames, answer_id) == deltas_text(on_a.frames, answer_id) == done_a["content"]
    assert await fake_ollama.hung_up("slow-redis-stop"), "Ollama's stream was not closed"
    assert (await Message.get(PydanticObjectId(answer_id))).content == done_a["content"]
    await on_a.close()
    await on_b.close()


async def test_reconnect_to_another_process_mid_answer(db, start_server, redis_url, fake_ollama) -> None:
    # Slow, so the answer is still in flight however long the reconnect takes; sped up once resumed.
    behaviour = fake_ollama.set_behaviour("slow-redis-resume", tokens=1000, tokens_per_s=40)
    env = {"OLLAMA_HOST": fake_ollama.url, "REDIS_URL": redis_url}
    server_a, server_b = await asyncio.gather(start_server.astart(**env), start_server.astart(**env))
    token = await make_token(await make_user())
    on_a = await ChatClient.connect(server_a.ws_url, token)
    conversation_id, answer_id = await send_and_get_answer_id(
        on_a, conversation_id=None, content="hi", model="slow-redis-resume"
    )
    await on_a.until(lambda f: f["type"] == "message.delta" and f["seq"] >= 3)
    await on_a.close()
    on_b = await ChatClient.connect(server_b.ws_url, token)
    await on_b.send("conversation.open", conversation_id=conversation_id)
    await on_b.until_type("message.sync", 30, message_id=answer_id)  # answered by A's task, via Redis
    behaviour.tokens_per_s = 2000
    done = await on_b.until_type("message.done", 30, message_id=answer_id)
    expected = behaviour.reply()
    assert done["status"] == "complete" and done["content"] == expected
    assert assemble(on_b.frames, answer_id) == expected
    assert (await Message.get(PydanticObjectId(answer_id))).content == expected
    await on_b.close()


async def test_a_killed_server_leaves_the_answer_interrupted_with_its_text(db, start_server, fake_ollama) -> None:
    fake_ollama.set_behaviour("slow-crash", tokens=1000, tokens_per_s=40)
    server = await start_server.astart(OLLAMA_HOST=fake_ollama.url)
    client = await ChatClient.connect(server.ws_url, await make_token(await make_user()))
    _, answer_id = await send_and_get_answer_id(client, conversation_id=None, content="hi", model="slow-crash")
    # Crash once a checkpoint (at most about once a second) has saved some text: how soon that save
    # lands depends on the machine's disk, so wait for it in the database rather than for a while.
    deadline = time.monotonic() + 20
    while not (await Message.get(PydanticObjectId(answer_id))).content:
        assert time.monotonic() < deadline, "no checkpoint was saved while the answer streamed"
        await asyncio.sleep(0.1)
    server.kill()
    stored = await Message.get(PydanticObjectId(answer_id))
    assert stored.status == "streaming" and stored.content  # what the dead process left behind

    await start_server.astart(OLLAMA_HOST=fake_ollama.url)  # a restart sweeps on its first request
    stored = await Message.get(PydanticObjectId(answer_id))
    assert stored.status == "interrupted" and stored.error is not None and stored.error.code == "interrupted"
    # The last checkpoint may hold a piece not yet sent as a delta: compare with the model's answer.
    reply = fake_ollama.state.models["slow-crash:latest"].behaviour.reply()
    assert stored.content and reply.startswith(stored.content) and len(stored.content) < len(reply)


async def test_a_peer_killed_mid_answer_is_found_dead_and_its_conversation_takes_a_question(
    db, start_server, redis_url, fake_ollama
) -> None:
    """Two processes on Redis: the one streaming an answer is SIGKILLed. The other finds it dead
    (its liveness key expires: chat/liveness.py), ends the answer ``interrupted`` with the text
    stored, tells the user (reconnected to it) so, and takes the conversation's next question."""
    fake_ollama.set_behaviour("slow-peer-crash", tokens=1000, tokens_per_s=40)
    env = {"OLLAMA_HOST": fake_ollama.url, "REDIS_URL": redis_url}
    server_a, server_b = await asyncio.gather(start_server.astart(**env), start_server.astart(**env))
    token = await make_token(await make_user())
    on_a = await ChatClient.connect(server_a.ws_url, token)
    conversation_id, answer_id = await send_and_get_answer_id(
        on_a, conversation_id=None, content="hi", model="slow-peer-crash"
    )
    await on_a.until(lambda f: f["type"] == "message.delta" and f["seq"] >= 3)
    server_a.kill()
    on_b = await ChatClient.connect(server_b.ws_url, token)
    await on_b.send("conversation.open", conversation_id=conversation_id)
    done = await on_b.seen_or_until_type("message.done", 90, message_id=answer_id)
    assert done["status"] == "interrupted" and done["error"]["code"] == "interrupted"
    stored = await Message.get(PydanticObjectId(answer_id))
    assert stored.status == "interrupted" and stored.content == done["content"]
    fake_ollama.set_behaviour("slow-peer-crash", tokens=5, tokens_per_s=1000)
    await on_b.send("chat.send", conversation_id=conversation_id, content="again?")
    created = await on_b.until(lambda f: f["type"] == "message.created" and f["message"]["content"] == "")
    again = await on_b.until_type("message.done", 30, message_id=created["message"]["id"])
    assert again["status"] == "complete" and again["content"] == "tok0 tok1 tok2 tok3 tok4 "
    await on_b.close()
