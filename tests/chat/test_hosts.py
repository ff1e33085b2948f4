"""Several Ollama hosts behind one hadra (OLLAMA_HOSTS), on protocol-faithful fake hosts, which
record every request, so a test sees which host each answer went to: answers spread over the
hosts, a conversation stays on its host while that host has room, a host that is down or lacks
the model is skipped, the choice holds across two processes on Redis, and a host that goes away
mid-answer fails only its own answers while the next ones go to the other host.

The same with two real CPU Ollama processes: tests/chat/test_hosts_real.py.
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

from beanie import PydanticObjectId

from embedded.process import free_port
from models import Message
from tests.fakes.fake_ollama import FakeOllama
from tests.support.users import make_token, make_user
from tests.support.ws import ChatClient, deltas_text, finished_answer, send_and_get_answer_id


def _chats(host: FakeOllama, model: str) -> int:
    """The answers ``host`` was asked for with ``model``."""
    return sum(1 for r in host.requests if r["path"] == "/api/chat" and r["body"]["model"] == model)


def _model(name: str, *hosts: FakeOllama, **behaviour: Any) -> str:
    model = f"{name}-{secrets.token_hex(3)}"
    for host in hosts:
        host.set_behaviour(model, **behaviour)
    return model


async def _clients(url: str, count: int) -> list[ChatClient]:
    tokens = [await make_token(await make_user()) for _ in range(count)]
    return [await ChatClient.connect(url, token) for token in tokens]


async def test_answers_spread_and_a_conversation_stays_on_its_host(db, start_server, fake_ollama) -> None:
    with FakeOllama() as second:
        hosts = (fake_ollama, second)
        model = _model("spread", *hosts, tokens=20, tokens_per_s=40)
        server = await start_server.astart(
            OLLAMA_HOSTS=f"{fake_ollama.url},{second.url}", HADRA_OLLAMA_MAX_PARALLEL="1"
        )
        clients = await _clients(server.ws_url, 3)
        questions = [f"question {i}" for i in range(3)]
        ended = await asyncio.gather(
            *(
                finished_answer(c, 60, conversation_id=None, content=q, model=model)
                for c, q in zip(clients, questions, strict=True)
            )
        )
        assert [done["status"] for _, _, done in ended] == ["complete"] * 3
        # One at a time per host: the first two go one to each, the third waits for the first free.
        assert sorted(_chats(host, model) for host in hosts) == [1, 2]
        # A follow-up goes back to the host that has the conversation's prompt in its cache.
        for client, question, (conversation_id, _, _) in zip(clients, questions, ended, strict=True):
            *_, done = await finished_answer(client, 60, conversation_id=conversation_id, content="and?")
            assert done["status"] == "complete"
            [answered_first] = [h for h in hosts if _asked(h, model, [question])]
            [answered_next] = [h for h in hosts if _asked(h, model, [question, "and?"])]
            assert answered_next is answered_first, "the follow-up left its conversation's host"
        for client in clients:
            await client.close()


def _asked(host: FakeOllama, model: str, questions: list[str]) -> bool:
    """Whether ``host`` was asked for an answer whose prompt's questions are exactly ``questions``."""
    return any(
        [m["content"] for m in r["body"]["messages"] if m["role"] == "user"] == questions
        for r in host.requests
        if r["path"] == "/api/chat" and r["body"]["model"] == model
    )


async def test_a_host_that_is_down_or_lacks_the_model_gets_no_answers(db, start_server, fake_ollama) -> None:
    with FakeOllama() as without:
        model = _model("only-here", fake_ollama, tokens=3)
        dead = f"http://127.0.0.1:{free_port()}"
        server = await start_server.astart(OLLAMA_HOSTS=f"{dead},{without.url},{fake_ollama.url}")
        [client] = await _clients(server.ws_url, 1)
        for _ in range(3):
            *_, done = await finished_answer(client, 60, conversation_id=None, content="hi", model=model)
            assert done["status"] == "complete" and done["content"] == "tok0 tok1 tok2 "
        assert _chats(fake_ollama, model) == 3
        assert not [r for r in without.requests if r["path"] == "/api/chat"]
        await client.close()


