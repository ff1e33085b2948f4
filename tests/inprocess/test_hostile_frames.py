"""Hostile frames: each gets an error frame a program can branch on, the socket lives, nothing is
written, a conversation is never left refusing questions, and the server logs no traceback.

In process (tests/inprocess/conftest.py): what the consumer does with each frame; the limits of a
real socket (daphne's) are tested in tests/chat/test_hostile_frames.py."""

from __future__ import annotations

import json
import logging
import random

import pytest

from models import Conversation, Message
from tests.support.users import make_token, make_user
from tests.support.ws import finished_answer

FAKE_OLLAMA_THREAD = "fake-ollama"  # tests/fakes/fake_ollama.py
LONE_SURROGATE = '"hello \\ud800"'  # JSON text: the escape, not a character Python could send as UTF-8


async def _counts() -> tuple[int, int]:
    return await Conversation.find_all().count(), await Message.find_all().count()


def _trouble(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What hadra's log would show as a traceback or an ERROR line (the fake Ollama runs in a
    thread of its own here, and logs elsewhere in a real deployment)."""
    return [
        r.getMessage()
        for r in caplog.records
        if (r.levelno >= logging.ERROR or r.exc_info) and r.threadName != FAKE_OLLAMA_THREAD
    ]


async def test_a_lone_surrogate_is_an_invalid_frame_and_wedges_nothing(connect, fake_ollama, caplog) -> None:
    fake_ollama.set_behaviour("surrogate", tokens=3, tokens_per_s=1000)
    client = await connect(await make_token(await make_user()))
    before = await _counts()
    for field in ("content", "system_prompt", "request_id"):
        frame = (
            '{"type": "chat.send", "conversation_id": null, "content": "hi", "model": "surrogate", '
            f'"{field}": {LONE_SURROGATE}}}'
        )
        await client.send_raw(frame)
        error = await client.until_type("error", 10)
        assert error["code"] == "invalid_frame" and "surrogate" in error["message"], error
    assert await _counts() == before  # no empty "New chat" in the list
    # The same socket starts a conversation, and a surrogate there does not wedge it either.
    conversation_id, _, done = await finished_answer(client, 30, conversation_id=None, content="hi", model="surrogate")
    assert done["status"] == "complete"
    await client.send_raw(
        f'{{"type": "chat.send", "conversation_id": "{conversation_id}", "content": {LONE_SURROGATE}}}'
    )
    assert (await client.until_type("error", 10))["code"] == "invalid_frame"
    _, _, done = await finished_answer(client, 30, conversation_id=conversation_id, content="again")
    assert done["status"] == "complete"  # not `busy`
    assert not _trouble(caplog)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("[" * 30_000 + "]" * 30_000, "bad_json"),
        ('{"type": "ping", "x": ' + "[" * 5_000 + "]" * 5_000 + "}", "bad_json"),
        ('{"type": "chat.send", "conversation_id": null, "content": ' + "[" * 1_000 + "]" * 1_000 + "}", "bad_json"),
        ('{"type": "chat.send", "conversation_id": null, "content": ' + "[" * 100 + "]" * 100 + "}", "invalid_frame"),
        ('{"type": "ping", "request_id": ' + "9" * 5_000 + "}", "bad_json"),
        ('{"type": "chat.send", "conversation_id": null, "content": ' + "9" * 4_000 + "}", "invalid_frame"),
        ('{"type": "ping", "request_id": NaN}', "invalid_frame"),
        ('{"type": "ping", "request_id": 1e99999}', "invalid_frame"),
    ],
)
async def test_deep_nesting_and_huge_numbers_are_refused_without_a_traceback(connect, caplog, raw, code) -> None:
    client = await connect(await make_token(await make_user()))
    await client.send_raw(raw)
    error = await client.until_type("error", 10)
    assert error["code"] == code, error
    await client.ping()
    assert not _trouble(caplog)


# -- the fuzz: well over a thousand hostile frames on one socket --------------------------------


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _hostile_frames(
    rng: random.Random, victim_conversation: str, victim_answer: str
) -> list[tuple[str | bytes, set[str]]]:
    """(frame, the error codes it may get) for every kind of hostility, shuffled."""
    frames: list[tuple[str | bytes, set[str]]] = []
    id_frames = [
        {"type": "conversation.open", "conversation_id": victim_conversation},
        {"type": "message.sync", "message_id": victim_answer},
        {"type": "chat.stop", "message_id": victim_answer},
        {"type": "chat.regenerate", "message_id": victim_answer},
        {"type": "chat.edit", "message_id": victim_answer, "content": "mine now"},
        {"type": "chat.send", "conversation_id": victim_conversation, "content": "hijack"},
        {"type": "chat.send", "conversation_id": None, "content": "hijack", "parent_id": victim_answer},
    ]
    operators = [{"$gt": ""}, {"$ne": None}, {"$where": "sleep(1000)"}, {"$regex": ".*"}, [victim_answer]]
    for i in range(160):
        frames.append((_nested(rng.randint(1_500, 30_000)), {"bad_json"}))
        frames.append(('{"type": "ping", "request_id": ' + "7" * rng.randint(4_400, 20_000) + "}", {"bad_json"}))
        field = rng.choice(["content", "system_prompt", "request_id"])
        frames.append(
            (
                '{"type": "chat.send", "conversation_id": null, "content": "x", '
                f'"{field}": "a{LONE_SURROGATE[1:-1] * rng.randint(1, 3)}"}}',
                {"invalid_frame"},
            )
        )
        frames.append((rng.randbytes(rng.randint(1, 200)), {"bad_frame"}))
        frames.append((json.dumps({**rng.choice(id_frames), "request_id": f"id{i}"}), {"not_found"}))
        target = rng.choice(id_frames)
        key = rng.choice([k for k in target if k != "type"])
        frames.append((json.dumps({**target, key: rng.choice(operators)}), {"invalid_frame"}))
        frames.append(
            (rng.choice(["{", "nul", '{"type": "ping",}', "\x00", "[]", "1", '"type"']), {"bad_json", "bad_frame"})
        )
        frames.append(
            (json.dumps({"type": rng.choice(["chat.launch", "admin", "", "__init__", "ping.pong"])}), {"unknown_type"})
        )
    for _ in range(8):
        frames.append(
            (json.dumps({"type": "chat.send", "content": "x" * rng.randint(70_000, 1_000_000)}), {"frame_too_large"})
        )
    rng.shuffle(frames)
    return frames


async def test_a_thousand_hostile_frames_each_get_an_error_and_leave_no_trace(connect, fake_ollama, caplog) -> None:
    fake_ollama.set_behaviour("fuzz-victim", tokens=100_000, tokens_per_s=100)
    victim = await connect(await make_token(await make_user("victim")))
    await victim.send("chat.send", conversation_id=None, content="keep streaming", model="fuzz-victim")
    placeholder = await victim.until(lambda f: f["type"] == "message.created" and f["message"]["role"] == "assistant")
    conversation_id, answer_id = placeholder["message"]["conversation_id"], placeholder["message"]["id"]
    attacker = await connect(await make_token(await make_user("attacker")))
    before = await _counts()
    frames = _hostile_frames(random.Random(20261201), conversation_id, answer_id)
    assert len(frames) >= 1_000
    for raw, _ in frames:
        await attacker.send_raw(raw)
    replies = [await attacker.recv(60) for _ in frames]
    assert all(reply["type"] == "error" for reply in replies), [r for r in replies if r["type"] != "error"][:3]
    # Replies come in the order the frames went out: each got one of the codes its kind deserves.
    wrong = [
        (raw[:80], reply["code"])
        for (raw, codes), reply in zip(frames, replies, strict=True)
        if reply["code"] not in codes
    ]
    assert not wrong, wrong[:5]
    await attacker.ping()
    assert await _counts() == before
    await victim.send("chat.stop", message_id=answer_id)
    assert (await victim.until_type("message.done", 30, message_id=answer_id))["status"] == "stopped"
    assert not [f for f in attacker.frames if answer_id in json.dumps(f)]
    assert not _trouble(caplog)
