"""The per-process checkpoint writer (chat/checkpointer.py): which answers each round saves, the
heartbeat of silent ones, failed writes and the final save's retry, against a fake store and a
clock the test moves; one test runs the real bulk write against the MongoDB-protocol server."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field

from beanie import PydanticObjectId

from chat import checkpointer
from chat.checkpointer import DATABASE_GONE, Checkpointer, Ending
from contract.documents import MessageStatus, Stats
from models import Conversation, Message

HEARTBEAT = 5.0
WAIT_S = 30.0  # bounded waits for background work: generous, a busy machine must not fail a test


@dataclass
class Answer:
    text: str = ""
    answer_id: PydanticObjectId = field(default_factory=PydanticObjectId)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Store:
    """Records each write; ``failing`` makes them raise like a database that is away."""

    def __init__(self) -> None:
        self.writes: list[dict[PydanticObjectId, str | None]] = []
        self.endings: list[tuple[PydanticObjectId, str, Ending]] = []
        self.failing = False
        self.calls = 0  # save_endings calls

    async def save_new(self, created) -> None:
        raise AssertionError("answers here are stored by the test")

    async def save_progress(self, progress: Mapping[PydanticObjectId, str | None]) -> None:
        if self.failing:
            raise ConnectionError("database away")
        self.writes.append(dict(progress))

    async def save_endings(self, endings) -> None:
        if self.failing:
            raise ConnectionError("database away")
        self.calls += 1
        self.endings.extend((answer.answer_id, answer.text, ending) for answer, ending in endings)


def _writer(store: Store, clock: Clock) -> Checkpointer:
    return Checkpointer(store, interval_s=3600, heartbeat_s=HEARTBEAT, clock=clock)


async def test_a_round_saves_each_changed_text_in_one_write() -> None:
    store, clock = Store(), Clock()
    writer = _writer(store, clock)
    streaming, quiet, streamed_before = Answer(), Answer(), Answer("streamed before it was stored")
    for answer in (streaming, quiet, streamed_before):
        writer.register(answer)
    streaming.text = "Hello"
    await writer.checkpoint()
    assert store.writes == [{streaming.answer_id: "Hello", streamed_before.answer_id: "streamed before it was stored"}]

    streaming.text += " world"
    clock.now += 1
    await writer.checkpoint()
    assert store.writes[-1] == {streaming.answer_id: "Hello world"}

    clock.now += 1
    await writer.checkpoint()  # nothing changed, nobody silent for a heartbeat: no write at all
    assert len(store.writes) == 2
    writer.unregister(streaming)
    writer.unregister(quiet)
    writer.unregister(streamed_before)


async def test_a_silent_answer_gets_a_heartbeat_every_interval() -> None:
    store, clock = Store(), Clock()
    writer = _writer(store, clock)
    loading = Answer()  # the model is loading: no text for a while
    writer.register(loading)
    clock.now += HEARTBEAT - 1
    await writer.checkpoint()
    assert store.writes == []
    clock.now += 1
    await writer.checkpoint()
    assert store.writes == [{loading.answer_id: None}]  # updated_at only
    clock.now += HEARTBEAT - 1
    await writer.checkpoint()
    assert len(store.writes) == 1  # a heartbeat counts from the last save
    loading.text = "Finally"
    await writer.checkpoint()
    assert store.writes[-1] == {loading.answer_id: "Finally"}
    writer.unregister(loading)


async def test_a_failed_write_is_retried_next_round_with_the_latest_text() -> None:
    store, clock = Store(), Clock()
    writer = _writer(store, clock)
    answer = Answer("one")
    writer.register(answer)
    store.failing = True
    await writer.checkpoint()  # logged, not raised: the answer goes on
    answer.text = "one two"
    store.failing = False
    clock.now += 1
    await writer.checkpoint()
    assert store.writes == [{answer.answer_id: "one two"}]
    writer.unregister(answer)


async def test_an_unregistered_answer_is_not_saved_any_more() -> None:
    store, clock = Store(), Clock()
    writer = _writer(store, clock)
    ended, going_on = Answer("ended"), Answer("going on")
    writer.register(ended)
    writer.register(going_on)
    writer.unregister(ended)
    clock.now += HEARTBEAT
    await writer.checkpoint()
    assert store.writes == [{going_on.answer_id: "going on"}]
    assert ended not in writer and going_on in writer
    writer.unregister(going_on)


async def test_the_background_task_saves_while_answers_are_registered_and_then_ends() -> None:
    store = Store()
    writer = Checkpointer(store, interval_s=0.01, heartbeat_s=HEARTBEAT)
    answer = Answer("text")
    writer.register(answer)
    task = writer._task
    assert task is not None
    await _until(lambda: store.writes)
    assert store.writes[0] == {answer.answer_id: "text"}
    writer.unregister(answer)
    await asyncio.wait_for(task, WAIT_S)  # nothing left to save: the task ends
    again = Answer("again")
    writer.register(again)  # and the next answer starts it again
    await _until(lambda: {again.answer_id: "again"} in store.writes)
    writer.unregister(again)


async def test_finish_saves_the_ending_and_stops_checkpointing() -> None:
    store = Store()
    writer = _writer(store, Clock())
    answer = Answer("the answer")
    writer.register(answer)
    ending = Ending(MessageStatus.COMPLETE, None, Stats(eval_count=2), title="A title")
    assert await writer.finish(answer, ending) == ending
    assert store.endings == [(answer.answer_id, "the answer", ending)] and answer not in writer


async def test_endings_asked_while_one_is_being_written_go_out_together() -> None:
    class SlowStore(Store):
        def __init__(self) -> None:
            super().__init__()
            self.release = asyncio.Event()

        async def save_endings(self, endings) -> None:
            await self.release.wait()
            await super().save_endings(endings)

    store = SlowStore()
    writer = _writer(store, Clock())
    answers = [Answer(f"answer {index}") for index in range(6)]
    ending = Ending(MessageStatus.COMPLETE, None, Stats())
    first = asyncio.create_task(writer.finish(answers[0], ending))
    await asyncio.sleep(0)  # the first write is on its way (held by the store)
    rest = [asyncio.create_task(writer.finish(answer, ending)) for answer in answers[1:]]
    await asyncio.sleep(0)
    store.release.set()
    assert await asyncio.wait_for(asyncio.gather(first, *rest), WAIT_S) == [ending] * 6
    assert store.calls == 2  # the first alone, the five that came meanwhile in one write
    assert [text for _, text, _ in store.endings] == [a.text for a in answers]


async def test_the_real_endings_write_ends_each_answer_and_frees_its_slot(db) -> None:
    user = PydanticObjectId()

    @dataclass
    class Ended:
        message: Message
        conversation: Conversation
        text: str

        @property
        def answer_id(self) -> PydanticObjectId:
            return self.message.id

    ended = []
    for title in ("Named here", None):
        answer_id = PydanticObjectId()
        conversation = Conversation(user_id=user, generating_id=answer_id)
        await conversation.insert()
        message = Message(
            id=answer_id,
            conversation_id=conversation.id,
            user_id=user,
            role="assistant",
            status=MessageStatus.STREAMING,
        )
        await message.insert()
        ended.append(
            (
                Ended(message, conversation, f"text of {title}"),
                Ending(MessageStatus.COMPLETE, None, Stats(eval_count=4), title),
            )
        )

    await checkpointer.Documents().save_endings(ended)

    for answer, ending in ended:
        stored = await Message.get(answer.answer_id)
        assert (stored.status, stored.content, stored.stats.eval_count) == (MessageStatus.COMPLETE, answer.text, 4)
        conversation = await Conversation.get(answer.conversation.id)
        assert conversation.generating_id is None and conversation.title == ending.title


async def test_with_the_database_away_the_answer_ends_failed_and_is_saved_when_it_is_back(monkeypatch) -> None:
    monkeypatch.setattr(checkpointer, "FINAL_SAVE_EVERY_S", 0.01)
    store = Store()
    writer = _writer(store, Clock())
    answer = Answer("kept in memory")
    writer.register(answer)
    store.failing = True
    ending = Ending(MessageStatus.COMPLETE, None, Stats(eval_count=3), title="A title")
    told = await writer.finish(answer, ending)
    assert told.status == MessageStatus.FAILED and told.error == DATABASE_GONE
    assert told.title is None and told.stats == ending.stats  # no title announced that is not stored
    assert answer not in writer
    await asyncio.sleep(0.05)
    assert store.endings == []
    store.failing = False
    await _until(lambda: store.endings)
    assert store.endings == [(answer.answer_id, "kept in memory", told)]  # what clients were told is stored


async def test_the_real_bulk_write_touches_only_answers_still_streaming(db) -> None:
    conversation, user = PydanticObjectId(), PydanticObjectId()

    def answer(status: MessageStatus) -> Message:
        return Message(
            id=PydanticObjectId(), conversation_id=conversation, user_id=user, role="assistant", status=status
        )

    streaming, silent = answer(MessageStatus.STREAMING), answer(MessageStatus.STREAMING)
    finished = answer(MessageStatus.COMPLETE)
    finished.content = "the final text"
    await Message.insert_many([streaming, silent, finished])
    before = {m.id: m.updated_at for m in (streaming, silent)}
    await asyncio.sleep(0.01)  # updated_at has millisecond precision

    await Message.save_progress({streaming.id: "so far", silent.id: None, finished.id: "a late checkpoint"})

    stored = {m.id: m for m in await Message.find({"conversation_id": conversation}).to_list()}
    assert stored[streaming.id].content == "so far" and stored[streaming.id].updated_at > before[streaming.id]
    assert stored[silent.id].content == "" and stored[silent.id].updated_at > before[silent.id]
    assert stored[finished.id].content == "the final text"  # ended before the checkpoint landed


async def _until(condition, timeout_s: float = WAIT_S) -> None:
    async with asyncio.timeout(timeout_s):
        while not condition():
            await asyncio.sleep(0.01)
