"""Export a conversation (JSON: every branch; Markdown: the active branch, for reading) and import a
JSON export as a new conversation of the caller.

The JSON format is :class:`contract.export.ExportDoc`: messages parents-first, so an import checks the
tree in one pass (every parent_id names an earlier message: no dangling links, no cycles). Import
assigns fresh ids to everything and stamps the caller as owner, so a file can never touch another
user's objects, whatever ids it carries.
"""

from __future__ import annotations

from collections import defaultdict

from beanie import PydanticObjectId

from chat.branches import Tree
from contract.documents import IN_FLIGHT, Stats
from contract.errors import ErrorCode, HadraError
from contract.export import ExportConversation, ExportDoc, ExportError, ExportFeedback, ExportMessage, ExportStats
from models import Conversation, Message, MessageStatus, stored_id
from models.message import Feedback


async def export_doc(conversation: Conversation) -> ExportDoc:
    messages = await Message.in_conversation(stored_id(conversation))
    known = {stored_id(m) for m in messages}
    leaf = conversation.active_leaf_id if conversation.active_leaf_id in known else None
    return ExportDoc(
        format="hadra.conversation",
        version=1,
        conversation=ExportConversation(
            title=conversation.title,
            system_prompt=conversation.system_prompt,
            model=conversation.model,
            active_leaf_id=str(leaf) if leaf else None,
            created_at=conversation.created_at,
            updated_at=conversation.updated_at,
        ),
        messages=[_export_message(m, known) for m in _parents_first(messages)],
    )


def _parents_first(messages: list[Message]) -> list[Message]:
    """Depth-first from the roots, siblings oldest first: a deterministic order, parents first."""
    children: dict[PydanticObjectId | None, list[Message]] = defaultdict(list)
    known = {m.id for m in messages}
    for message in messages:
        children[message.parent_id if message.parent_id in known else None].append(message)
    ordered: list[Message] = []
    stack = list(reversed(children[None]))
    while stack:
        message = stack.pop()
        ordered.append(message)
        stack.extend(reversed(children[message.id]))
    return ordered


def _export_message(m: Message, known: set[PydanticObjectId]) -> ExportMessage:
    """One message; a link to a message that no longer exists is dropped, so the file always imports."""
    return ExportMessage(
        id=str(m.id),
        parent_id=str(m.parent_id) if m.parent_id in known else None,
        role=m.role,
        content=m.content,
        status=m.status,
        model=m.model,
        error=ExportError(**m.error.model_dump()) if m.error else None,
        stats=ExportStats(**m.stats.model_dump()) if m.stats else None,
        feedback=ExportFeedback(**m.feedback.model_dump()) if m.feedback else None,
        edited_from=str(m.edited_from) if m.edited_from in known else None,
        created_at=m.created_at,
        updated_at=m.updated_at,
    )


def markdown(conversation: Conversation, branch: list[Message], default_model: str) -> str:
    lines = [f"# {conversation.title or 'Untitled conversation'}", "", f"Model: {conversation.model or default_model}"]
    if conversation.system_prompt:
        lines += ["", "System prompt:", "", _quote(conversation.system_prompt)]
    for message in branch:
        heading = {"user": "User", "assistant": "Assistant", "system": "System"}[message.role]
        if message.role == "assistant" and message.model:
            heading += f" ({message.model})"
        lines += ["", f"## {heading}", "", message.content]
        if message.status != MessageStatus.COMPLETE and message.status not in IN_FLIGHT:
            lines += ["", f"*[{message.status.value}{': ' + message.error.message if message.error else ''}]*"]
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines())


async def import_doc(doc: ExportDoc, user_id: PydanticObjectId) -> Conversation:
    new_ids = _check_tree(doc)
    conversation_id = PydanticObjectId()
    meta = doc.conversation
    if meta.active_leaf_id is not None and meta.active_leaf_id not in new_ids:
        raise HadraError(
            ErrorCode.INVALID_IMPORT,
            f"conversation.active_leaf_id {meta.active_leaf_id[:64]!r} is not the id of a message in the file.",
        )
    messages = [
        Message(
            id=new_ids[m.id],
            conversation_id=conversation_id,
            user_id=user_id,
            parent_id=new_ids[m.parent_id] if m.parent_id else None,
            role=m.role,
            content=m.content,
            # Nothing generates an imported answer: one exported in flight is as good as interrupted.
            status=MessageStatus.INTERRUPTED if m.status in IN_FLIGHT else m.status,
            model=m.model,
            error=m.error,
            stats=Stats(**m.stats.model_dump()) if m.stats else None,
            feedback=Feedback(**m.feedback.model_dump()) if m.feedback else None,
            edited_from=new_ids[m.edited_from] if m.edited_from else None,
            created_at=m.created_at,
            updated_at=m.updated_at,
            imported=True,
        )
        for m in doc.messages
    ]
    leaf = new_ids[meta.active_leaf_id] if meta.active_leaf_id else None
    if leaf is None and messages:
        tree = Tree.of(messages)
        leaf = tree.newest_leaf_under(tree.children[None][-1]).id
    conversation = Conversation(
        id=conversation_id,
        user_id=user_id,
        title=meta.title,
        system_prompt=meta.system_prompt,
        model=meta.model,
        active_leaf_id=leaf,
        created_at=meta.created_at,
        updated_at=meta.updated_at,
    )
    await conversation.insert_with_messages(messages)
    return conversation


def _check_tree(doc: ExportDoc) -> dict[str, PydanticObjectId]:
    """New ids for the file's ids, after checking that every link points at a message of the file."""
    new_ids: dict[str, PydanticObjectId] = {}
    for index, message in enumerate(doc.messages):
        where = f"messages[{index}] (id {message.id[:64]!r})"
        if message.id in new_ids:
            raise HadraError(ErrorCode.INVALID_IMPORT, f"{where}: the id is used twice; ids must be unique.")
        if message.parent_id is not None and message.parent_id not in new_ids:
            raise HadraError(
                ErrorCode.INVALID_IMPORT,
                f"{where}: parent_id {message.parent_id[:64]!r} is not an "
                "earlier message of the file; list parents before their replies.",
            )
        new_ids[message.id] = PydanticObjectId()
    for index, message in enumerate(doc.messages):
        if message.edited_from is not None and message.edited_from not in new_ids:
            raise HadraError(
                ErrorCode.INVALID_IMPORT,
                f"messages[{index}]: edited_from {message.edited_from[:64]!r} is not a message of the file.",
            )
    return new_ids
