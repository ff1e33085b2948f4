"""A user's conversations: the sidebar list (newest first, cursor-paginated, title search), one
conversation, its settings, its active branch, and deleting it with all its messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from beanie import PydanticObjectId

from api import cursors
from api.endpoint import Call, operation
from chat import events
from chat.branches import Tree, active_branch
from chat.payloads import branch_message_out, conversation_out
from chat.service import cancel_generation
from contract.documents import ConversationOut
from contract.errors import ErrorCode, HadraError, not_found
from contract.frames import ConversationDeleted
from contract.http import BranchOut, ConversationListQuery, ConversationPageOut, ConversationPatch
from models import Conversation, SearchEntry, stored_id

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


async def owned(call: Call) -> Conversation:
    """The conversation in the path, if the caller owns it; a stranger's looks exactly like a missing one."""
    conversation = await Conversation.owned(call.ids["conversation_id"], call.me_id)
    if conversation is None:
        raise not_found("conversation")
    return conversation


@dataclass(frozen=True)
class _Position:
    """Where a page ended: the (updated_at, _id) of its last conversation."""

    updated_at: datetime
    id: PydanticObjectId

    def encode(self) -> str:
        ms = (self.updated_at - _EPOCH) // timedelta(milliseconds=1)
        return cursors.encode(f"{ms}:{self.id}")

    @classmethod
    def decode(cls, cursor: str) -> _Position:
        ms, _, oid = cursors.decode(cursor).partition(":")
        try:
            if PydanticObjectId.is_valid(oid) and len(oid) == 24 and ms.lstrip("-").isdigit():
                return cls(_EPOCH + timedelta(milliseconds=int(ms)), PydanticObjectId(oid))
        except OverflowError:
            pass
        raise cursors.invalid()


@operation(
    "GET",
    summary="Your conversations, newest first; `q` filters by title",
    query=ConversationListQuery,
    response=ConversationPageOut,
)
async def list_conversations(call: Call[None, ConversationListQuery]) -> ConversationPageOut:
    query = call.query
    after = _Position.decode(query.cursor) if query.cursor else None
    page, more = await Conversation.page_of(
        call.me_id, (after.updated_at, after.id) if after else None, query.q, query.limit
    )
    return ConversationPageOut(
        conversations=[conversation_out(c) for c in page],
        next_cursor=_Position(page[-1].updated_at, stored_id(page[-1])).encode() if more else None,
    )


@operation("GET", summary="One conversation", response=ConversationOut)
async def get_conversation(call: Call) -> ConversationOut:
    return conversation_out(await owned(call))


@operation(
    "PATCH",
    summary="Rename, change system prompt or model, or switch branch",
    body=ConversationPatch,
    response=ConversationOut,
)
async def update_conversation(call: Call[ConversationPatch, None]) -> ConversationOut:
    conversation = await owned(call)
    body = call.body
    fields = body.model_fields_set
    if not fields:
        raise HadraError(
            ErrorCode.EMPTY_PATCH,
            "Nothing to change: send at least one of title, system_prompt, model, active_leaf_id.",
        )
    changes: dict = {name: getattr(body, name) for name in fields & {"title", "system_prompt", "model"}}
    if "active_leaf_id" in fields:
        tree = await Tree.load(stored_id(conversation))
        chosen = tree.by_id.get(PydanticObjectId(body.active_leaf_id))
        if chosen is None:
            raise not_found("message in this conversation")
        changes["active_leaf_id"] = tree.newest_leaf_under(chosen).id
    # updated_at is left alone: renaming is not activity, and must not reorder the sidebar.
    await conversation.set(changes)
    if "title" in changes:
        await SearchEntry.store([conversation.title_entry(conversation.title)])
    return conversation_out(conversation)


@operation("DELETE", summary="Delete a conversation and all its messages", status=204)
async def delete_conversation(call: Call) -> None:
    conversation = await owned(call)
    if conversation.generating_id is not None:
        await cancel_generation(conversation.generating_id)  # Ollama stops; nothing is written back
    await conversation.delete_with_messages()
    await events.to_user(conversation.user_id, ConversationDeleted(conversation_id=str(conversation.id)))


@operation(
    "GET", summary="The active branch, root first, with each message's siblings (to switch branch)", response=BranchOut
)
async def conversation_messages(call: Call) -> BranchOut:
    conversation = await owned(call)
    tree, path = await active_branch(conversation)
    return BranchOut(
        conversation=conversation_out(conversation),
        messages=[branch_message_out(m, tree.siblings(m)) for m in path],
    )
