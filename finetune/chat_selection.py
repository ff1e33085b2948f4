"""Which chat answers a training run learns from: the one definition, used by ``python -m finetune
dataset`` and by the admin page's counts and rows (api/views/admin_dataset.py), so the page shows
exactly what the next run would train on.

- a row: an answer rated 👍, or an answer a user corrected by hand (``edited_from`` set), with the
  branch from the conversation's root up to it (its ``parent_id`` chain) as the prompt, under the
  conversation's own system prompt (or none);
- a preference pair: an answer rated 👎 with a sibling (same parent) rated 👍 or corrected;
- never: imported or unfinished answers, answers staff excluded (TrainingExclusion) and answers of
  users who opted out of training (``exclude_from_training``); each is counted with its reason.

Light on purpose (Beanie documents and dataclasses, no torch): the chat server imports it. The
caller has connected Beanie (``models.init_db``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from beanie import PydanticObjectId

from finetune.examples import Example, Preference, Turn
from finetune.sources import SourceResult
from models import Conversation, Message, MessageStatus, TrainingExclusion, User

RATED, EDITED = "chat-rated", "chat-edited"
EXCLUDED = "excluded by staff"
OPTED_OUT = "its author opted out of training"


@dataclass(frozen=True)
class ChatRow:
    """One answer that is (or, excluded, would be) a training row, and where it came from."""

    example: Example
    message_id: PydanticObjectId
    conversation_id: PydanticObjectId
    at: datetime  # when it became training data: the answer, or its rating when later
    excluded: bool = False


@dataclass(frozen=True)
class PairRow:
    preference: Preference
    message_id: PydanticObjectId  # the 👎 answer
    chosen_id: PydanticObjectId
    conversation_id: PydanticObjectId
    at: datetime
    excluded: bool = False


@dataclass
class ChatSelection:
    rated: SourceResult = field(default_factory=lambda: SourceResult(name=RATED))
    edited: SourceResult = field(default_factory=lambda: SourceResult(name=EDITED))
    rows: list[ChatRow] = field(default_factory=list)  # usable and staff-excluded, newest first
    pairs: list[PairRow] = field(default_factory=list)  # likewise
    pairs_skipped: Counter[str] = field(default_factory=Counter)

    @property
    def results(self) -> list[SourceResult]:
        return [self.rated, self.edited]

    @property
    def preferences(self) -> list[Preference]:
        return [pair.preference for pair in self.pairs if not pair.excluded]


def _at(message: Message) -> datetime:
    rated = message.feedback.created_at if message.feedback else message.created_at
    return max(message.created_at, rated)


def _usable_answer(answer: Message) -> str | None:
    """Why an answer cannot be learnt from, or None when it can."""
    if answer.role != "assistant":
        return "not an answer"
    if answer.imported:
        return "imported (not generated or rated here)"
    if answer.status != MessageStatus.COMPLETE:
        return f"answer {answer.status}"
    if not answer.content.strip():
        return "empty answer"
    return None


def branch(answer: Message, by_id: dict[PydanticObjectId, Message]) -> tuple[Turn, ...] | None:
    """The turns before ``answer``: its parent chain up to the root, oldest first, alternating and
    ending with the user's question. An empty turn or a broken alternation ends the context there
    (what is older is dropped); None when the answer has no user question before it."""
    turns: list[Turn] = []
    expected = "user"
    node = by_id.get(answer.parent_id) if answer.parent_id else None
    while node is not None and node.role == expected and node.content.strip():
        turns.append((node.role, node.content.strip()))
        expected = "assistant" if expected == "user" else "user"
        node = by_id.get(node.parent_id) if node.parent_id else None
    if turns and turns[-1][0] == "assistant":
        turns.pop()  # a prompt starts with the user
    return tuple(reversed(turns)) or None


async def select() -> ChatSelection:
    """Read the candidates and decide, for each, row, pair, or skipped (and why)."""
    # Filters on one indexed field each (the embedded server scans everything otherwise); the rest
    # is checked here.
    rated = [m for m in await Message.find({"feedback.rating": "up"}).to_list() if m.role == "assistant"]
    down = [m for m in await Message.find({"feedback.rating": "down"}).to_list() if m.role == "assistant"]
    edited = [
        m
        for m in await Message.find({"edited_from": {"$gt": PydanticObjectId("0" * 24)}}).to_list()
        if m.role == "assistant"
    ]
    conversation_ids = list({m.conversation_id for m in rated + down + edited})
    conversations = (
        {c.id: c for c in await Conversation.find({"_id": {"$in": conversation_ids}}).to_list()}
        if conversation_ids
        else {}
    )
    # Every message of those conversations (index conversation_created): the branches and siblings.
    messages = await Message.find({"conversation_id": {"$in": conversation_ids}}).to_list() if conversation_ids else []
    by_id = {m.id: m for m in [*messages, *rated, *down, *edited] if m.id is not None}
    excluded = await TrainingExclusion.among([m.id for m in by_id.values() if m.id is not None])
    opted_out = await User.excluded_from_training_ids()

    selection = ChatSelection()
    for result, answers in ((selection.rated, rated), (selection.edited, edited)):
        result.read = len(answers)
        # Newest first: when one question was corrected (or rated) twice, the dataset keeps the
        # user's latest answer, and a rebuild picks the same one whatever order the server returns.
        for answer in sorted(answers, key=Message.chronology, reverse=True):
            row = _row(answer, result, by_id, conversations, excluded, opted_out)
            if row is not None:
                selection.rows.append(row)
    _pairs(selection, down, messages, by_id, conversations, excluded, opted_out)
    selection.rows.sort(key=lambda r: (r.at, r.message_id), reverse=True)
    selection.pairs.sort(key=lambda p: (p.at, p.message_id), reverse=True)
    return selection


def _row(
    answer: Message,
    result: SourceResult,
    by_id: dict[PydanticObjectId, Message],
    conversations: dict[PydanticObjectId | None, Conversation],
    excluded: set[PydanticObjectId],
    opted_out: set[PydanticObjectId],
) -> ChatRow | None:
    assert answer.id is not None
    turns = branch(answer, by_id)
    why = _usable_answer(answer)
    if why is None and answer.user_id in opted_out:
        why = OPTED_OUT
    if why is None and turns is None:
        why = "no user message before it"
    if why is not None:
        result.skipped[why] += 1
        return None
    assert turns is not None
    conversation = conversations.get(answer.conversation_id)
    example = Example(
        source=result.name,
        origin=str(answer.id),
        system=(conversation.system_prompt.strip() if conversation else ""),
        turns=turns,
        assistant=answer.content.strip(),
    )
    if answer.id in excluded:
        result.skipped[EXCLUDED] += 1
    else:
        result.examples.append(example)
    return ChatRow(example, answer.id, answer.conversation_id, _at(answer), excluded=answer.id in excluded)


def _pairs(
    selection: ChatSelection,
    down: list[Message],
    messages: list[Message],
    by_id: dict[PydanticObjectId, Message],
    conversations: dict[PydanticObjectId | None, Conversation],
    excluded: set[PydanticObjectId],
    opted_out: set[PydanticObjectId],
) -> None:
    """Each usable 👎 answer with its best sibling: the newest correction, else the newest 👍."""
    children: dict[PydanticObjectId, list[Message]] = {}
    for message in messages:
        if message.parent_id is not None:
            children.setdefault(message.parent_id, []).append(message)
    skipped = selection.pairs_skipped
    for rejected in sorted(down, key=Message.chronology, reverse=True):
        assert rejected.id is not None
        why = _usable_answer(rejected)
        turns = branch(rejected, by_id)
        if why is None and rejected.user_id in opted_out:
            why = OPTED_OUT
        if why is None and turns is None:
            why = "no user message before it"
        siblings = children.get(rejected.parent_id, []) if rejected.parent_id else []
        better = [
            m
            for m in siblings
            if m.id != rejected.id
            and _usable_answer(m) is None
            and m.id not in excluded
            and (m.edited_from is not None or (m.feedback is not None and m.feedback.rating == "up"))
        ]
        if why is None and not better:
            why = "no 👍 or corrected answer beside it"
        if why is not None:
            skipped[why] += 1
            continue
        assert turns is not None
        chosen = max(better, key=lambda m: (m.edited_from is not None, *m.chronology()))
        assert chosen.id is not None
        conversation = conversations.get(rejected.conversation_id)
        preference = Preference(
            origin=str(rejected.id),
            system=(conversation.system_prompt.strip() if conversation else ""),
            turns=turns,
            chosen=chosen.content.strip(),
            rejected=rejected.content.strip(),
        )
        if rejected.id in excluded:
            skipped[EXCLUDED] += 1
        selection.pairs.append(
            PairRow(
                preference,
                rejected.id,
                chosen.id,
                rejected.conversation_id,
                max(_at(rejected), _at(chosen)),
                excluded=rejected.id in excluded,
            )
        )
