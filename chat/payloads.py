"""Documents as clients see them: the contract's shapes built from what MongoDB holds, for the
socket's frames and the HTTP API alike."""

from __future__ import annotations

from contract.documents import BranchMessageOut, ConversationOut, FeedbackOut, MessageOut
from models import Conversation, Message


def conversation_out(conversation: Conversation) -> ConversationOut:
    return ConversationOut(
        id=str(conversation.id),
        title=conversation.title,
        model=conversation.model,
        model_note=conversation.model_note,
        system_prompt=conversation.system_prompt,
        active_leaf_id=str(conversation.active_leaf_id) if conversation.active_leaf_id else None,
        created_at=conversation.created_at,
        updated_at=conversation.updated_at,
    )


def _message_fields(message: Message) -> dict[str, object]:
    return {
        "id": str(message.id),
        "conversation_id": str(message.conversation_id),
        "parent_id": str(message.parent_id) if message.parent_id else None,
        "role": message.role,
        "content": message.content,
        "status": message.status,
        "model": message.model,
        "error": message.error,
        "stats": message.stats,
        "feedback": FeedbackOut.model_validate(message.feedback.model_dump()) if message.feedback else None,
        "created_at": message.created_at,
        "updated_at": message.updated_at,
    }


def message_out(message: Message) -> MessageOut:
    return MessageOut.model_validate(_message_fields(message))


def branch_message_out(message: Message, siblings: list[Message]) -> BranchMessageOut:
    """A message of the active branch, with its alternatives (same parent) for the branch switch."""
    return BranchMessageOut.model_validate(
        _message_fields(message)
        | {
            "sibling_ids": [str(s.id) for s in siblings],
            "sibling_index": next(i for i, s in enumerate(siblings) if s.id == message.id),
        }
    )
