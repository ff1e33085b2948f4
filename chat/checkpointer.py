"""One writer per process (per event loop) for the answers being generated: their new documents,
their text while they stream, their endings.

Why one writer: MongoDB gets each answer's text at most about once a CHECKPOINT_INTERVAL_S and at
the end, never once per token, and with hundreds of answers in one process that is one write per
interval for all of them (``Message.save_progress``, a single bulk write), not hundreds.

- Answers :meth:`~Checkpointer.register` once they are stored and :meth:`~Checkpointer.unregister`
  when they end. A single background task saves, every interval, the text of each answer that
  changed since its last save, and refreshes ``updated_at`` of answers silent for
  HEARTBEAT_INTERVAL_S (a model loading): the heartbeat that lets other processes tell a slow
  answer from one whose process died (chat/recovery.py).
- The writes run in that task only: a slow or absent database never holds up the tokens. A failed
  checkpoint is retried at the next interval.
- A new answer's documents (:meth:`~Checkpointer.store_new`) and the final save
  (:meth:`~Checkpointer.finish`) are written at once, together with those of the other answers
  starting or ending meanwhile (chat/group_commit.py: one write a collection, and an answer alone
  waits for nobody). If the database is away the answer ends ``failed``
  with ``database_gone`` (its text kept in memory) and the save is retried in the background until
  the database is back, for up to FINAL_SAVE_FOR_S.
- Every write is counted, and every ending's figures (time to first token, duration, tokens) go into
  the process's metrics (telemetry/metrics.py): the checkpointer sees every answer end, once.
- The search entries of the answers that ended (models/search_entry.py) are written just after,
  in the background, so the end of an answer never waits for the search index.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from beanie import PydanticObjectId

from chat.group_commit import GroupCommit
from chat.retry import until_done
from contract.documents import MessageStatus, Stats
from contract.errors import ErrorCode, ErrorInfo
from models import Conversation, Message, MessageEnding, SearchEntry, stored_id
from models.clock import utcnow
from telemetry import metrics
from telemetry.logs import reason

log = logging.getLogger(__name__)

CHECKPOINT_INTERVAL_S = 1.0
HEARTBEAT_INTERVAL_S = 5.0
FINAL_SAVE_EVERY_S = 2.0
FINAL_SAVE_FOR_S = 30 * 60.0
DATABASE_GONE = ErrorInfo(
    code=ErrorCode.DATABASE_GONE,
    message="The database became unavailable during this answer; its text is kept and saved when it is back.",
)


class Answer(Protocol):
    """What the checkpointer reads of an answer being generated."""

    @property
    def answer_id(self) -> PydanticObjectId: ...

    @property
    def text(self) -> str: ...


class EndedAnswer(Answer, Protocol):
    """An answer at its end: its documents get the ending."""

    @property
    def message(self) -> Message: ...

    @property
    def conversation(self) -> Conversation: ...


@dataclasses.dataclass(frozen=True)
class Ending:
    """How an answer ended, as it is saved and announced."""

    status: MessageStatus
    error: ErrorInfo | None
    stats: Stats
    title: str | None = None  # the conversation's first title, when this answer names it


class Store(Protocol):
    """Where answers are saved: :class:`Documents`, or a fake in tests."""

    async def save_progress(self, progress: Mapping[PydanticObjectId, str | None]) -> None: ...

    async def save_endings(self, endings: Sequence[tuple[EndedAnswer, Ending]]) -> None: ...

    async def save_new(self, created: Sequence[tuple[Conversation | None, list[Message]]]) -> None: ...


class Documents:
    """The answers' documents in MongoDB."""

    def __init__(self) -> None:
        # The answers' search entries go after their endings, not with them: on the embedded
        # database an entry costs several times the ending itself (every word is an index key: 17 ms
        # against 3 ms for a 200-word answer, measured on a busy 2-core machine), and the end of an
        # answer must not wait for search. Those asked for meanwhile are written together.
        self._entries: GroupCommit[SearchEntry] = GroupCommit(SearchEntry.fill, "search entries")
        self._indexing: set[asyncio.Task[bool]] = set()  # referenced until done

    async def save_new(self, created: Sequence[tuple[Conversation | None, list[Message]]]) -> None:
        """New conversations, then the questions and answer placeholders alongside their search
        entries: three writes, however many."""
        conversations = [conversation for conversation, _ in created if conversation is not None]
        if conversations:
            await Conversation.insert_many(conversations)
        new = [message for _, messages in created for message in messages]
        # The questions' entries, and the places of the answers' and of new conversations' titles.
        entries = [m.search_entry() for m in new] + [c.title_entry(None) for c in conversations]
        await asyncio.gather(Message.insert_many(new), SearchEntry.insert_many(entries))

    async def save_progress(self, progress: Mapping[PydanticObjectId, str | None]) -> None:
        await Message.save_progress(progress)

    async def save_endings(self, endings: Sequence[tuple[EndedAnswer, Ending]]) -> None:
        """Each answer's text and how it ended, then their conversations' slots freed (with a first
        title): two writes, however many answers. Their search entries follow in the background."""
        now = utcnow()
        await Message.finish_all(
            [MessageEnding(a.message, e.status, e.error, a.text, e.stats) for a, e in endings], at=now
        )
        await Conversation.release_generation_slots(
            [
                (stored_id(a.conversation), a.answer_id, {"updated_at": now} | ({"title": e.title} if e.title else {}))
                for a, e in endings
            ]
        )
        self._index_later(
            [a.message.search_entry() for a, _ in endings]
            + [a.conversation.title_entry(e.title) for a, e in endings if e.title]
        )

    def _index_later(self, entries: list[SearchEntry]) -> None:
        """Store ``entries`` with the others waiting, retried like a final save while the database is away."""

        async def write() -> None:
            await asyncio.gather(*(self._entries.write(entry) for entry in entries))

        task = asyncio.get_running_loop().create_task(
            until_done(write, what="indexing answers for search", every_s=FINAL_SAVE_EVERY_S, for_s=FINAL_SAVE_FOR_S)
        )
        self._indexing.add(task)
        task.add_done_callback(self._indexing.discard)


