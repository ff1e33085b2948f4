"""Answer streams: Ollama's NDJSON chat answer read over aiohttp, a batch of chunks per read.

Why aiohttp here when the rest of the gateway uses the ``ollama`` library's httpx client: Ollama
sends one HTTP chunk per token, and httpx (httpcore, h11, anyio) costs a coroutine round trip, a
timeout scope and a pure-Python chunk parse per token, about half of the server's CPU at 200
answers at once (py-spy, ``bench/capacity.py --profile``). aiohttp decodes the chunked body in C
into a buffer, and ``readany`` hands over everything that has arrived: a reader that waits between
reads (chat/generation.py waits out its delta interval) parses a delta's worth of tokens in one
go. ``bench/stream_reading.py`` measures both on the same fake Ollama.

What a stream guarantees: closing or cancelling it closes the HTTP connection, because Ollama only
stops generating when the client disconnects; a stream that ends without a ``done`` chunk raises
StreamEndedEarly; every failure is one of ``ollama_gateway.errors``' types.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

import aiohttp
import orjson

from ollama_gateway.chat import ChatChunk, NDJSONLines, chunk_of, parse_part, request_body
from ollama_gateway.errors import StreamEndedEarly, error_for_status, translated

BODY_END_S = 1.0  # how long to wait, after done, for the end of the body (Ollama sends it at once)


class StreamPool:
    """The connections answer streams use, one aiohttp session per gateway, made on first use
    (aiohttp sessions belong to the running loop). ``max_streams`` bounds the connections."""

    def __init__(self, host: str, *, read_timeout: float, connect_timeout: float, max_streams: int | None) -> None:
        self.host = host
        self._timeout = aiohttp.ClientTimeout(total=None, sock_connect=connect_timeout, sock_read=read_timeout)
        self._limit = max_streams if max_streams is not None else 100  # aiohttp's and httpx's default
        self._session: aiohttp.ClientSession | None = None

    @property
    def limit(self) -> int:
        return self._limit

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._limit, limit_per_host=0)
            self._session = aiohttp.ClientSession(connector=connector, timeout=self._timeout, auto_decompress=False)
        return self._session

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


async def _detail(response: aiohttp.ClientResponse) -> str:
    """Ollama's reason for an error status: the ``error`` of its JSON body, or the body."""
    text = await response.text()
    with contextlib.suppress(orjson.JSONDecodeError):
        body = orjson.loads(text)
        if isinstance(body, dict) and "error" in body:
            return str(body["error"])
    return text


async def _read_to_the_end(response: aiohttp.ClientResponse) -> None:
    """After ``done`` Ollama sends only the body's end: reading it lets the connection go back to
    the pool instead of being closed. Bounded, and never an error: the answer is complete."""
    with contextlib.suppress(aiohttp.ClientError, TimeoutError):
        async with asyncio.timeout(BODY_END_S):
            while await response.content.readany():
                pass


def _up_to_done(batch: list[ChatChunk]) -> list[ChatChunk]:
    """Nothing after a ``done`` chunk belongs to the answer."""
    for index, chunk in enumerate(batch):
        if chunk.done:
            return batch[: index + 1]
    return batch


async def _batches(
    pool: StreamPool,
    model: str,
    messages: Sequence[Mapping[str, Any]],
    options: Mapping[str, Any] | None,
    keep_alive: float | str | None,
) -> AsyncGenerator[list[ChatChunk], None]:
    host = pool.host
    body = request_body(model, messages, stream=True, options=options, keep_alive=keep_alive)
    lines = NDJSONLines()
    with translated(host, model):
        response = await pool.session().post(f"{host}/api/chat", json=body)
        clean = False
        try:
            if response.status >= 400:
                raise error_for_status(response.status, await _detail(response), host, model)
            while True:
                block = await response.content.readany()  # b"": the body ended; its last line may lack "\n"
                batch = _up_to_done(
                    [chunk_of(parse_part(line, host)) for line in (lines.feed(block) if block else lines.rest())]
                )
                if batch:
                    yield batch
                    if batch[-1].done:
                        await _read_to_the_end(response)  # at once when the body has ended
                        clean = True
                        return
                if not block:
                    break
        finally:
            # Any other way out (an error, aclose, cancellation) closes the connection: Ollama stops.
            if clean:
                response.release()
            else:
                response.close()
    raise StreamEndedEarly(f"Ollama at {host} closed the answer stream before it was done", host)


class ChatStream(AbstractAsyncContextManager["ChatStream"]):
    """An async iterator of :class:`ChatChunk`; ``aclose()`` or leaving ``async with`` stops Ollama.

    :meth:`batches` gives the same chunks a list per read: a reader that waits between reads gets
    what arrived meanwhile in one go. Cancelling the task that iterates also closes the connection.
    Use it as ``async with gateway.chat_stream(...) as stream: async for chunk in stream``.
    """

    def __init__(self, batches: AsyncGenerator[list[ChatChunk], None]) -> None:
        self._batches = batches
        self._left: deque[ChatChunk] = deque()

    @classmethod
    def of_chunks(cls, chunks: AsyncGenerator[ChatChunk, None]) -> ChatStream:
        """A stream from a source that yields chunk by chunk (a fake in tests, another client)."""

        async def one_by_one() -> AsyncGenerator[list[ChatChunk], None]:
            try:
                async for chunk in chunks:
                    yield [chunk]
            finally:
                await chunks.aclose()

        return cls(one_by_one())

    def __aiter__(self) -> ChatStream:
        return self

    async def __anext__(self) -> ChatChunk:
        while not self._left:
            self._left.extend(await self._batches.__anext__())
        return self._left.popleft()

    def batches(self) -> AsyncIterator[list[ChatChunk]]:
        """The chunks not read yet, a list per read (never an empty one)."""
        return self._remaining_batches()

    async def _remaining_batches(self) -> AsyncGenerator[list[ChatChunk], None]:
        if self._left:
            yield list(self._left)
            self._left.clear()
        async for batch in self._batches:
            yield batch

    async def aclose(self) -> None:
        await self._batches.aclose()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def chat_stream(
    pool: StreamPool,
    model: str,
    messages: Sequence[Mapping[str, Any]],
    options: Mapping[str, Any] | None = None,
    keep_alive: float | str | None = None,
) -> ChatStream:
    return ChatStream(_batches(pool, model, messages, options, keep_alive))
