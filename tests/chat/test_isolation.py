"""Isolation: a second account racing ``conversation.open`` and ``message.sync`` on a victim's
live answer, thousands of times, on one process and on two processes sharing Redis, receives not
one frame of it, only ``not_found`` for each attempt."""

from __future__ import annotations

import asyncio
import json

from tests.support.users import make_token, make_user
from tests.support.ws import ChatClient, send_and_get_answer_id

ATTEMPTS = 2000  # opens and syncs, half each
UNLIMITED_READS = {"HADRA_READS_PER_MINUTE": "1000000", "HADRA_MESSAGES_PER_MINUTE": "1000"}


async def _race(victim: ChatClient, attacker: ChatClient, model: str, fake_ollama) -> None:
    behaviour = fake_ollama.set_behaviour(model, tokens=100_000, tokens_per_s=200)
    conversation_id, answer_id = await send_and_get_answer_id(
        victim, conversation_id=None, content="secret", model=model
    )
    await victim.until(lambda f: f["type"] == "message.delta" and f["message_id"] == answer_id)
    hostile = []
    for i in range(ATTEMPTS // 2):
        hostile.append(
            json.dumps({"type": "conversation.open", "conversation_id": conversation_id, "request_id": f"o{i}"})
        )
        hostile.append(json.dumps({"type": "message.sync", "message_id": answer_id, "request_id": f"s{i}"}))
    sender = asyncio.create_task(_send_all(attacker, hostile))
    errors: set[str] = set()
    while len(errors) < ATTEMPTS:
        frame = await attacker.recv(60)
        assert frame["type"] == "error" and frame["code"] == "not_found", frame
        assert "secret" not in json.dumps(frame) and answer_id not in json.dumps(frame), frame
        errors.add(frame["request_id"])
    await sender
    # The race was real: the victim's answer was streaming all along (it ends only when stopped).
    behaviour.tokens_per_s = 100_000
    await victim.send("chat.stop", message_id=answer_id)
    assert (await victim.until_type("message.done", 30, message_id=answer_id))["status"] == "stopped"
    assert len([f for f in victim.of_type("message.delta") if f["message_id"] == answer_id]) > 1
    # A next question goes out while the attacker keeps trying.
    more = asyncio.create_task(_send_all(attacker, hostile[:200]))
    fake_ollama.set_behaviour(model, tokens=30, tokens_per_s=1000)
    await victim.send("chat.send", conversation_id=conversation_id, content="next secret")
    await victim.until(lambda f: f["type"] == "message.done" and f["message_id"] != answer_id, 30)
    await more
    for _ in range(200):
        frame = await attacker.recv(60)
        assert frame["type"] == "error" and frame["code"] == "not_found", frame
    await attacker.ping()
    assert all(f["type"] in {"error", "pong"} for f in attacker.frames)


async def _send_all(client: ChatClient, frames: list[str]) -> None:
    for raw in frames:
        await client.send_raw(raw)


async def test_a_stranger_racing_opens_and_syncs_sees_nothing_on_one_process(db, start_server, fake_ollama) -> None:
    server = await start_server.astart(OLLAMA_HOST=fake_ollama.url, **UNLIMITED_READS)
    victim = await ChatClient.connect(server.ws_url, await make_token(await make_user("victim")))
    attacker = await ChatClient.connect(server.ws_url, await make_token(await make_user("attacker")))
    await _race(victim, attacker, "isolation-one", fake_ollama)
    await victim.close()
    await attacker.close()


async def test_a_stranger_racing_on_another_process_sees_nothing(db, start_server, redis_url, fake_ollama) -> None:
    env = {"OLLAMA_HOST": fake_ollama.url, "REDIS_URL": redis_url, **UNLIMITED_READS}
    server_a, server_b = await asyncio.gather(start_server.astart(**env), start_server.astart(**env))
    victim = await ChatClient.connect(server_a.ws_url, await make_token(await make_user("victim")))
    attacker = await ChatClient.connect(server_b.ws_url, await make_token(await make_user("attacker")))
    await _race(victim, attacker, "isolation-two", fake_ollama)
    await victim.close()
    await attacker.close()


async def test_a_stranger_on_another_process_can_neither_stop_nor_change_a_live_answer(
    db, start_server, redis_url, fake_ollama
) -> None:
    """stop, regenerate, edit, send into the conversation and revoking the owner's token, raced
    from process B while the owner's answer streams on process A: every one is ``not_found``, the
    answer ends ``complete`` with all its text, and the owner's socket stays signed in."""
    import httpx

    from models import ApiToken

    env = {"OLLAMA_HOST": fake_ollama.url, "REDIS_URL": redis_url, **UNLIMITED_READS}
    server_a, server_b = await asyncio.gather(start_server.astart(**env), start_server.astart(**env))
    owner = await make_user("victim")
    owner_token = await make_token(owner)
    token_id = str((await ApiToken.find_one({"user_id": owner.id})).id)
    victim = await ChatClient.connect(server_a.ws_url, owner_token)
    stranger_token = await make_token(await make_user("attacker"))
    attacker = await ChatClient.connect(server_b.ws_url, stranger_token)
    # Slow enough to be in flight for the whole attack, then let through at once.
    behaviour = fake_ollama.set_behaviour("isolation-mutate", tokens=20_000, tokens_per_s=200)
    conversation_id, answer_id = await send_and_get_answer_id(
        victim, conversation_id=None, content="secret", model="isolation-mutate"
    )
    await victim.until(lambda f: f["type"] == "message.delta" and f["message_id"] == answer_id)
    hostile = [
        {"type": "chat.stop", "message_id": answer_id},
        {"type": "chat.regenerate", "message_id": answer_id},
        {"type": "chat.edit", "message_id": answer_id, "content": "mine now"},
        {"type": "chat.send", "conversation_id": conversation_id, "content": "hijack"},
    ]
    rounds = 100
    for i in range(rounds):
        for frame in hostile:
            await attacker.send_raw(json.dumps({**frame, "request_id": f"{frame['type']}{i}"}))
    async with httpx.AsyncClient(base_url=server_b.url, headers={"Authorization": f"Bearer {stranger_token}"}) as http:
        revokes = [await http.delete(f"/api/tokens/{token_id}") for _ in range(20)]
    assert {r.status_code for r in revokes} == {404}
    for _ in range(rounds * len(hostile)):
        frame = await attacker.recv(60)
        assert frame["type"] == "error" and frame["code"] == "not_found", frame
    await victim.ping()  # still signed in: the token was not revoked
    behaviour.tokens_per_s = float("inf")
    done = await victim.until_type("message.done", 60, message_id=answer_id)
    assert done["status"] == "complete" and done["content"] == behaviour.reply()
    assert all(f["type"] in {"error", "pong"} for f in attacker.frames)
    await victim.close()
    await attacker.close()
