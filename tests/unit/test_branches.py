"""The message tree (chat/branches.py): paths, siblings and the prompt, built from documents in
memory. Beanie documents need a database to be constructed normally; ``model_construct`` builds
them without one, which is all the tree reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from beanie import PydanticObjectId

from chat import branches
from chat.branches import Tree, prompt_messages
from models import Conversation, Message, MessageStatus

START = datetime(2026, 1, 1, tzinfo=UTC)
CONVERSATION = PydanticObjectId()
USER = PydanticObjectId()


def message(role: str, content: str, parent: Message | None = None, *, at: int, **fields: Any) -> Message:
    """A message created ``at`` seconds after the conversation started."""
    return Message.model_construct(
        id=fields.pop("id", PydanticObjectId()),
        conversation_id=CONVERSATION,
        user_id=USER,
        parent_id=parent.id if parent else None,
        role=role,
        content=content,
        created_at=START + timedelta(seconds=at),
        **fields,
    )


def conversation(active_leaf: Message | None = None, system_prompt: str = "") -> Conversation:
    return Conversation.model_construct(
        id=CONVERSATION,
        user_id=USER,
        system_prompt=system_prompt,
        active_leaf_id=active_leaf.id if active_leaf else None,
    )


@pytest.fixture
def regenerated() -> dict[str, Message]:
    """q1 → a1, then q2 under a1 with two answers (the second a regeneration), and an edited q2."""
    q1 = message("user", "What is a cat?", at=0)
    a1 = message("assistant", "A small feline.", q1, at=1)
    q2 = message("user", "And a dog?", a1, at=2)
    a2 = message("assistant", "A loyal canine.", q2, at=3)
    a2b = message("assistant", "A pet that barks.", q2, at=4)
    q2_edit = message("user", "And a wolf?", a1, at=5)
    a3 = message("assistant", "A wild canine.", q2_edit, at=6)
    return {"q1": q1, "a1": a1, "q2": q2, "a2": a2, "a2b": a2b, "q2_edit": q2_edit, "a3": a3}


def test_the_path_to_a_leaf_runs_from_the_root_down(regenerated) -> None:
    m = regenerated
    tree = Tree.of(list(m.values()))
    assert tree.path_to(m["a2b"].id) == [m["q1"], m["a1"], m["q2"], m["a2b"]]
    assert tree.path_to(m["a3"].id) == [m["q1"], m["a1"], m["q2_edit"], m["a3"]]
    assert tree.path_to(m["q1"].id) == [m["q1"]]


def test_no_leaf_or_an_unknown_one_is_an_empty_path(regenerated) -> None:
    tree = Tree.of(list(regenerated.values()))
    assert tree.path_to(None) == []
    assert tree.path_to(PydanticObjectId()) == []
    assert Tree.empty().path_to(regenerated["a1"].id) == []


def test_siblings_are_in_the_order_they_were_written_whatever_order_they_are_read_in(regenerated) -> None:
    m = regenerated
    tree = Tree.of(list(reversed(m.values())))
    assert tree.siblings(m["a2"]) == [m["a2"], m["a2b"]]
    assert tree.siblings(m["a2b"]) == [m["a2"], m["a2b"]]
    assert tree.siblings(m["q2_edit"]) == [m["q2"], m["q2_edit"]]
    assert tree.siblings(m["q1"]) == [m["q1"]]


def test_siblings_written_in_the_same_millisecond_are_ordered_by_id() -> None:
    question = message("user", "Same time", at=0)
    low, high = PydanticObjectId("000000000000000000000001"), PydanticObjectId("000000000000000000000002")
    later_id = message("assistant", "second", question, at=1, id=high)
    earlier_id = message("assistant", "first", question, at=1, id=low)
    tree = Tree.of([later_id, question, earlier_id])
    assert [m.content for m in tree.siblings(later_id)] == ["first", "second"]


def test_switching_to_a_branch_lands_on_its_newest_leaf(regenerated) -> None:
    m = regenerated
    tree = Tree.of(list(m.values()))
    assert tree.newest_leaf_under(m["q2"]) == m["a2b"]
    assert tree.newest_leaf_under(m["q1"]) == m["a3"]  # through the newest child at each level
    assert tree.newest_leaf_under(m["a3"]) == m["a3"]


async def test_the_active_branch_is_the_path_to_the_conversations_active_leaf(regenerated, monkeypatch) -> None:
    m = regenerated

    async def stored(conversation_id: PydanticObjectId) -> list[Message]:
        assert conversation_id == CONVERSATION
        return sorted(m.values(), key=Message.chronology)

    monkeypatch.setattr(Message, "in_conversation", stored)
    tree, branch = await branches.active_branch(conversation(active_leaf=m["a2"]))
    assert branch == [m["q1"], m["a1"], m["q2"], m["a2"]]
    assert tree.siblings(branch[-1]) == [m["a2"], m["a2b"]]
    _, branch = await branches.active_branch(conversation(active_leaf=None))
    assert branch == []


def test_the_prompt_is_the_system_prompt_then_each_turn_of_the_branch(regenerated) -> None:
    m = regenerated
    history = Tree.of(list(m.values())).path_to(m["a2b"].id)
    assert prompt_messages(conversation(system_prompt="Answer in one line."), history) == [
        {"role": "system", "content": "Answer in one line."},
        {"role": "user", "content": "What is a cat?"},
        {"role": "assistant", "content": "A small feline."},
        {"role": "user", "content": "And a dog?"},
        {"role": "assistant", "content": "A pet that barks."},
    ]


def test_the_prompt_leaves_out_an_empty_system_prompt_and_answers_without_text() -> None:
    question = message("user", "Hello?", at=0)
    placeholder = message("assistant", "", question, at=1, status=MessageStatus.STREAMING)
    history = Tree.of([question, placeholder]).path_to(placeholder.id)
    assert prompt_messages(conversation(), history) == [{"role": "user", "content": "Hello?"}]
