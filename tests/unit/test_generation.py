"""The orchestrator (chat/generation.py) with no server: a scripted answer source in place of
Ollama, Channels' in-memory layer in place of Redis, a fake store behind the checkpointer in place
of MongoDB. What a watching client receives (deltas, sync, done, the title) and what is saved."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, Iterator, Mapping, Sequence
from typing import Any

import pytest
from beanie import PydanticObjectId
from channels.layers import get_channel_layer
from django.test import override_settings

from chat import checkpointer, events
from chat.checkpointer import DATABASE_GONE, Checkpointer, Ending
from chat.generation import Generation
from chat.titles import title_from
from contract.documents import MessageStatus
from models import Conversation, Message
from ollama_gateway import ChatChunk, ChatStats, ChatStream, OllamaUnavailable

QUESTION = "What is the capital of France?"
WAIT_S = 30.0  # bounded waits: generous, a busy machine must not fail a test
IN_MEMORY_LAYER = {"default": {"BACKEND": "asgi_app.channel_layer.FanoutLayer", "CONFIG": {"capacity": 1000}}}
OLLAMA_STATS = ChatStats(
    eval_count=3,
    eval_duration=1_000_000_000,
    prompt_eval_count=7,
    prompt_eval_duration=1,
    load_duration=None,
    total_duration=1,
)


class Source:
    """Streams ``pieces``, then ends as told: Ollama's done with its stats, an error, or never
    (``hold``: the model is still generating when the test stops it)."""

    host = "http://source.test"

    def __init__(
        self, pieces: list[str], *, error: Exception | None = None, hold: bool = False, gap_s: float = 0
    ) -> None:
        self.pieces, self.error, self.hold, self.gap_s = pieces, error, hold, gap_s
        self.asked: list[tuple[str, Sequence[Mapping[str, Any]]]] = []
        self.closed = False

    def chat_stream(
        self, model: str, messages: Sequence[Mapping[str, Any]], options: Mapping[str, Any] | None = None
    ) -> ChatStream:
        self.asked.append((model, messages))
        return ChatStream.of_chunks(self._chunks())

    async def _chunks(self) -> AsyncGenerator[ChatChunk, None]:
        try:
            for piece in self.pieces:
                yield ChatChunk(content=piece, done=False)
                await asyncio.sleep(self.gap_s)
            if self.error:
                raise self.error
            if self.hold:
                await asyncio.Event().wait()
            yield ChatChunk(content="", done=True, done_reason="stop", stats=OLLAMA_STATS)
        finally:
            self.closed = True  # a stop closes the stream: Ollama stops generating


class Store:
    def __init__(self) -> None:
        self.endings: list[tuple[str, Ending]] = []
        self.failing = False

    async def save_new(self, created) -> None:
        raise AssertionError("answers here are stored by the test")

    async def save_progress(self, progress: Mapping[PydanticObjectId, str | None]) -> None:
        if self.failing:
            raise ConnectionError("database away")

    async def save_endings(self, endings: list[tuple[Generation, Ending]]) -> None:
        if self.failing:
            raise ConnectionError("database away")
        self.endings.extend((answer.text, ending) for answer, ending in endings)


class Watcher:
    """A client: the frames of one channel-layer channel, as a socket would relay them."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.frames: list[dict[str, Any]] = []

    @classmethod
    async def of(cls, group: str) -> Watcher:
        layer = get_channel_layer()
        watcher = cls(await layer.new_channel())
        await layer.group_add(group, watcher.channel)
        return watcher

    async def until(self, frame_type: str) -> dict[str, Any]:
        async with asyncio.timeout(WAIT_S):
            while True:
                frame = json.loads((await get_channel_layer().receive(self.channel))["frame"])
                self.frames.append(frame)
                if frame["type"] == frame_type:
                    return frame

    def deltas(self) -> list[dict[str, Any]]:
        return [f for f in self.frames if f["type"] == "message.delta"]


@pytest.fixture(autouse=True)
def _in_memory_layer() -> Iterator[None]:
    with override_settings(CHANNEL_LAYERS=IN_MEMORY_LAYER, MAX_ANSWER_TOKENS=40):
        yield


def _answer(source: Source, store: Store, *, titled: bool = False, writer: Checkpointer | None = None) -> Generation:
    user = PydanticObjectId()
    conversation = Conversation.model_construct(
        id=PydanticObjectId(), user_id=user, title="Named already" if titled else None, generating_id=None
    )
    message = Message.model_construct(
        id=PydanticObjectId(),
        conversation_id=conversation.id,
        user_id=user,
        role="assistant",
        status=MessageStatus.STREAMING,
        model="some-model",
        content="",
    )
    writer = writer or Checkpointer(store, interval_s=3600)
    prompt = [{"role": "user", "content": QUESTION}]
    return Generation(conversation, message, prompt, QUESTION, source=source, checkpoints=writer)


async def _watch(generation: Generation) -> tuple[Watcher, Watcher]:
    conversation = generation.conversation
    return (
        await Watcher.of(events.conversation_group(conversation.id)),
        await Watcher.of(events.user_group(conversation.user_id)),
    )


