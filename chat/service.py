"""What a user can ask of the chat: send, regenerate, edit, stop, open. Called by consumers/ (and
api/ for deletes).

Each answer takes the conversation's generation slot atomically, joins the admission queue of
the Ollama host chosen for it (chat/host_choice.py; chat/admission.py: a slot at once, a place in
the queue, or a refusal when the queue is full), starts as a task of this process, and stores
the question and the answer placeholder while Ollama reads the prompt; nothing is sent to
clients before both are stored.
The service then announces what it created itself (``conversation.created``,
``message.created``) and only then lets the answer stream, so no caller can leave a generation
waiting for an announcement that never comes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from beanie import PydanticObjectId
from django.conf import settings

from chat import checkpointer, events, host_choice, registry
from chat.admission import HostQueue
from chat.branches import Tree, active_branch, prompt_messages
from chat.generation import Generation
from chat.model_choice import Start, default_model, for_new_conversation
from chat.payloads import conversation_out, message_out
from contract.documents import IN_FLIGHT
from contract.errors import ErrorCode, HadraError, not_found
from contract.frames import ConversationCreated, MessageCreated, MessageSync
from models import Conversation, Message, MessageStatus, SearchEntry, User, stored_id
from models.clock import utcnow


@dataclass(frozen=True)
class Asker:
    """Who asked and how to answer them: the user, the frame's ``request_id`` (echoed on the frames
    the request causes) and how the asking socket joins a group (the consumer's own ``join``, which
    remembers its groups to leave them on disconnect)."""

    user: User
    request_id: str | None
    join: Callable[[str], Awaitable[None]]


def busy() -> HadraError:
    return HadraError(ErrorCode.BUSY, "An answer is still being generated in this conversation; stop it or wait.")


async def send(
    asker: Asker,
    *,
    conversation_id: str | None,
    content: str,
    parent_id: str | None,
    model: str | None,
    system_prompt: str | None,
) -> None:
    user = asker.user
    created = conversation_id is None
    if created:
        # Not stored yet: _answer stores it after Ollama has been asked (an empty tree needs no query),
        # with the model and system prompt it starts with.
        conversation = Conversation(id=PydanticObjectId(), user_id=user.id)
        tree = Tree.empty()
    else:
        conversation = await _owned_conversation(conversation_id, user)
        changes = {k: v for k, v in {"model": model, "system_prompt": system_prompt}.items() if v is not None}
        tree, _ = await asyncio.gather(
            Tree.load(stored_id(conversation)), conversation.set(changes) if changes else asyncio.sleep(0)
        )
    leaf = conversation.active_leaf_id
    parent = _message_in(tree, parent_id) if parent_id else (tree.by_id.get(leaf) if leaf else None)
    if parent is not None and parent.role == "user":
        raise HadraError(ErrorCode.INVALID_PARENT, "A question follows an answer; pick an assistant message as parent.")
    question = Message(
        conversation_id=conversation.id,
        user_id=user.id,
        parent_id=parent.id if parent else None,
        role="user",
        content=content,
    )
    start = for_new_conversation(stored_id(user), model, system_prompt) if created else None
    await _answer(asker, conversation, tree, question, created, start)


async def regenerate(asker: Asker, *, message_id: str, model: str | None) -> None:
    user = asker.user
    message = await _owned_message(message_id, user)
    if message.role != "assistant" or message.parent_id is None:
        raise HadraError(ErrorCode.INVALID_MESSAGE, "Only an answer can be regenerated.")
    conversation = await _owned_conversation(str(message.conversation_id), user)
    if model:
        await conversation.set({"model": model})
    tree = await Tree.load(stored_id(conversation))
    await _answer(asker, conversation, tree, tree.by_id[message.parent_id], False)


async def edit(asker: Asker, *, message_id: str, content: str) -> None:
    """Edit a question (a new branch, answered again) or correct an answer by hand (a new branch
    holding the user's text; fine-tuning learns from such corrections)."""
    user = asker.user
    original = await _owned_message(message_id, user)
    if original.role not in {"user", "assistant"}:
        raise HadraError(ErrorCode.INVALID_MESSAGE, "Only a question or an answer can be edited.")
    conversation = await _owned_conversation(str(original.conversation_id), user)
    if original.role == "assistant":
        await _correct(asker, conversation, original, content)
        return
    tree = await Tree.load(stored_id(conversation))
    question = Message(
        conversation_id=conversation.id,
        user_id=user.id,
        parent_id=original.parent_id,
        role="user",
        content=content,
        edited_from=original.id,
    )
    await _answer(asker, conversation, tree, question, False)


async def _correct(asker: Asker, conversation: Conversation, original: Message, content: str) -> None:
    if conversation.generating_id is not None:
        raise busy()
    correction = Message(
        conversation_id=conversation.id,
        user_id=asker.user.id,
        parent_id=original.parent_id,
        role="assistant",
        content=content,
        status=MessageStatus.COMPLETE,
        model=original.model,
        edited_from=original.id,
    )
    await correction.insert()
    await asyncio.gather(
        conversation.set({"active_leaf_id": correction.id, "updated_at": utcnow()}),
        SearchEntry.store([correction.search_entry()]),
    )
    await _announce(asker, conversation, False, [correction])


async def stop(user: User, *, message_id: str) -> None:
    message = await _owned_message(message_id, user)
    if message.status not in IN_FLIGHT:
        raise HadraError(ErrorCode.NOT_STREAMING, "This answer is not being generated any more.")
    await cancel_generation(stored_id(message))


async def cancel_generation(message_id: PydanticObjectId) -> None:
    """Stop an answer wherever it is generated: here directly, elsewhere through its group."""
    local = registry.get(message_id)
    if local is not None:
        local.stop()
    else:
        await events.to_generation(message_id, {"type": "generation.stop"})


async def check_owner(user: User, conversation_id: str) -> None:
    """``not_found`` unless ``user`` owns the conversation: the check before joining its group."""
    await _owned_conversation(conversation_id, user)


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
        await local.send_sync(reply_to)
    elif message.status in IN_FLIGHT:
        await events.to_generation(message.id, {"type": "generation.sync", "reply_to": reply_to})
    else:
        await events.to_channel(
            reply_to, MessageSync(message_id=str(message.id), seq=None, text=message.content, status=message.status)
        )


async def _answer(
    asker: Asker,
    conversation: Conversation,
    tree: Tree,
    question: Message,
    conversation_created: bool,
    start: Awaitable[Start] | None = None,
) -> None:
    """Take the conversation's slot, start generating, store the question (if new) and the answer
    placeholder while Ollama reads the prompt, then announce them. A new conversation's ``start``
    (its model and system prompt) is read alongside the count of answers in flight.

    Ollama's request goes out before the writes, so the database never adds to the time to
    first token; the generation sends nothing and writes nothing until it is announced.
    """
    user = asker.user
    limit = settings.HADRA_LIMITS["generations_per_user"]
    in_flight, fallback_model, started = await asyncio.gather(
        _generations_of(user),
        default_model() if not conversation.model else asyncio.sleep(0),
        start if start is not None else asyncio.sleep(0),
    )
    if started is not None:
        conversation.model, conversation.system_prompt = started.model, started.system_prompt
        conversation.model_note = started.model_note
    if conversation_created and not conversation.model:
        conversation.model = fallback_model  # a new conversation keeps the model it started with
    if in_flight >= limit:
        raise HadraError(
            ErrorCode.TOO_MANY_GENERATIONS,
            f"You already have {limit} answers being generated; wait for one or stop it.",
            params={"limit": limit},
        )
    answer_id = PydanticObjectId()
    if conversation_created:
        conversation.generating_id = answer_id  # stored with it: nobody else can know it yet
    elif not await conversation.take_generation_slot(answer_id):
        raise busy()
    generation: Generation | None = None
    stored: list[Message] = []
    model = conversation.model or fallback_model
    if model is None:  # default_model() ran whenever the conversation had none
        raise RuntimeError("an answer needs a model")
    queue: HostQueue | None = None
    try:
        created = [question] if question.id is None else []
        if question.id is None:
            question.id = PydanticObjectId()
            tree.by_id[question.id] = question
        answer = Message(
            id=answer_id,
            conversation_id=conversation.id,
            user_id=user.id,
            parent_id=question.id,
            role="assistant",
            model=model,
            worker_id=registry.WORKER_ID,
        )
        created.append(answer)
        prompt = prompt_messages(conversation, tree.path_to(question.id))
        # Refused here (the host's queue is full), before anything is stored.
        queue, position = await host_choice.place(model, conversation.ollama_host, str(answer_id))
        answer.status = MessageStatus.STREAMING if position is None else MessageStatus.QUEUED
        generation = Generation(conversation, answer, prompt, question.content, queue=queue, position=position)
        generation.start()
        conversation.ollama_host = queue.host
        if conversation_created:
            conversation.active_leaf_id = answer.id
        stored = created
        # With the answers starting meanwhile: one write for the conversations, one for the messages
        # (in order: the question before its answer).
        await checkpointer.for_this_loop().store_new(conversation if conversation_created else None, created)
        if not conversation_created:
            await conversation.set({"active_leaf_id": answer.id, "updated_at": utcnow(), "ollama_host": queue.host})
    except BaseException:
        if generation is not None:
            generation.abandon()  # it gives its place back
        elif queue is not None:
            await queue.leave(str(answer_id))
        await _undo(conversation, conversation_created, answer_id, stored)
        raise
    try:
        await _announce(asker, conversation, conversation_created, created)
    finally:
        generation.announced.set()  # announced or not (the relay is away), the answer goes on


async def _announce(
    asker: Asker, conversation: Conversation, conversation_created: bool, messages: list[Message]
) -> None:
    """Tell the asker's tabs what was created: the asking socket joins the conversation first, so
    it gets every frame of the answer."""
    await asker.join(events.conversation_group(conversation.id))
    if conversation_created:
        await events.to_user(
            conversation.user_id,
            ConversationCreated(conversation=conversation_out(conversation), request_id=asker.request_id),
        )
    for message in messages:
        await events.to_conversation(
            conversation.id, MessageCreated(message=message_out(message), request_id=asker.request_id)
        )


async def _undo(conversation: Conversation, created: bool, answer_id: PydanticObjectId, stored: list[Message]) -> None:
    """Leave no trace of an answer that could not start: a new conversation goes (no empty, untitled
    one in the list), an existing one gets its slot back, or it would refuse every later question."""
    if stored:
        await Message.delete_ids([stored_id(m) for m in stored])
    if created:
        await SearchEntry.delete_conversation(stored_id(conversation))  # the place of its title
        await conversation.delete()
    else:
        await conversation.release_generation_slot(answer_id)


async def _generations_of(user: User) -> int:
    """Answers queued or being generated for ``user``: with one process the registry knows them all."""
    if not settings.REDIS_URL:
        return sum(1 for g in registry.running() if g.message.user_id == user.id)
    return await Message.in_flight_count_of(stored_id(user))


async def _owned_conversation(conversation_id: str | None, user: User) -> Conversation:
    conversation = await Conversation.owned(conversation_id, stored_id(user))
    if conversation is None:
        raise not_found("conversation")
    return conversation


async def _owned_message(message_id: str, user: User) -> Message:
    message = await Message.owned(PydanticObjectId(message_id), stored_id(user))
    if message is None:
        raise not_found("message")
    return message


def _message_in(tree: Tree, message_id: str) -> Message:
    message = tree.by_id.get(PydanticObjectId(message_id))
    if message is None:
        raise not_found("message")
    return message
