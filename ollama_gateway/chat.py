"""Chat: Ollama's NDJSON answer lines as typed chunks, and whole answers.

Why not the ``ollama`` library's chat response objects: it builds a pydantic ``ChatResponse`` per
token, which was most of the gateway's cost per token (``bench/chunk_parsing.py`` measures it).
Lines are parsed here with orjson into plain :class:`ChatChunk` s: for a whole answer over the
library's own httpx client (its pool, base URL, headers and timeouts), for streamed answers in
ollama_gateway/streaming.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import ollama
import orjson

from ollama_gateway.errors import OllamaRequestFailed, translated


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


def parse_part(line: bytes, host: str) -> dict[str, Any]:
    """One NDJSON line (or a whole answer's body) as Ollama's JSON object."""
    try:
        part = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise OllamaRequestFailed(f"Ollama at {host} sent something that is not JSON: {line[:200]!r}", host) from exc
    if not isinstance(part, dict):
        raise OllamaRequestFailed(f"Ollama at {host} sent JSON that is not an object: {line[:200]!r}", host)
    if error := part.get("error"):
        # The library's own error for an error line (status -1), so `translated` words it as ever.
        raise ollama.ResponseError(str(error))
    return part


def chunk_of(part: Mapping[str, Any]) -> ChatChunk:
    """A :class:`ChatChunk` from one of Ollama's chat objects (``message.content``, ``done``, the stats)."""
    message = part.get("message") or {}
    content = message.get("content") or ""
    if not part.get("done"):
        return ChatChunk(content=content, done=False)
    return ChatChunk(
        content=content,
        done=True,
        done_reason=part.get("done_reason"),
        stats=ChatStats(
            eval_count=part.get("eval_count"),
            eval_duration=part.get("eval_duration"),
            prompt_eval_count=part.get("prompt_eval_count"),
            prompt_eval_duration=part.get("prompt_eval_duration"),
            load_duration=part.get("load_duration"),
            total_duration=part.get("total_duration"),
        ),
    )


class NDJSONLines:
    """Splits the blocks of a streamed body into complete lines; a line may span blocks."""

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, block: bytes) -> list[bytes]:
        *lines, self._pending = (self._pending + block).split(b"\n")
        return [line for line in lines if line.strip()]

    def rest(self) -> list[bytes]:
        """What is left when the body ends: a last line without its line feed, if any."""
        rest, self._pending = self._pending, b""
        return [rest] if rest.strip() else []


def _http(client: ollama.AsyncClient) -> httpx.AsyncClient:
    """The ``ollama`` client's httpx client: one pool, its base URL, headers and timeouts (ollama 0.6)."""
    return client._client


def request_body(
    model: str,
    messages: Sequence[Mapping[str, Any]],
    *,
    stream: bool,
    format: Mapping[str, Any] | None = None,
    options: Mapping[str, Any] | None = None,
    keep_alive: float | str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"model": model, "messages": [dict(m) for m in messages], "stream": stream}
    optional = {"format": format, "options": options, "keep_alive": keep_alive}
    body.update((key, dict(value) if isinstance(value, Mapping) else value) for key, value in optional.items())
    return {key: value for key, value in body.items() if value is not None}


async def _raise_for_status(response: httpx.Response) -> None:
    if not response.is_success:
        await response.aread()  # Ollama's reason is in the body
        response.raise_for_status()


async def chat_whole(
    client: ollama.AsyncClient,
    host: str,
    model: str,
    messages: Sequence[Mapping[str, Any]],
    format: Mapping[str, Any] | None,
    options: Mapping[str, Any] | None,
    keep_alive: float | str | None,
) -> ChatChunk:
    body = request_body(model, messages, stream=False, format=format, options=options, keep_alive=keep_alive)
    with translated(host, model):
        response = await _http(client).post("/api/chat", json=body)
        await _raise_for_status(response)
        return chunk_of(parse_part(response.content, host))
