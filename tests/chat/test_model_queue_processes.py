"""The model queue across processes: two hadra servers on one Redis share one limit and one
first-in-first-out queue for their Ollama host, with positions counted across both; a server
killed while it holds a slot and a place blocks the queue only until their leases end."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from redis.asyncio import Redis

from tests.support.users import make_token, make_user
from tests.support.ws import ChatClient, deltas_text, send_and_get_answer_id

FAST = float("inf")


@pytest.fixture
async def queue_env(redis_url: str, fake_ollama: Any) -> dict[str, str]:
    """One answer at a time on the fake Ollama, leases of 2 s; the host's queue starts empty (a
    server another test killed may have left a slot in it until its lease ends)."""
    redis = Redis.from_url(redis_url)
    async for key in redis.scan_iter(match=f"hadra:admission:{{{fake_ollama.url}}}:*"):
        await redis.delete(key)
    await redis.aclose()
    return {
        "OLLAMA_HOST": fake_ollama.url,
        "REDIS_URL": redis_url,
        "HADRA_OLLAMA_MAX_PARALLEL": "1",
        "HADRA_OLLAMA_LEASE_S": "2",
        "HADRA_GENERATIONS_PER_USER": "50",
    }


async def _tab(server: Any) -> ChatClient:
    return await ChatClient.connect(server.ws_url, await make_token(await make_user("queue")))


def _positions(client: ChatClient, answer_id: str) -> list[int]:
    return [f["position"] for f in client.of_type("message.queued") if f["message_id"] == answer_id]


async def _queued(client: ChatClient, model: str, content: str) -> str:
    _, answer_id = await send_and_get_answer_id(client, content=content, model=model)
    await client.until_type("message.queued", 60, message_id=answer_id)
    return answer_id


async def test_two_processes_share_one_queue_in_order(db, start_server, queue_env, fake_ollama) -> None:
    model = "queue-two-processes"
    hold = fake_ollama.set_behaviour(model, tokens=12, tokens_per_s=4)
    one, two = await asyncio.gather(start_server.astart(**queue_env), start_server.astart(**queue_env))
    a, b, c, d = await _tab(one), await _tab(two), await _tab(one), await _tab(two)
    _, a_id = await send_and_get_answer_id(a, content="first?", model=model)
    await a.until_type("message.delta", 60, message_id=a_id)
    b_id = await _queued(b, model, "second?")
    c_id = await _queued(c, model, "third?")
    d_id = await _queued(d, model, "fourth?")
    # Places counted across both processes: each sees the answers ahead of it, wherever they run.
    assert [_positions(x, i)[0] for x, i in ((b, b_id), (c, c_id), (d, d_id))] == [0, 1, 2]

    hold.tokens_per_s = FAST
    for client, answer_id in ((a, a_id), (b, b_id), (c, c_id), (d, d_id)):
        done = await client.until_type("message.done", 60, message_id=answer_id)
        assert done["status"] == "complete" and done["content"] == deltas_text(client.frames, answer_id) == hold.reply()
    asked = [r["body"]["messages"][-1]["content"] for r in fake_ollama.requests if r["body"].get("model") == model]
    assert asked == ["first?", "second?", "third?", "fourth?"]
    for client, answer_id in ((c, c_id), (d, d_id)):
        positions = _positions(client, answer_id)
        assert positions == sorted(positions, reverse=True) and positions[-1] == 0, positions
    for client in (a, b, c, d):
        await client.close()


async def test_a_killed_process_blocks_the_queue_only_until_its_leases_end(
    db, start_server, queue_env, fake_ollama
) -> None:
    model = "queue-killed"
    hold = fake_ollama.set_behaviour(model, tokens=400, tokens_per_s=4)
    doomed, survivor = await asyncio.gather(start_server.astart(**queue_env), start_server.astart(**queue_env))
    a, c, d = await _tab(doomed), await _tab(doomed), await _tab(survivor)
    _, a_id = await send_and_get_answer_id(a, content="first?", model=model)
    await a.until_type("message.delta", 60, message_id=a_id)  # the doomed process holds the slot
    await _queued(c, model, "second?")  # and the first place in the queue
    d_id = await _queued(d, model, "third?")
    assert _positions(d, d_id) == [1]

    doomed.kill()  # no goodbye: its slot and its place stay in Redis until their leases end
    hold.tokens_per_s = FAST
    done = await d.until_type("message.done", 60, message_id=d_id)
    assert done["status"] == "complete" and done["content"] == deltas_text(d.frames, d_id) == hold.reply()
    await d.close()


async def test_a_stranger_on_the_other_process_cannot_touch_a_queued_answer(
    db, start_server, queue_env, fake_ollama
) -> None:
    """Stop, sync, reopen and regenerate a queued answer from another account, on the other process,
    while the answer ahead of it streams: each gets only ``not_found``, and the queued answer keeps
    its place, then streams and ends exact."""
    model = "queue-stranger"
    hold = fake_ollama.set_behaviour(model, tokens=12, tokens_per_s=4)
    one, two = await asyncio.gather(start_server.astart(**queue_env), start_server.astart(**queue_env))
    ahead, owner, stranger = await _tab(one), await _tab(one), await _tab(two)
    _, ahead_id = await send_and_get_answer_id(ahead, content="first?", model=model)
    await ahead.until_type("message.delta", 60, message_id=ahead_id)
    conversation_id, queued_id = await send_and_get_answer_id(owner, content="mine?", model=model)
    await owner.until_type("message.queued", 60, message_id=queued_id)

    attempts = {
        "stop": ("chat.stop", {"message_id": queued_id}),
        "sync": ("message.sync", {"message_id": queued_id}),
        "open": ("conversation.open", {"conversation_id": conversation_id}),
        "again": ("chat.regenerate", {"message_id": queued_id}),
    }
    for request_id, (frame_type, fields) in attempts.items():
        await stranger.send(frame_type, request_id=request_id, **fields)
    for request_id in attempts:
        error = await stranger.until(lambda f, r=request_id: f.get("request_id") == r, 60)
        assert (error["type"], error["code"]) == ("error", "not_found"), error
    assert not [f for f in stranger.frames if queued_id in str(f) and f["type"] != "error"]

    hold.tokens_per_s = FAST
    done = await owner.until_type("message.done", 60, message_id=queued_id)
    assert done["status"] == "complete" and done["content"] == hold.reply()
    assert _positions(owner, queued_id)[-1] == 0
    for client in (ahead, owner, stranger):
        await client.close()
