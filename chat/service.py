"""What a user can ask of the chat: send, regenerate, edit, stop, open. Called by consumers/.

Each operation stores what it creates before anything streams (the user message and the
assistant placeholder), takes the conversation's generation slot atomically, and starts the
generation as a task of this process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from beanie import PydanticObjectId
from django.conf import settings

from chat import events, registry
from chat.branches import Tree, active_branch, prompt_messages
from chat.generation import Generation
from chat.model_choice import default_model
from models import Conversation, Message, MessageStatus, User
from models.clock import utcnow


class ChatError(Exception):
    """A request the chat refuses; ``code`` is stable for clients, the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def not_found(what: str) -> ChatError:
    # The same answer whether it does not exist or belongs to someone else: ids reveal nothing.
    return ChatError("not_found", f"No such {what}.")


@dataclass
class Started:
    """What a send/regenerate/edit created, for the consumer to announce."""

    conversation: Conversation
    conversation_created: bool
    messages: list[Message] = field(default_factory=list)


async def send(user: User, *, conversation_id: str | None, content: str, parent_id: str | None,
               model: str | None, system_prompt: str | None) -> Started:
    created = conversation_id is None
    if created:
        conversation = Conversation(user_id=user.id, model=model or await default_model(),
                                    system_prompt=system_prompt or "")
        await conversation.insert()
    else:
        conversation = await _owned_conversation(conversation_id, user)
        changes = {k: v for k, v in {"model": model, "system_prompt": system_prompt}.items() if v is not None}
        if changes:
            await conversation.set(changes)
    tree = await Tree.load(conversation.id)
    parent = _message_in(tree, parent_id) if parent_id else tree.by_id.get(conversation.active_leaf_id)
    if parent is not None and parent.role == "user":
        raise ChatError("invalid_parent", "A question follows an answer; pick an assistant message as parent.")
    question = Message(conversation_id=conversation.id, user_id=user.id,
                       parent_id=parent.id if parent else None, role="user", content=content)
    return await _answer(user, conversation, tree, question, created)


async def regenerate(user: User, *, message_id: str, model: str | None) -> Started:
    message = await _owned_message(message_id, user)
    if message.role != "assistant" or message.parent_id is None:
        raise ChatError("invalid_message", "Only an answer can be regenerated.")
    conversation = await _owned_conversation(str(message.conversation_id), user)
    if model:
        await conversation.set({"model": model})
    tree = await Tree.load(conversation.id)
    return await _answer(user, conversation, tree, tree.by_id[message.parent_id], False)


async def edit(user: User, *, message_id: str, content: str) -> Started:
    original = await _owned_message(message_id, user)
    if original.role != "user":
        raise ChatError("invalid_message", "Only a question can be edited.")
    conversation = await _owned_conversation(str(original.conversation_id), user)
    tree = await Tree.load(conversation.id)
    question = Message(conversation_id=conversation.id, user_id=user.id, parent_id=original.parent_id,
                       role="user", content=content, edited_from=original.id)
    return await _answer(user, conversation, tree, question, False)


async def stop(user: User, *, message_id: str) -> None:
    message = await _owned_message(message_id, user)
    if message.status != MessageStatus.STREAMING:
        raise ChatError("not_streaming", "This answer is not being generated any more.")
    local = registry.get(message.id)
    if local is not None:
        local.stop()
    else:
        await events.to_generation(message.id, {"type": "generation.stop"})


async def snapshot(user: User, conversation_id: str) -> tuple[Conversation, list[tuple[Message, list[Message]]]]:
    """The conversation and its active branch, each message with its siblings."""
    conversation = await _owned_conversation(conversation_id, user)
    tree, branch = await active_branch(conversation)
    return conversation, [(m, tree.siblings(m)) for m in branch]


async def request_sync(user: User, message_id: str, reply_to: str) -> None:
    """Send ``message.sync`` for an answer in flight to ``reply_to``, from wherever it is generated.

    A finished answer needs no sync: its ``message.done`` carries the whole text.
    """
    message = await _owned_message(message_id, user)
    local = registry.get(message.id)
    if local is not None:
        await events.to_channel(reply_to, "message.sync", **local.sync_fields())
    elif message.status == MessageStatus.STREAMING:
        await events.to_generation(message.id, {"type": "generation.sync", "reply_to": reply_to})
    else:
        await events.to_channel(reply_to, "message.sync", message_id=str(message.id), seq=None,
                                text=message.content, status=str(message.status))


async def _answer(user: User, conversation: Conversation, tree: Tree, question: Message,
                  conversation_created: bool) -> Started:
    """Store the question (if new) and an answer placeholder, take the slot, start generating."""
    limit = settings.HADRA_LIMITS["generations_per_user"]
    if await Message.find({"status": MessageStatus.STREAMING.value, "user_id": user.id}).count() >= limit:
        raise ChatError("too_many_generations",
                        f"You already have {limit} answers being generated; wait for one or stop it.")
    answer_id = PydanticObjectId()
    if not await conversation.take_generation_slot(answer_id):
        raise ChatError("busy", "An answer is still being generated in this conversation; stop it or wait.")
    created: list[Message] = []
    try:
        if question.id is None:
            await question.insert()
            created.append(question)
            tree.by_id[question.id] = question
        answer = Message(id=answer_id, conversation_id=conversation.id, user_id=user.id,
                         parent_id=question.id, role="assistant", status=MessageStatus.STREAMING,
                         model=conversation.model or await default_model(), worker_id=registry.WORKER_ID)
        await answer.insert()
        created.append(answer)
        await conversation.set({"active_leaf_id": answer.id, "updated_at": utcnow()})
    except BaseException:
        # Free the slot, or the conversation would refuse every later question.
        await conversation.release_generation_slot(answer_id)
        raise
    history = tree.path_to(question.id)
    Generation(conversation, answer, prompt_messages(conversation, history), question.content).start()
    return Started(conversation, conversation_created, created)


async def _owned_conversation(conversation_id: str | None, user: User) -> Conversation:
    conversation = await Conversation.owned(conversation_id, user.id)
    if conversation is None:
        raise not_found("conversation")
    return conversation


async def _owned_message(message_id: str, user: User) -> Message:
    message = await Message.find_one({"_id": PydanticObjectId(message_id), "user_id": user.id})
    if message is None:
        raise not_found("message")
    return message


def _message_in(tree: Tree, message_id: str) -> Message:
    message = tree.by_id.get(PydanticObjectId(message_id))
    if message is None:
        raise not_found("message")
    return message
