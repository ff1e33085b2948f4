"""Beanie on the real MongoDB-protocol server: round trips, unique indexes, index-served queries."""

from __future__ import annotations

import pytest
from beanie import PydanticObjectId
from pymongo.errors import DuplicateKeyError

from models import ApiToken, Conversation, Message, User
from tests.support.plans import assert_indexed, winning_stages
from tests.support.users import make_user


async def test_user_round_trip_and_unique_username(db) -> None:
    user = await make_user("amine")
    loaded = await User.get(user.id)
    assert loaded is not None
    assert loaded.username == user.username
    assert loaded.created_at == user.created_at

    clash = User(username=user.username, email="other@example.test", password_hash="x")
    with pytest.raises(DuplicateKeyError):
        await clash.insert()


async def test_conversation_lookup_is_scoped_to_its_owner(db) -> None:
    owner, stranger = await make_user("owner"), await make_user("stranger")
    conversation = await Conversation(user_id=owner.id, title="سلام").insert()
    assert (await Conversation.owned(str(conversation.id), owner.id)).title == "سلام"
    assert await Conversation.owned(str(conversation.id), stranger.id) is None
    assert await Conversation.owned("not-an-id", owner.id) is None


async def test_the_app_queries_are_served_by_indexes(db) -> None:
    owner = await make_user()
    conversation = await Conversation(user_id=owner.id).insert()
    await Message(conversation_id=conversation.id, user_id=owner.id, role="user", content="hi").insert()
    await assert_indexed(Message, {"conversation_id": conversation.id}, {"created_at": 1, "_id": 1})
    await assert_indexed(Message, {"status": "streaming", "user_id": owner.id})
    await assert_indexed(Conversation, {"user_id": owner.id}, {"updated_at": -1, "_id": -1})
    await assert_indexed(User, {"username": owner.username})
    await assert_indexed(ApiToken, {"token_sha256": "0" * 64})
    await assert_indexed(Conversation, {"_id": conversation.id, "user_id": owner.id})
    await assert_indexed(Message, {"_id": conversation.id, "user_id": owner.id})
    await assert_indexed(Message, {"status": "streaming"})


async def test_an_unindexed_query_is_detected(db) -> None:
    # The embedded server's planner only uses an index that holds every field of the filter.
    assert "COLLSCAN" in await winning_stages(Message, {"content": "hi"})
    assert "COLLSCAN" in await winning_stages(Message, {"status": "streaming", "worker_id": "w"})


async def test_the_generation_slot_is_taken_once(db) -> None:
    owner = await make_user()
    conversation = await Conversation(user_id=owner.id).insert()
    first, second = PydanticObjectId(), PydanticObjectId()
    assert await conversation.take_generation_slot(first) is True
    assert await conversation.take_generation_slot(second) is False
    await conversation.release_generation_slot(second)  # not the holder: nothing changes
    assert (await Conversation.get(conversation.id)).generating_id == first
    await conversation.release_generation_slot(first)
    assert (await Conversation.get(conversation.id)).generating_id is None
    assert await conversation.take_generation_slot(second) is True
