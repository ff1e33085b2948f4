"""The model queue in one process: past the host's limit an answer waits in first-in-first-out
order, its tabs see its place (``message.queued``) as the queue moves, a reload shows it, stop
takes it out, past the queue's bound a send is refused with nothing left behind, and a queued
answer counts as in flight (the per-user limit, the start-up sweep).

The fake Ollama holds the first answer open (slow) while the others queue behind it, then lets
everything run (fast); what is asserted is who got which frames in which order, never how long.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from chat import recovery
from contract.documents import MessageStatus
from models import Conversation, Message
from tests.support.users import make_token, make_user
from tests.support.ws import deltas_text, send_and_get_answer_id

FAST = float("inf")


@pytest.fixture
async def one_at_a_time() -> AsyncIterator[None]:
    """The host runs one answer at a time; a queue of up to 3."""
    with override_settings(OLLAMA_MAX_PARALLEL=1, OLLAMA_MAX_QUEUE=3):
        yield


async def _tab(connect: Any) -> Any:
    return await connect(await make_token(await make_user("queue")))


def _of(frames: list[dict[str, Any]], answer_id: str) -> list[tuple[str, Any]]:
    """What a tab heard of one answer, in order: created/queued(position)/delta/done(status)."""
    seen: list[tuple[str, Any]] = []
    for f in frames:
        if f["type"] == "message.created" and f["message"]["id"] == answer_id:
            seen.append(("created", f["message"]["status"]))
        elif f.get("message_id") == answer_id:
            detail = {"message.queued": "position", "message.done": "status"}.get(f["type"])
            seen.append((f["type"].removeprefix("message."), f[detail] if detail else None))
    return seen


def _squeezed(seen: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Deltas as one entry: how many the coalescer sends is not the point here."""
    out: list[tuple[str, Any]] = []
    for entry in seen:
        if not (entry[0] == "delta" and out and out[-1][0] == "delta"):
            out.append(entry)
    return out


def _asked(fake_ollama: Any, model: str) -> list[str]:
    """The questions Ollama was asked for ``model``, in the order it was asked them."""
    return [
        r["body"]["messages"][-1]["content"]
        for r in fake_ollama.requests
        if r["path"] == "/api/chat" and r["body"].get("model") == model
    ]


async def _holding(tab: Any, model: str, content: str) -> str:
    """Send, and wait until the answer streams: it holds the host's slot."""
    _, answer_id = await send_and_get_answer_id(tab, content=content, model=model)
    await tab.until_type("message.delta", 60, message_id=answer_id)
    return answer_id


async def _queued(tab: Any, model: str, content: str) -> tuple[str, int]:
    """Send past the limit: the answer's id and the first place it is told."""
    _, answer_id = await send_and_get_answer_id(tab, content=content, model=model)
    return answer_id, (await tab.until_type("message.queued", 60, message_id=answer_id))["position"]


async def test_answers_past_the_limit_wait_in_order_and_all_finish_exact(connect, fake_ollama, one_at_a_time) -> None:
    model = "queue-order"
    hold = fake_ollama.set_behaviour(model, tokens=12, tokens_per_s=4)
    a, b, c = [await _tab(connect) for _ in range(3)]
    a_id = await _holding(a, model, "first?")
    b_id, _ = await _queued(b, model, "second?")
    c_id, _ = await _queued(c, model, "third?")

    hold.tokens_per_s = FAST
    dones = [await tab.until_type("message.done", 60, message_id=i) for tab, i in ((a, a_id), (b, b_id), (c, c_id))]

    assert _asked(fake_ollama, model) == ["first?", "second?", "third?"]  # first in, first out
    for tab, answer_id, done in zip((a, b, c), (a_id, b_id, c_id), dones, strict=True):
        assert done["status"] == "complete", done
        assert done["content"] == deltas_text(tab.frames, answer_id) == hold.reply()
    assert _squeezed(_of(a.frames, a_id)) == [("created", "streaming"), ("delta", None), ("done", "complete")]
    assert _squeezed(_of(b.frames, b_id)) == [
        ("created", "queued"),
        ("queued", 0),
        ("delta", None),
        ("done", "complete"),
    ]
    # The third heard its place move up as the first finished, then streamed.
    assert _squeezed(_of(c.frames, c_id)) == [
        ("created", "queued"),
        ("queued", 1),
        ("queued", 0),
        ("delta", None),
        ("done", "complete"),
    ]
    for answer_id in (a_id, b_id, c_id):
        stored = await Message.get(answer_id)
        assert stored is not None and stored.status == "complete" and stored.content == hold.reply()


