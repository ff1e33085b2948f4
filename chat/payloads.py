"""What clients see of documents: one shape for WebSocket frames and the HTTP API."""

from __future__ import annotations

from typing import Any

from models import Conversation, Message


def conversation_payload(conversation: Conversation) -> dict[str, Any]:
    return {
        "id": str(conversation.id),
        "title": conversation.title,
        "model": conversation.model,
        "system_prompt": conversation.system_prompt,
        "active_leaf_id": str(conversation.active_leaf_id) if conversation.active_leaf_id else None,
        "created_at": conversation.created_at.isoformat(),
        "updated_at": conversation.updated_at.isoformat(),
    }


def message_payload(message: Message, siblings: list[Message] | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(message.id),
        "conversation_id": str(message.conversation_id),
        "parent_id": str(message.parent_id) if message.parent_id else None,
        "role": message.role,
        "content": message.content,
        "status": str(message.status),
        "model": message.model,
        "error": message.error,
        "stats": message.stats.model_dump() if message.stats else None,
        "feedback": message.feedback.model_dump(mode="json") if message.feedback else None,
        "created_at": message.created_at.isoformat(),
        "updated_at": message.updated_at.isoformat(),
    }
    if siblings is not None:
        payload["sibling_ids"] = [str(s.id) for s in siblings]
        payload["sibling_index"] = next(i for i, s in enumerate(siblings) if s.id == message.id)
    return payload
