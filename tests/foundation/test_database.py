"""Beanie on the real MongoDB-protocol server: round trips, unique indexes, index-served queries."""

from __future__ import annotations

import pytest
from pymongo.errors import DuplicateKeyError

from models import Conversation, Message, User
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


async def test_every_message_query_uses_an_index(db) -> None:
    owner = await make_user()
    conversation = await Conversation(user_id=owner.id).insert()
    await Message(conversation_id=conversation.id, user_id=owner.id, role="user", content="hi").insert()
    plan = await Message.find({"conversation_id": conversation.id}).sort("created_at").explain()
    assert "IXSCAN" in str(plan) or "conversation_created" in str(plan), plan