async def test_two_processes_on_redis_share_the_hosts_load(db, start_server, redis_url, fake_ollama) -> None:
    """Process B sees through Redis that process A's answer holds the first host: its answer goes
    to the second host instead of waiting behind A's."""
    with FakeOllama() as second:
        model = _model("shared-load", fake_ollama, second, tokens=400, tokens_per_s=40)
        env = {"OLLAMA_HOSTS": f"{fake_ollama.url},{second.url}", "REDIS_URL": redis_url}
        server_a, server_b = await asyncio.gather(
            start_server.astart(**env, HADRA_OLLAMA_MAX_PARALLEL="1"),
            start_server.astart(**env, HADRA_OLLAMA_MAX_PARALLEL="1"),
        )
        [on_a] = await _clients(server_a.ws_url, 1)
        [on_b] = await _clients(server_b.ws_url, 1)
        _, answer_a = await send_and_get_answer_id(on_a, conversation_id=None, content="hi", model=model)
        await on_a.until(lambda f: f["type"] == "message.delta" and f["message_id"] == answer_a)
        _, answer_b = await send_and_get_answer_id(on_b, conversation_id=None, content="hi", model=model)
        await on_b.until(lambda f: f["type"] == "message.delta" and f["message_id"] == answer_b)
        assert not on_b.of_type("message.queued"), "B's answer waited behind A's"
        assert (_chats(fake_ollama, model), _chats(second, model)) == (1, 1)
        for client, answer in ((on_a, answer_a), (on_b, answer_b)):
            await client.send("chat.stop", message_id=answer)
            assert (await client.until_type("message.done", 30, message_id=answer))["status"] == "stopped"
            await client.close()


async def test_a_host_gone_mid_answer_fails_only_its_answer(db, start_server, fake_ollama) -> None:
    """The host streaming one answer stops: that answer ends failed with its text kept (shown and
    stored alike), the other host's answer completes, and the next question of the failed
    conversation is answered by the host that is left."""
    gone = FakeOllama().start()
    try:
        model = _model("host-gone", fake_ollama, gone, tokens=60, tokens_per_s=20)
        server = await start_server.astart(OLLAMA_HOSTS=f"{gone.url},{fake_ollama.url}", HADRA_OLLAMA_MAX_PARALLEL="1")
        first, other = await _clients(server.ws_url, 2)
        conversation_id, on_gone = await send_and_get_answer_id(first, conversation_id=None, content="hi", model=model)
        await first.until(lambda f: f["type"] == "message.delta" and f["message_id"] == on_gone)
        _, on_left = await send_and_get_answer_id(other, conversation_id=None, content="hi", model=model)
        await other.until(lambda f: f["type"] == "message.delta" and f["message_id"] == on_left)
        assert (_chats(gone, model), _chats(fake_ollama, model)) == (1, 1)
        gone.stop()
        failed = await first.until_type("message.done", 30, message_id=on_gone)
        assert failed["status"] == "failed" and failed["error"]["code"] == "model_server_unavailable"
        shown = deltas_text(first.frames, on_gone)
        assert shown and failed["content"] == shown
        assert (await Message.get(PydanticObjectId(on_gone))).content == shown
        fake_ollama.set_behaviour(model, tokens=60, tokens_per_s=float("inf"))
        assert (await other.until_type("message.done", 30, message_id=on_left))["status"] == "complete"
        *_, again = await finished_answer(first, 30, conversation_id=conversation_id, content="still there?")
        assert again["status"] == "complete"
        assert _chats(fake_ollama, model) == 2
        await first.close()
        await other.close()
    finally:
        gone.stop()


async def test_answers_waiting_for_a_host_that_goes_away_move_to_the_other(db, start_server, fake_ollama) -> None:
    """Answers queued on a host when it stops have shown nothing yet: they move to the host that is
    left and complete there, instead of failing one after the other as the dead host's slots free."""
    gone = FakeOllama().start()
    try:
        model = _model("queued-move", gone, fake_ollama, tokens=60, tokens_per_s=20)
        # Long health checks: only an answer's own failure tells this process the host is gone.
        server = await start_server.astart(
            OLLAMA_HOSTS=f"{gone.url},{fake_ollama.url}",
            HADRA_OLLAMA_MAX_PARALLEL="1",
            HADRA_OLLAMA_HEALTH_INTERVAL_S="600",
        )
        clients = await _clients(server.ws_url, 4)
        answers = []
        for client in clients:  # one by one: gone, other, then one queued on each
            answers.append((await send_and_get_answer_id(client, conversation_id=None, content="hi", model=model))[1])
            await client.until(
                lambda f, a=answers[-1]: f["type"] in ("message.delta", "message.queued") and f["message_id"] == a
            )
        streaming_on_gone, _, queued_on_gone, _ = answers
        assert clients[2].of_type("message.queued") and _chats(gone, model) == 1
        gone.stop()
        fake_ollama.set_behaviour(model, tokens=60, tokens_per_s=float("inf"))
        dones = [await c.until_type("message.done", 30, message_id=a) for c, a in zip(clients, answers, strict=True)]
        assert [d["status"] for d in dones] == ["failed", "complete", "complete", "complete"]
        assert dones[0]["content"] == deltas_text(clients[0].frames, streaming_on_gone)
        assert dones[2]["content"] == "".join(f"tok{i} " for i in range(60))
        assert deltas_text(clients[2].frames, queued_on_gone) == dones[2]["content"]
        assert _chats(gone, model) == 1 and _chats(fake_ollama, model) == 3
        for client in clients:
            await client.close()
    finally:
        gone.stop()