async def test_an_answer_streams_as_ordered_deltas_and_ends_saved_titled_and_done() -> None:
    source, store = Source(["Par", "is", ", of course."]), Store()
    generation = _answer(source, store)
    clients, sidebar = await _watch(generation)
    generation.start()
    generation.announced.set()
    done = await clients.until("message.done")
    await asyncio.wait_for(generation.task, WAIT_S)

    deltas = clients.deltas()
    assert [d["seq"] for d in deltas] == list(range(1, len(deltas) + 1)) and done["seq"] == len(deltas)
    assert "".join(d["text"] for d in deltas) == done["content"] == "Paris, of course."
    assert done["status"] == "complete" and done["error"] is None
    assert done["stats"]["eval_count"] == 3 and done["stats"]["tokens_per_s"] == 3.0
    assert source.asked == [("some-model", [{"role": "user", "content": QUESTION}])]

    [(saved_text, ending)] = store.endings
    assert saved_text == "Paris, of course." and ending.status == MessageStatus.COMPLETE
    assert ending.title == title_from(QUESTION)
    updated = await sidebar.until("conversation.updated")
    assert updated["conversation"] == {"id": str(generation.conversation.id), "title": title_from(QUESTION)}


async def test_nothing_is_sent_or_saved_before_the_answer_is_announced() -> None:
    source, store = Source(["early ", "text"]), Store()
    writer = Checkpointer(store, interval_s=3600)
    generation = _answer(source, store, titled=True, writer=writer)
    clients, _ = await _watch(generation)
    generation.start()
    async with asyncio.timeout(WAIT_S):
        while not generation.text:  # the stream runs as far as it may
            await asyncio.sleep(0)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(get_channel_layer().receive(clients.channel), 0.2)
    assert not store.endings and generation not in writer
    generation.announced.set()
    done = await clients.until("message.done")
    assert "".join(d["text"] for d in clients.deltas()) == done["content"] == "early text"
    assert store.endings[0][1].title is None  # the conversation had one


async def test_a_stop_ends_the_answer_stopped_with_its_text_and_a_sync_matches_the_deltas() -> None:
    source, store = Source(["one ", "two ", "three"], hold=True), Store()
    writer = Checkpointer(store, interval_s=3600)
    generation = _answer(source, store, writer=writer)
    clients, _ = await _watch(generation)
    generation.start()
    generation.announced.set()
    while "".join(d["text"] for d in clients.deltas()) != "one two three":
        await clients.until("message.delta")
    assert generation in writer  # being checkpointed

    asker = await get_channel_layer().new_channel()
    await generation.send_sync(asker)
    sync = json.loads((await asyncio.wait_for(get_channel_layer().receive(asker), WAIT_S))["frame"])
    assert (sync["seq"], sync["text"]) == (len(clients.deltas()), "one two three")

    generation.stop()
    done = await clients.until("message.done")
    assert done["status"] == "stopped" and done["content"] == "one two three"
    assert done["stats"]["eval_count"] == 3  # counted: Ollama reports nothing for a stopped answer
    assert source.closed and store.endings[0][1].status == MessageStatus.STOPPED
    assert generation not in writer


async def test_an_ollama_failure_ends_it_failed_with_its_code_and_the_partial_text() -> None:
    source, store = Source(["partial"], error=OllamaUnavailable("connection lost", "http://ollama")), Store()
    generation = _answer(source, store)
    clients, _ = await _watch(generation)
    generation.start()
    generation.announced.set()
    done = await clients.until("message.done")
    assert done["status"] == "failed" and done["error"]["code"] == "model_server_unavailable"
    assert done["content"] == "partial" == store.endings[0][0]


async def test_with_the_database_away_clients_are_told_and_the_answer_is_saved_when_it_is_back(monkeypatch) -> None:
    monkeypatch.setattr(checkpointer, "FINAL_SAVE_EVERY_S", 0.01)
    source, store = Source(["kept"]), Store()
    store.failing = True
    generation = _answer(source, store)
    clients, sidebar = await _watch(generation)
    generation.start()
    generation.announced.set()
    done = await clients.until("message.done")
    assert done["status"] == "failed" and done["error"] == DATABASE_GONE.model_dump(mode="json")
    assert done["content"] == "kept"
    store.failing = False
    async with asyncio.timeout(WAIT_S):
        while not store.endings:
            await asyncio.sleep(0.01)
    assert store.endings[0][1].error == DATABASE_GONE and store.endings[0][1].title is None
    assert not [f for f in sidebar.frames if f["type"] == "conversation.updated"]  # no title that is not stored


async def test_a_delta_that_could_not_be_sent_goes_out_with_the_next_one(monkeypatch) -> None:
    sends = 0
    to_conversation = events.to_conversation

    async def flaky(conversation_id: object, frame: Any) -> None:
        nonlocal sends
        sends += 1
        if sends == 2:
            raise ConnectionError("Redis away")
        await to_conversation(conversation_id, frame)

    monkeypatch.setattr(events, "to_conversation", flaky)
    # Pieces further apart than the flush interval: each is due as it comes, the second is lost.
    source, store = Source(["a", "b", "c", "d"], gap_s=0.05), Store()
    generation = _answer(source, store)
    clients, _ = await _watch(generation)
    generation.start()
    generation.announced.set()
    done = await clients.until("message.done")
    deltas = clients.deltas()
    assert [d["text"] for d in deltas] == ["a", "bc", "d"]
    assert [d["seq"] for d in deltas] == [1, 2, 3] and done["seq"] == 3 and done["content"] == "abcd"
