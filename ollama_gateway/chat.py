"""Chat: Ollama's NDJSON answer as typed chunks, a stream that closes its HTTP response, and whole answers.

Why a wrapper around the ``ollama`` library's iterator: closing or cancelling it must close the HTTP
response, because Ollama only stops generating when the client disconnects; and a stream that ends
without a ``done`` chunk is an error the user must see, not a short answer.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

import ollama

from ollama_gateway.errors import StreamEndedEarly, translated


@dataclass(frozen=True, slots=True)
class ChatStats:
    """Ollama's figures for one answer, as it reports them (durations in nanoseconds)."""

    eval_count: int | None
    eval_duration: int | None
    prompt_eval_count: int | None
    prompt_eval_duration: int | None
    load_duration: int | None
    total_duration: int | None

    @property
    def tokens_per_s(self) -> float | None:
        """Generation speed, the figure users compare; None when Ollama did not report it."""
        if not self.eval_count or not self.eval_duration:
            return None
        return self.eval_count / (self.eval_duration / 1e9)


@dataclass(frozen=True, slots=True)
class ChatChunk:
    """One piece of an answer. The last one has ``done=True`` and carries ``stats``."""

    content: str
    done: bool
    done_reason: str | None = None
    stats: ChatStats | None = None


def _chunk(response: ollama.ChatResponse) -> ChatChunk:
    if not response.done:
        return ChatChunk(content=response.message.content or "", done=False)
    return ChatChunk(
        content=response.message.content or "",
        done=True,
        done_reason=response.done_reason,
        stats=ChatStats(
            eval_count=response.eval_count,
            eval_duration=response.eval_duration,
            prompt_eval_count=response.prompt_eval_count,
            prompt_eval_duration=response.prompt_eval_duration,
            load_duration=response.load_duration,
            total_duration=response.total_duration,
        ),
    )


async def _chunks(
    client: ollama.AsyncClient,
    host: str,
    model: str,
    messages: Sequence[Mapping[str, Any]],
    options: Mapping[str, Any] | None,
    keep_alive: float | str | None,
) -> AsyncGenerator[ChatChunk, None]:
    with translated(host, model):
        responses: AsyncIterator[ollama.ChatResponse] = await client.chat(
            model, messages, stream=True, options=options, keep_alive=keep_alive
        )
        try:
            async for response in responses:
                chunk = _chunk(response)
                yield chunk
                if chunk.done:
                    return
        finally:
            # Closes the HTTP response (and so the connection) also when our consumer stops early.
            await responses.aclose()  # type: ignore[attr-defined]
    raise StreamEndedEarly(f"Ollama at {host} closed the answer stream before it was done", host)


class ChatStream(AbstractAsyncContextManager["ChatStream"]):
    """An async iterator of :class:`ChatChunk`; ``aclose()`` or leaving ``async with`` stops Ollama.

    Cancelling the task that iterates also closes the connection (the cancellation unwinds the
    HTTP response). Use it as ``async with gateway.chat_stream(...) as stream: async for chunk in stream``.
    """

    def __init__(self, chunks: AsyncGenerator[ChatChunk, None]) -> None:
        self._chunks = chunks

    def __aiter__(self) -> ChatStream:
        return self

    async def __anext__(self) -> ChatChunk:
        return await self._chunks.__anext__()

    async def aclose(self) -> None:
        await self._chunks.aclose()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


async def chat_whole(
    client: ollama.AsyncClient,
    host: str,
    model: str,
    messages: Sequence[Mapping[str, Any]],
    format: Mapping[str, Any] | None,
    options: Mapping[str, Any] | None,
    keep_alive: float | str | None,
) -> ChatChunk:
    with translated(host, model):
        response = await client.chat(
            model,
            messages,
            stream=False,
            format=dict(format) if format is not None else None,
            options=options,
            keep_alive=keep_alive,
        )
    return _chunk(response)


def chat_stream(
    client: ollama.AsyncClient,
    host: str,
    model: str,
    messages: Sequence[Mapping[str, Any]],
    options: Mapping[str, Any] | None = None,
    keep_alive: float | str | None = None,
) -> ChatStream:
    return ChatStream(_chunks(client, host, model, messages, options, keep_alive))
