"""The message tree of a conversation: the active branch, siblings, and the prompt history.

A conversation's messages are read once (one indexed query) and walked in memory: cheaper than
one query per ancestor, and a conversation is far smaller than the memory of one process.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from beanie import PydanticObjectId

from models import Conversation, Message, stored_id


@dataclass
class Tree:
    by_id: dict[PydanticObjectId, Message]
    children: dict[PydanticObjectId | None, list[Message]]

    @classmethod
    async def load(cls, conversation_id: PydanticObjectId) -> Tree:
        return cls.of(await Message.in_conversation(conversation_id))

    @classmethod
    def of(cls, messages: list[Message]) -> Tree:
        """The tree of ``messages``, each node's children in :meth:`Message.chronology` order."""
        children: dict[PydanticObjectId | None, list[Message]] = defaultdict(list)
        for message in sorted(messages, key=Message.chronology):  # linear when already in order
            children[message.parent_id].append(message)
        return cls({stored_id(m): m for m in messages}, children)

    @classmethod
    def empty(cls) -> Tree:
        return cls({}, defaultdict(list))

    def path_to(self, leaf_id: PydanticObjectId | None) -> list[Message]:
        """Root-first list of the messages from the root down to ``leaf_id``."""
        path: list[Message] = []
        node = self.by_id.get(leaf_id) if leaf_id else None
        while node is not None:
            path.append(node)
            node = self.by_id.get(node.parent_id) if node.parent_id else None
        path.reverse()
        return path

    def siblings(self, message: Message) -> list[Message]:
        return self.children[message.parent_id]

    def newest_leaf_under(self, message: Message) -> Message:
        """Follow the newest child down: where a user lands when switching to this branch."""
        node = message
        while self.children.get(node.id):
            node = self.children[node.id][-1]
        return node


async def active_branch(conversation: Conversation) -> tuple[Tree, list[Message]]:
    tree = await Tree.load(stored_id(conversation))
    return tree, tree.path_to(conversation.active_leaf_id)


def prompt_messages(conversation: Conversation, history: list[Message]) -> list[dict[str, str]]:
    """The chat history Ollama sees: the system prompt, then each finished turn of the branch."""
    prompt = [{"role": "system", "content": conversation.system_prompt}] if conversation.system_prompt else []
    prompt += [{"role": m.role, "content": m.content} for m in history if m.content]
    return prompt
