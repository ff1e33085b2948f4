"""Two real CPU Ollama processes behind one hadra: answers spread over both; killing one mid-answer
fails only the answer it was streaming (its text kept, shown and stored alike), the next answers go
to the other, and once it is back it gets answers again."""

from __future__ import annotations

import asyncio
import time

from beanie import PydanticObjectId

from embedded import ollama, process
from models import Conversation, Message
from tests.conftest import SESSION_VAR, TEST_VAR
from tests.support.users import make_token, make_user
from tests.support.ws import ChatClient, deltas_text, finished_answer, send_and_get_answer_id

NAME = "ollama-failover"
QUESTION = "Write a long story about a fisherman and the sea."


async def _host_of(conversation_id: str) -> str | None:
    conversation = await Conversation.get(PydanticObjectId(conversation_id))
    assert conversation is not None
    return conversation.ollama_host


async def test_a_killed_host_fails_only_its_answer_and_is_used_again_once_back(
    db, start_server, ollama_host, ollama_model
) -> None:
    port = process.free_port()
    service = ollama.service(port, TEST_VAR, name=NAME, state=TEST_VAR / "ollama-second")
    process.start(service, SESSION_VAR)
    second = ollama.host(port)
    try:
        await asyncio.to_thread(ollama.ensure_model, second, ollama_model, var=TEST_VAR)
        server = await start_server.astart(
            OLLAMA_HOSTS=f"{ollama_host},{second}",
            HADRA_OLLAMA_MAX_PARALLEL="1",
            HADRA_OLLAMA_HEALTH_INTERVAL_S="1",
            HADRA_MAX_ANSWER_TOKENS="200",
        )
        users = [await ChatClient.connect(server.ws_url, await make_token(await make_user())) for _ in range(2)]
        on_first, on_second = users
        conversation_a, answer_a = await send_and_get_answer_id(on_first, conversation_id=None, content=QUESTION)
        await on_first.until(lambda f: f["type"] == "message.delta" and f["message_id"] == answer_a, 120)
        conversation_b, answer_b = await send_and_get_answer_id(on_second, conversation_id=None, content=QUESTION)
        await on_second.until(lambda f: f["type"] == "message.delta" and f["message_id"] == answer_b, 120)
        # The first host was busy with the first answer: the second went to the other host.
        assert [await _host_of(conversation_a), await _host_of(conversation_b)] == [ollama_host, second]

        process.stop(NAME, SESSION_VAR, timeout=0)  # SIGKILL at once, its runner too: the host dies

        failed = await on_second.until_type("message.done", 60, message_id=answer_b)
        assert failed["status"] == "failed", failed
        assert failed["error"]["code"] in {"model_server_unavailable", "answer_cut_short"}, failed
        shown = deltas_text(on_second.frames, answer_b)
        assert shown and failed["content"] == shown
        assert (await Message.get(PydanticObjectId(answer_b))).content == shown
        done_a = await on_first.until_type("message.done", 180, message_id=answer_a)
        assert done_a["status"] == "complete" and done_a["content"]

        # The user whose answer failed asks again: the host that is left answers.
        *_, again = await finished_answer(on_second, 180, conversation_id=conversation_b, content="Go on.")
        assert again["status"] == "complete" and again["content"]
        assert await _host_of(conversation_b) == ollama_host

        # Back: within a few health checks, two answers at once go one to each host again.
        await asyncio.to_thread(process.start, service, SESSION_VAR)
        hosts: set[str | None] = set()
        deadline = time.monotonic() + 90
        while second not in hosts and time.monotonic() < deadline:
            ended = await asyncio.gather(
                *(finished_answer(user, 180, conversation_id=None, content="Say hello.") for user in users)
            )
            assert [done["status"] for _, _, done in ended] == ["complete", "complete"]
            hosts = {await _host_of(conversation_id) for conversation_id, _, _ in ended}
        assert hosts == {ollama_host, second}
        for user in users:
            await user.close()
    finally:
        process.stop(NAME, SESSION_VAR)
