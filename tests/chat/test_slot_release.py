"""A failure between taking a conversation's generation slot and starting the answer leaves no
trace: an existing conversation gets its slot back, a new one is not left as an empty, untitled one.
The frame schema refuses such text first (tests/chat/test_hostile_frames.py); here the service is
called directly with text MongoDB cannot store, to reach the write that fails."""

from __future__ import annotations

import pytest

from chat import service
from models import Conversation, Message
from tests.support.users import make_user

UNSTORABLE = "hello \ud800"  # a lone surrogate: BSON (UTF-8) cannot encode it


async def _join(group: str) -> None:
    """No socket here: nothing to join (the failure comes before any announcement)."""


async def test_a_new_conversation_that_cannot_start_is_not_kept(db) -> None:
    user = await make_user()
    with pytest.raises(Exception, match="surrogate"):
        await service.send(
            service.Asker(user, None, _join),
            conversation_id=None,
            content=UNSTORABLE,
            parent_id=None,
            model="any",
            system_prompt=None,
        )
    assert await Conversation.find({"user_id": user.id}).count() == 0
    assert await Message.find({"user_id": user.id}).count() == 0


async def test_an_existing_conversation_gets_its_slot_back(db) -> None:
    user = await make_user()
    conversation = await Conversation(user_id=user.id, model="any").insert()
    with pytest.raises(Exception, match="surrogate"):
        await service.send(
            service.Asker(user, None, _join),
            conversation_id=str(conversation.id),
            content=UNSTORABLE,
            parent_id=None,
            model=None,
            system_prompt=None,
        )
    stored = await Conversation.get(conversation.id)
    assert stored is not None and stored.generating_id is None
    assert await Message.find({"conversation_id": conversation.id}).count() == 0
