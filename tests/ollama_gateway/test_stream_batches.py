"""A stream read in batches: a reader that pauses between reads gets everything that arrived
meanwhile in one batch (chat/generation.py reads once per delta, not once per token), the text is
the same whichever way the stream is read, and nothing after ``done`` is handed out."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

from ollama_gateway import ChatChunk, ChatStream, OllamaGateway
from tests.fakes.fake_ollama import FakeOllama

HELLO = [{"role": "user", "content": "hello there"}]


async def test_a_reader_that_pauses_gets_what_arrived_in_one_batch(fake: FakeOllama, gateway: OllamaGateway) -> None:
    behaviour = fake.set_behaviour("batched", tokens=60, tokens_per_s=300)
    batches: list[list[ChatChunk]] = []
    async with gateway.chat_stream("batched", HELLO) as stream:
        async for batch in stream.batches():
            batches.append(batch)
            await asyncio.sleep(0.2)  # about 60 tokens arrive meanwhile
    chunks = [chunk for batch in batches for chunk in batch]
    assert "".join(c.content for c in chunks) == behaviour.reply()
    assert [c.done for c in chunks] == [False] * 60 + [True] and chunks[-1].stats is not None
    assert all(batches) and len(batches) < len(chunks) / 2, [len(b) for b in batches]


async def test_chunk_by_chunk_and_batches_read_the_same_answer(fake: FakeOllama, gateway: OllamaGateway) -> None:
    behaviour = fake.set_behaviour("both-ways", tokens=20, tokens_per_s=400)
    async with gateway.chat_stream("both-ways", HELLO) as stream:
        first = [await anext(stream), await anext(stream)]  # a reader may start chunk by chunk
        rest = [chunk async for batch in stream.batches() for chunk in batch]
    assert "".join(c.content for c in first + rest) == behaviour.reply()
    assert sum(c.done for c in first + rest) == 1


async def test_a_source_that_yields_chunk_by_chunk_is_a_stream_of_one_chunk_batches() -> None:
    closed = []

    async def chunks() -> AsyncGenerator[ChatChunk, None]:
        try:
            for word in ("a", "b"):
                yield ChatChunk(content=word, done=False)
            yield ChatChunk(content="", done=True)
        finally:
            closed.append(True)

    async with ChatStream.of_chunks(chunks()) as stream:
        assert [[c.content for c in batch] async for batch in stream.batches()] == [["a"], ["b"], [""]]
    assert closed == [True]
