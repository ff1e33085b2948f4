"""Bad input over the socket: each gets a clear ``error`` frame, the socket lives, nothing is written.

In process (tests/inprocess/conftest.py): the consumer's own parsing and authorisation, no daphne."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import Conversation, Message
from tests.inprocess.chat_socket import InProcessChat
from tests.support.users import make_token, make_user
from tests.support.ws import finished_answer


@pytest.fixture
async def client(connect):
    return await connect(await make_token(await make_user()))


async def _counts() -> tuple[int, int]:
    return await Conversation.find_all().count(), await Message.find_all().count()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("not json", "bad_json"),
        ("[1, 2]", "bad_frame"),
        (json.dumps({"type": "chat.launch"}), "unknown_type"),
        (json.dumps({"content": "no type"}), "unknown_type"),
        (json.dumps({"type": "chat.send", "conversation_id": None, "content": 42}), "invalid_frame"),
        (json.dumps({"type": "chat.send", "conversation_id": None, "content": {"$gt": ""}}), "invalid_frame"),
        (json.dumps({"type": "chat.send", "conversation_id": {"$ne": None}, "content": "x"}), "invalid_frame"),
        (json.dumps({"type": "chat.send", "conversation_id": None, "content": "x", "admin": True}), "invalid_frame"),
        (json.dumps({"type": "chat.stop", "message_id": "abc"}), "invalid_frame"),
        (json.dumps({"type": "chat.send", "conversation_id": None, "content": "   "}), "empty_content"),
        (json.dumps({"type": "chat.send", "conversation_id": None, "content": "x" * 40_000}), "content_too_long"),
        (json.dumps({"type": "chat.send", "conversation_id": None, "content": "x" * 70_000}), "frame_too_large"),
        (b"\x00\x01binary", "bad_frame"),
    ],
)
async def test_a_bad_frame_gets_an_error_and_changes_nothing(client, raw, code) -> None:
    before = await _counts()
    await client.send_raw(raw)
    error = await client.until_type("error", 10)
    assert error["code"] == code and error["message"]
    await client.ping()
    assert await _counts() == before


async def test_another_users_ids_look_exactly_like_missing_ones(connect, fake_ollama) -> None:
    fake_ollama.set_behaviour("fast-owner", tokens=2, tokens_per_s=500)
    owner = await connect(await make_token(await make_user()))
    conversation_id, answer_id, _ = await finished_answer(
        owner, 10, conversation_id=None, content="mine", model="fast-owner"
    )
    stranger = await connect(await make_token(await make_user()))
    missing = "0" * 24
    before = await _counts()
    answers = []
    for frame in [
        {"type": "conversation.open", "conversation_id": conversation_id},
        {"type": "conversation.open", "conversation_id": missing},
        {"type": "chat.send", "conversation_id": conversation_id, "content": "hijack"},
        {"type": "chat.send", "conversation_id": missing, "content": "hijack"},
        {"type": "chat.regenerate", "message_id": answer_id},
        {"type": "chat.regenerate", "message_id": missing},
        {"type": "chat.stop", "message_id": answer_id},
        {"type": "chat.stop", "message_id": missing},
        {"type": "message.sync", "message_id": answer_id},
        {"type": "message.sync", "message_id": missing},
    ]:
        await stranger.send_raw(json.dumps(frame))
        error = await stranger.until_type("error", 10)
        answers.append((error["code"], error["message"]))
    assert answers[0::2] == answers[1::2]  # a stranger's id and a missing id: the same answer
    assert {code for code, _ in answers} == {"not_found"}
    assert await _counts() == before


frame_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
frames = st.fixed_dictionaries(
    {
        "type": st.sampled_from(
            [
                "chat.stop",
                "chat.regenerate",
                "chat.edit",
                "conversation.open",
                "message.sync",
                "conversation.close",
                "chat.send",
                "nope",
                "",
            ]
        )
    },
    optional={
        k: frame_values
        for k in [
            "conversation_id",
            "message_id",
            "content",
            "parent_id",
            "model",
            "request_id",
            "$where",
            "system_prompt",
        ]
    },
)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(frame=frames)
async def test_fuzzed_frames_never_kill_the_socket_or_write(fuzz_client, frame) -> None:
    # chat.send frames that are valid would legitimately write; the fuzz keeps content invalid for them.
    if frame["type"] == "chat.send":
        frame["content"] = frame.get("content") if not isinstance(frame.get("content"), str) else ""
    before = await _counts()
    await fuzz_client.send_raw(json.dumps(frame))
    reply = await fuzz_client.until(lambda f: f["type"] in {"error", "pong"}, 10)
    await fuzz_client.ping()
    if frame["type"] != "conversation.close":
        assert reply["type"] == "error", (frame, reply)
    assert await _counts() == before


@pytest.fixture(scope="module")
async def fuzz_client(application):
    client = await InProcessChat.connect(application, await make_token(await make_user()))
    yield client
    await client.close()