@dataclasses.dataclass
class _Saved:
    length: int  # of the text last saved (it only grows)
    at: float  # when (clock), for the heartbeat


class Checkpointer:
    def __init__(
        self,
        store: Store | None = None,
        *,
        interval_s: float = CHECKPOINT_INTERVAL_S,
        heartbeat_s: float = HEARTBEAT_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store or Documents()
        self._endings: GroupCommit[tuple[EndedAnswer, Ending]] = GroupCommit(self._save_endings, "answer endings")
        self._new: GroupCommit[tuple[Conversation | None, list[Message]]] = GroupCommit(
            self._store.save_new, "new answers"
        )
        self._interval_s = interval_s
        self._heartbeat_s = heartbeat_s
        self._clock = clock
        self._answers: dict[PydanticObjectId, tuple[Answer, _Saved]] = {}
        self._task: asyncio.Task[None] | None = None
        self._retries: set[asyncio.Task[bool]] = set()  # final saves still trying (referenced: kept alive)

    async def store_new(self, conversation: Conversation | None, messages: list[Message]) -> None:
        """Insert a new answer's documents (its conversation when new, the question, the placeholder),
        in one write with those of the answers starting meanwhile."""
        await self._new.write((conversation, messages))

    def register(self, answer: Answer) -> None:
        """Checkpoint ``answer`` from now on (it is stored: its placeholder was inserted and announced)."""
        # Its placeholder is stored empty: any text streamed in before goes with the first round.
        self._answers[answer.answer_id] = (answer, _Saved(length=0, at=self._clock()))
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="answer checkpoints")

    def unregister(self, answer: Answer) -> None:
        self._answers.pop(answer.answer_id, None)

    def __contains__(self, answer: Answer) -> bool:
        return answer.answer_id in self._answers

    async def checkpoint(self) -> None:
        """One round: save every changed text, touch every answer silent for a heartbeat, in one write."""
        now = self._clock()
        progress: dict[PydanticObjectId, str | None] = {}
        for answer_id, (answer, saved) in self._answers.items():
            text = answer.text
            if len(text) != saved.length:
                progress[answer_id] = text
            elif now - saved.at >= self._heartbeat_s:
                progress[answer_id] = None
        if not progress:
            return
        try:
            await self._store.save_progress(progress)
        except Exception as exc:
            metrics.CHECKPOINT_WRITES.labels("progress", "failed").inc()
            log.warning("checkpoint of %d answer(s) failed, trying again next time: %s", len(progress), reason(exc))
            return
        metrics.CHECKPOINT_WRITES.labels("progress", "ok").inc()
        for answer_id, saved_text in progress.items():
            if (entry := self._answers.get(answer_id)) is not None:
                entry[1].at = now
                if saved_text is not None:
                    entry[1].length = len(saved_text)

    async def finish(self, answer: EndedAnswer, ending: Ending) -> Ending:
        """Stop checkpointing ``answer`` and save its ``ending``; returns the ending clients should
        see: the same, or ``failed``/``database_gone`` (untitled) when the database is away, in which
        case that ending is saved in the background once it is back."""
        self.unregister(answer)
        try:
            await self._endings.write((answer, ending))
        except Exception as exc:
            log.warning("final save of %s failed, retrying in the background: %s", answer.answer_id, reason(exc))
            ending = self._save_later(answer, ending)
        _observe(answer.answer_id, ending)
        return ending

    def _save_later(self, answer: EndedAnswer, ending: Ending) -> Ending:
        """Save ``answer`` as failed with ``database_gone`` in the background, once the database is back."""
        gone = dataclasses.replace(ending, status=MessageStatus.FAILED, error=DATABASE_GONE, title=None)
        retry = asyncio.get_running_loop().create_task(
            until_done(
                lambda: self._save_endings([(answer, gone)]),
                what=f"saving answer {answer.answer_id}",
                every_s=FINAL_SAVE_EVERY_S,
                for_s=FINAL_SAVE_FOR_S,
                wait_first=True,
            )
        )
        self._retries.add(retry)
        retry.add_done_callback(self._retries.discard)
        return gone

    async def _save_endings(self, endings: Sequence[tuple[EndedAnswer, Ending]]) -> None:
        try:
            await self._store.save_endings(endings)
        except Exception:
            metrics.CHECKPOINT_WRITES.labels("endings", "failed").inc()
            raise
        metrics.CHECKPOINT_WRITES.labels("endings", "ok").inc()

    async def _run(self) -> None:
        """Checkpoint every interval while answers are registered; the next register starts it again."""
        while self._answers:
            await asyncio.sleep(self._interval_s)
            await self.checkpoint()


def _observe(answer_id: PydanticObjectId, ending: Ending) -> None:
    """The ended answer's figures into this process's metrics; a line in the log when it ended in an error
    (its code only: the message may quote the model server)."""
    status, stats = ending.status.value, ending.stats
    metrics.ANSWERS_ENDED.labels(status).inc()
    if stats.ttft_ms is not None:
        metrics.ANSWER_TTFT.observe(stats.ttft_ms / 1000)
    if stats.total_ms is not None:
        metrics.ANSWER_DURATION.labels(status).observe(stats.total_ms / 1000)
    if stats.eval_count:
        metrics.TOKENS_DELIVERED.inc(stats.eval_count)
    if ending.error is not None:
        log.warning(
            "answer %s ended %s: %s", answer_id, status, ending.error.code.value, extra={"answer_id": str(answer_id)}
        )


_per_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Checkpointer] = weakref.WeakKeyDictionary()


def for_this_loop() -> Checkpointer:
    """This process's checkpointer (one per event loop: the database client is bound to its loop)."""
    loop = asyncio.get_running_loop()
    checkpointer = _per_loop.get(loop)
    if checkpointer is None:
        checkpointer = _per_loop[loop] = Checkpointer()
    return checkpointer