async def test_a_reload_shows_a_queued_answer_and_its_place(connect, fake_ollama, one_at_a_time) -> None:
    model = "queue-reload"
    hold = fake_ollama.set_behaviour(model, tokens=10, tokens_per_s=4)
    a = await _tab(connect)
    await _holding(a, model, "first?")
    token = await make_token(await make_user("queue"))
    b = await connect(token)
    conversation_id, b_id = await send_and_get_answer_id(b, content="second?", model=model)
    await b.until_type("message.queued", 60, message_id=b_id)

    again = await connect(token)  # the same user, a new tab (or the page reloaded)
    await again.send("conversation.open", conversation_id=conversation_id)
    snapshot = await again.until_type("conversation.snapshot", 60)
    assert [(m["role"], m["status"]) for m in snapshot["messages"]] == [("user", "complete"), ("assistant", "queued")]
    queued = await again.until_type("message.queued", 60, message_id=b_id)
    assert queued["position"] == 0

    hold.tokens_per_s = FAST
    done = await again.until_type("message.done", 60, message_id=b_id)
    assert done["status"] == "complete" and done["content"] == hold.reply()
    assert deltas_text(again.frames, b_id) == hold.reply()  # the new tab got every delta after the place


async def test_stop_takes_a_queued_answer_out_and_the_queue_moves_on(connect, fake_ollama, one_at_a_time) -> None:
    model = "queue-stop"
    hold = fake_ollama.set_behaviour(model, tokens=10, tokens_per_s=4)
    a, b, c = [await _tab(connect) for _ in range(3)]
    a_id = await _holding(a, model, "first?")
    b_id, _ = await _queued(b, model, "second?")
    c_id, c_place = await _queued(c, model, "third?")
    assert c_place == 1

    await b.send("chat.stop", message_id=b_id)
    stopped = await b.until_type("message.done", 60, message_id=b_id)
    assert stopped["status"] == "stopped" and stopped["content"] == ""
    await c.until(lambda f: f["type"] == "message.queued" and f["message_id"] == c_id and f["position"] == 0)

    hold.tokens_per_s = FAST
    assert (await a.until_type("message.done", 60, message_id=a_id))["status"] == "complete"
    assert (await c.until_type("message.done", 60, message_id=c_id))["status"] == "complete"
    assert _asked(fake_ollama, model) == ["first?", "third?"]  # the stopped one never reached the model
    stored = await Message.get(b_id)
    assert stored is not None and stored.status == "stopped"
    assert not any(f["type"] == "message.delta" and f["message_id"] == b_id for f in b.frames)


async def test_past_the_queue_bound_a_send_is_refused_and_leaves_nothing(connect, fake_ollama) -> None:
    model = "queue-full"
    fake_ollama.set_behaviour(model, tokens=3, tokens_per_s=FAST)
    refused = await _tab(connect)
    # A conversation with one exchange in it, made while the host is free.
    conversation_id, _ = await send_and_get_answer_id(refused, content="hello?", model=model)
    await refused.until_type("message.done", 60)
    before = await Message.find({"conversation_id": conversation_id}).count()

    with override_settings(OLLAMA_MAX_PARALLEL=1, OLLAMA_MAX_QUEUE=1):
        hold = fake_ollama.set_behaviour(model, tokens=10, tokens_per_s=4)
        a, b = await _tab(connect), await _tab(connect)
        a_id = await _holding(a, model, "first?")
        _, b_id = await send_and_get_answer_id(b, content="second?", model=model)
        await b.until_type("message.queued", 60, message_id=b_id)

        await refused.send("chat.send", conversation_id=conversation_id, content="third?", request_id="r-full")
        error = await refused.until_type("error", 60)
        assert error["code"] == "model_queue_full" and error["request_id"] == "r-full", error
        assert error["params"]["limit"] == 1
        await refused.send("chat.send", content="a new chat?", model=model, request_id="r-new")
        assert (await refused.until(lambda f: f["type"] == "error" and f["request_id"] == "r-new"))["code"] == (
            "model_queue_full"
        )
        # Nothing stored, the conversation free again, no new conversation left empty.
        assert await Message.find({"conversation_id": conversation_id}).count() == before
        stored = await Conversation.get(conversation_id)
        assert stored is not None and stored.generating_id is None
        assert await Conversation.find({"user_id": stored.user_id}).count() == 1
        assert not any(f.get("request_id") in {"r-full", "r-new"} for f in refused.frames if f["type"] != "error")

        hold.tokens_per_s = FAST
        await a.until_type("message.done", 60, message_id=a_id)
        await b.until_type("message.done", 60, message_id=b_id)
        # The socket lives on, and the same conversation answers once there is room.
        await refused.ping()
        _, again_id = await send_and_get_answer_id(refused, conversation_id=conversation_id, content="third?")
        done = await refused.until_type("message.done", 60, message_id=again_id)
        assert done["status"] == "complete" and done["content"] == hold.reply()


