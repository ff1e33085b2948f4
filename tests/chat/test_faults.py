"""Stop, and every way Ollama can fail mid-answer, against the fault-injecting fake Ollama.

In every case the user sees the answer end with a status and a clear error, the partial text is
kept in MongoDB, and the socket stays open.
"""

from __future__ import annotations

import time

import pytest
from beanie import PydanticObjectId

from models import Conversation, Message
from tests.support.users import make_token, make_user
from tests.support.ws import ChatClient, deltas_text, finished_answer, send_and_get_answer_id


@pytest.fixture
async def client(db, fake_server):
    client = await ChatClient.connect(fake_server.ws_url, await make_token(await make_user()))
    yield client
    await client.close()


async def _stored(message_id: str) -> Message:
    return await Message.get(PydanticObjectId(message_id))


async def test_stop_ends_the_answer_keeps_its_text_and_closes_the_stream(client, fake_ollama) -> None:
    fake_ollama.set_behaviour("slow-stop", tokens=500, tokens_per_s=50)
    _, answer_id = await send_and_get_answer_id(client, conversation_id=None, content="go", model="slow-stop")
    await client.until(lambda f: f["type"] == "message.delta" and f["seq"] >= 3)
    stop_sent = time.perf_counter()
    await client.send("chat.stop", message_id=answer_id)
    done = await client.until_type("message.done", 10, message_id=answer_id)
    print(f"stop latency: {(done['_at'] - stop_sent) * 1000:.1f} ms")
    assert done["status"] == "stopped" and done["error"] is None
    assert done["content"] == deltas_text(client.frames, answer_id) and done["content"]
    # Ollama reports no counts for a stopped answer: hadra counted what was streamed.
    assert done["stats"]["eval_count"] == len(done["content"].split()) and done["stats"]["tokens_per_s"] > 0
    stored = await _stored(answer_id)
    assert stored.status == "stopped" and stored.content == done["content"]
    assert len(done["content"].split()) < 500
    assert await fake_ollama.hung_up("slow-stop"), "Ollama's stream was not closed"
    conversation = await Conversation.get(stored.conversation_id)
    assert conversation.generating_id is None
    await client.ping()


@pytest.mark.parametrize(
    ("behaviour", "expected_code", "expected_error"),
    [
        ({"status": 404}, "model_not_found", "not available"),
        ({"status": 503}, "model_server_busy", "busy"),
        ({"status": 500}, "model_server_error", "refused the request"),
        ({"tokens": 10, "end_without_done": True}, "answer_cut_short", "before it was done"),
        ({"tokens": 50, "die_after": 4}, "model_server_unavailable", "went away"),
        ({"tokens": 10, "error_after": 3}, "model_server_error", "stopped with an error"),
    ],
    ids=["unknown-model", "busy", "server-error", "no-done", "dies-mid-stream", "error-line"],
)
async def test_ollama_failures_end_the_answer_failed_with_partial_text(
    client, fake_ollama, behaviour, expected_code, expected_error
) -> None:
    model = "fault-" + "-".join(f"{k}{v}" for k, v in behaviour.items()).replace("_", "")
    fake_ollama.set_behaviour(model, tokens_per_s=200, **{"tokens": 5, **behaviour})
    _, answer_id, done = await finished_answer(client, 30, conversation_id=None, content="hi", model=model)
    assert done["status"] == "failed"
    assert done["error"]["code"] == expected_code and expected_error in done["error"]["message"], done["error"]
    stored = await _stored(answer_id)
    assert stored.status == "failed" and stored.error.model_dump(mode="json") == done["error"]
    assert stored.content == deltas_text(client.frames, answer_id) == done["content"]
    if behaviour.get("die_after") or behaviour.get("error_after") or behaviour.get("end_without_done"):
        assert stored.content, "the partial text must be kept"
    await client.ping()


async def test_ollama_unreachable(db, start_server) -> None:
    from embedded.process import free_port

    server = await start_server.astart(OLLAMA_HOST=f"http://127.0.0.1:{free_port()}")
    client = await ChatClient.connect(server.ws_url, await make_token(await make_user()))
    _, answer_id, done = await finished_answer(client, 30, conversation_id=None, content="hi", model="any")
    assert done["status"] == "failed" and done["error"]["code"] == "model_server_unavailable", done["error"]
    assert "not reachable" in done["error"]["message"]
    assert (await _stored(answer_id)).status == "failed"
    await client.ping()
    await client.close()


async def test_a_silent_ollama_times_out(db, start_server, fake_ollama) -> None:
    fake_ollama.set_behaviour("silent", tokens=10, hang_after=2)
    server = await start_server.astart(OLLAMA_HOST=fake_ollama.url, HADRA_OLLAMA_READ_TIMEOUT_S="1.5")
    client = await ChatClient.connect(server.ws_url, await make_token(await make_user()))
    _, answer_id, done = await finished_answer(client, 30, conversation_id=None, content="hi", model="silent")
    assert done["status"] == "failed" and done["error"]["code"] == "model_server_timeout", done["error"]
    assert (await _stored(answer_id)).content == done["content"] != ""
    await client.close()


async def test_one_answer_at_a_time_per_conversation(client, fake_ollama) -> None:
    fake_ollama.set_behaviour("slow-busy", tokens=200, tokens_per_s=40)
    conversation_id, answer_id = await send_and_get_answer_id(
        client, conversation_id=None, content="one", model="slow-busy"
    )
    await client.send("chat.send", conversation_id=conversation_id, content="two", request_id="second")
    error = await client.until_type("error", 10, request_id="second")
    assert error["code"] == "busy"
    await client.send("chat.stop", message_id=answer_id)
    await client.until_type("message.done", 10, message_id=answer_id)
    count = await Message.find({"conversation_id": PydanticObjectId(conversation_id)}).count()
    assert count == 2  # the refused question was not stored


async def test_deleting_a_conversation_mid_answer_stops_ollama_and_leaves_nothing(db, fake_server, fake_ollama) -> None:
    import httpx

    fake_ollama.set_behaviour("slow-delete", tokens=500, tokens_per_s=40)
    token = await make_token(await make_user())
    client = await ChatClient.connect(fake_server.ws_url, token)
    conversation_id, answer_id = await send_and_get_answer_id(
        client, conversation_id=None, content="hi", model="slow-delete"
    )
    await client.until(lambda f: f["type"] == "message.delta" and f["seq"] >= 3)
    async with httpx.AsyncClient(base_url=fake_server.url, headers={"Authorization": f"Bearer {token}"}) as http:
        assert (await http.delete(f"/api/conversations/{conversation_id}")).status_code == 204
    done = await client.seen_or_until_type("message.done", 10, message_id=answer_id)
    assert done["status"] == "stopped"
    deleted = await client.seen_or_until_type("conversation.deleted", 10)  # every tab of the user drops it
    assert deleted["conversation_id"] == conversation_id
    assert await fake_ollama.hung_up("slow-delete"), "Ollama's stream was not closed"
    assert await Conversation.get(PydanticObjectId(conversation_id)) is None
    assert await Message.find({"conversation_id": PydanticObjectId(conversation_id)}).count() == 0
    await client.close()