async def test_queued_answers_count_against_the_per_user_limit(connect, fake_ollama, one_at_a_time) -> None:
    model = "queue-per-user"
    hold = fake_ollama.set_behaviour(model, tokens=10, tokens_per_s=4)
    other = await _tab(connect)
    other_id = await _holding(other, model, "first?")
    me = await _tab(connect)
    with override_settings(HADRA_LIMITS={**settings.HADRA_LIMITS, "generations_per_user": 2}):
        waiting = [await send_and_get_answer_id(me, content=f"mine {i}?", model=model) for i in range(2)]
        await me.send("chat.send", content="mine 2?", model=model, request_id="r-third")
        refused = await me.until(lambda f: f["type"] == "error" and f["request_id"] == "r-third")
        assert refused["code"] == "too_many_generations", refused
    hold.tokens_per_s = FAST
    await other.until_type("message.done", 60, message_id=other_id)
    for _, answer_id in waiting:
        assert (await me.until_type("message.done", 60, message_id=answer_id))["status"] == "complete"


async def test_the_start_up_sweep_interrupts_a_queued_answer_of_a_dead_process(db) -> None:
    user = await make_user("queue")
    conversation = await Conversation(user_id=user.id, model="any").insert()
    question = await Message(conversation_id=conversation.id, user_id=user.id, role="user", content="hi").insert()
    answer = await Message(
        conversation_id=conversation.id,
        user_id=user.id,
        parent_id=question.id,
        role="assistant",
        status=MessageStatus.QUEUED,
        worker_id="a-process-that-died",
    ).insert()
    await conversation.set({"generating_id": answer.id})

    assert await recovery.sweep(single_process=True) >= 1
    stored = await Message.get(answer.id)
    assert stored is not None and stored.status == "interrupted" and stored.error is not None
    freed = await Conversation.get(conversation.id)
    assert freed is not None and freed.generating_id is None


async def test_the_sweep_of_many_dead_answers_is_two_writes(db, monkeypatch) -> None:
    """A server starting after a crash of many answers: its first connections wait for the sweep,
    so the sweep writes all of them at once instead of three round trips each."""
    user = await make_user("crashed")
    answers = []
    for _ in range(40):
        conversation = await Conversation(user_id=user.id, model="any").insert()
        answer = await Message(
            conversation_id=conversation.id,
            user_id=user.id,
            role="assistant",
            status=MessageStatus.STREAMING,
            content="so far",
            worker_id="a-process-that-crashed",
        ).insert()
        await conversation.set({"generating_id": answer.id})
        answers.append(answer)
    writes: list[str] = []
    for cls, name in ((Message, "finish_all"), (Conversation, "release_generation_slots")):
        original = getattr(cls, name)

        async def counted(*args, _original=original, _name=name, **kwargs):
            writes.append(_name)
            return await _original(*args, **kwargs)

        monkeypatch.setattr(cls, name, counted)

    assert await recovery.sweep(single_process=True) >= 40
    assert writes == ["finish_all", "release_generation_slots"]
    for answer in answers:
        stored = await Message.get(answer.id)
        assert stored is not None and (stored.status, stored.content) == ("interrupted", "so far")
        freed = await Conversation.get(answer.conversation_id)
        assert freed is not None and freed.generating_id is None
