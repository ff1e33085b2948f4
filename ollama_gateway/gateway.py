"""``OllamaGateway``: the one object the app uses to talk to an Ollama server.

Built on the official ``ollama`` AsyncClient where it fits (chat, show, list, create, delete) and on
httpx for what it lacks (the version, blobs, the legacy create form of older servers).
Create one per event loop and close it with ``aclose()`` (or ``async with``): its HTTP connections
belong to the loop that opened them.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import anyio
import httpx
import ollama

from ollama_gateway.chat import ChatChunk, chat_whole
from ollama_gateway.errors import ModelNotFound, OllamaRequestFailed, translated
from ollama_gateway.modelfile import is_digest, legacy_modelfile, require_digest
from ollama_gateway.streaming import ChatStream, StreamPool, chat_stream

# Ollama's answer to the new create form on servers that only know the Modelfile form.
_LEGACY_CREATE_ERROR = "path or modelfile are required"


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """A model Ollama has registered, as ``/api/tags`` lists it (``name`` includes the tag)."""

    name: str
    digest: str | None
    size: int | None
    modified_at: datetime | None
    family: str | None
    parameter_size: str | None
    quantization_level: str | None


def base_url(host: str) -> str:
    """``OLLAMA_HOST`` may omit the scheme (``127.0.0.1:11434``), as Ollama's own CLI allows."""
    host = host.rstrip("/")
    return host if "://" in host else f"http://{host}"


async def _file_chunks(path: Path, size: int = 1 << 20) -> AsyncIterator[bytes]:
    async with await anyio.open_file(path, "rb") as file:
        while block := await file.read(size):
            yield block


def _file_digest(path: Path) -> str:
    with path.open("rb") as file:
        return "sha256:" + hashlib.file_digest(file, "sha256").hexdigest()


# Connections beyond the answers streaming at once, for the short calls beside them (list, show,
# version, a whole answer for a title or a translation).
POOL_HEADROOM = 4


def pool_limits(max_streams: int) -> httpx.Limits:
    """The HTTP pool for ``max_streams`` answers at once: no more connections than the host is let
    run (admission control queues the rest, visibly), all kept alive between answers. Without it
    httpx's 100 connections let answer 101 wait in the pool, silently, until the read timeout."""
    size = max_streams + POOL_HEADROOM
    return httpx.Limits(max_connections=size, max_keepalive_connections=size)


class OllamaGateway:
    """One Ollama server. ``read_timeout`` is the longest silence accepted (a first token may wait
    for a model load); ``connect_timeout`` how long a connection may take; ``max_streams`` how
    many answers it streams at once (the HTTP pool is sized to it; None: httpx's default pool)."""

    def __init__(
        self,
        host: str,
        *,
        read_timeout: float = 300.0,
        connect_timeout: float = 5.0,
        max_streams: int | None = None,
    ) -> None:
        self.host = base_url(host)
        timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        pool: dict[str, Any] = {} if max_streams is None else {"limits": pool_limits(max_streams)}
        self._ollama = ollama.AsyncClient(self.host, timeout=timeout, **pool)
        self._http = httpx.AsyncClient(base_url=self.host, timeout=timeout, **pool)
        self._streams = StreamPool(
            self.host, read_timeout=read_timeout, connect_timeout=connect_timeout, max_streams=max_streams
        )
        self._legacy_create: bool | None = None  # learnt from the server's first create answer

    async def __aenter__(self) -> OllamaGateway:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await asyncio.gather(self._ollama.close(), self._http.aclose(), self._streams.aclose())

    async def version(self) -> str:
        """The server's version string, e.g. ``0.5.4-ipexllm-20250407``."""
        with translated(self.host):
            response = await self._http.get("/api/version")
            response.raise_for_status()
            return str(response.json()["version"])

    async def list_models(self) -> list[ModelInfo]:
        with translated(self.host):
            listed = await self._ollama.list()
        return [
            ModelInfo(
                name=m.model or "",
                digest=m.digest,
                size=int(m.size) if m.size is not None else None,
                modified_at=m.modified_at,
                family=m.details.family if m.details else None,
                parameter_size=m.details.parameter_size if m.details else None,
                quantization_level=m.details.quantization_level if m.details else None,
            )
            for m in listed.models
        ]

    async def has_model(self, name: str) -> bool:
        """Whether the server has ``name`` registered (``name`` without a tag means ``:latest``)."""
        try:
            with translated(self.host, name):
                await self._ollama.show(name)
        except ModelNotFound:
            return False
        return True

    async def chat(
        self,
        model: str,
        messages: Sequence[Mapping[str, Any]],
        *,
        format: Mapping[str, Any] | None = None,
        options: Mapping[str, Any] | None = None,
        keep_alive: float | str | None = None,
    ) -> ChatChunk:
        """The whole answer to ``messages`` as one ``done`` :class:`ChatChunk` with its stats.

        ``format`` is a JSON schema the answer must follow (Ollama's structured outputs):
        what batch jobs such as ``translation`` need to parse small models' answers at all.
        """
        return await chat_whole(self._ollama, self.host, model, messages, format, options, keep_alive)

    def chat_stream(
        self,
        model: str,
        messages: Sequence[Mapping[str, Any]],
        options: Mapping[str, Any] | None = None,
        keep_alive: float | str | None = None,
    ) -> ChatStream:
        """Stream the answer to ``messages`` (``{"role", "content"}`` dicts) as :class:`ChatChunk` s.

        Nothing is sent until the first chunk is awaited. Errors arrive from the iteration as
        :class:`OllamaError` subclasses; chunks already received stay valid (keep partial text).
        """
        return chat_stream(self._streams, model, messages, options, keep_alive)

    async def model_info(self, name: str) -> dict[str, Any]:
        """What the server reports of ``name``'s weights (``general.architecture``,
        ``<arch>.embedding_length``, ...); :class:`ModelNotFound` if it is not there."""
        with translated(self.host, name):
            shown = await self._ollama.show(name)
        return dict(shown.modelinfo or {})

    async def warm_up(self, name: str, keep_alive: float | str) -> None:
        """Load ``name`` now and keep it loaded for ``keep_alive``: an empty generate, which Ollama
        answers as soon as the model is in memory. So the first user of a model just activated does
        not wait for its cold load; :class:`ModelNotFound` when the server does not have it."""
        with translated(self.host, name):
            await self._ollama.generate(name, prompt="", keep_alive=keep_alive)

    async def has_blob(self, digest: str) -> bool:
        """Whether the server holds the blob ``sha256:<hex>`` (so a large file need not be built or sent)."""
        with translated(self.host):
            response = await self._http.head(f"/api/blobs/{require_digest(digest, 'blob')}")
        return response.status_code == 200

    async def push_blob(self, path: Path | str) -> str:
        """Upload a file (a GGUF model or adapter) unless the server has it; return ``sha256:<hex>``."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"cannot upload {path}: no such file")
        digest = await asyncio.to_thread(_file_digest, path)
        if await self.has_blob(digest):
            return digest
        with translated(self.host):
            response = await self._http.post(f"/api/blobs/{digest}", content=_file_chunks(path))
            response.raise_for_status()
        return digest

    async def create_model(
        self,
        name: str,
        base: str,
        adapters: Sequence[str] = (),
        template: str | None = None,
        parameters: Mapping[str, Any] | None = None,
        system: str | None = None,
    ) -> None:
        """Register ``name`` from ``base`` (a model name or a GGUF blob digest) plus adapter digests.

        Uses the current create API and falls back, once and for good, to the legacy Modelfile
        form when the server says it needs one (Ollama 0.5.4, e.g. Intel's IPEX-LLM builds).
        """
        for digest in adapters:
            require_digest(digest, "adapter")
        if not self._legacy_create:
            try:
                await self._create_current(name, base, adapters, template, parameters, system)
                self._legacy_create = False
                return
            except OllamaRequestFailed as exc:
                if exc.status != 400 or _LEGACY_CREATE_ERROR not in str(exc).lower():
                    raise
                self._legacy_create = True
        modelfile = legacy_modelfile(base, adapters, template, parameters, system)
        with translated(self.host, name):
            response = await self._http.post(
                "/api/create", json={"model": name, "modelfile": modelfile, "stream": False}
            )
            response.raise_for_status()

    async def _create_current(
        self,
        name: str,
        base: str,
        adapters: Sequence[str],
        template: str | None,
        parameters: Mapping[str, Any] | None,
        system: str | None,
    ) -> None:
        with translated(self.host, name):
            await self._ollama.create(
                name,
                from_=None if is_digest(base) else base,
                files={"model.gguf": base} if is_digest(base) else None,
                adapters={f"adapter-{i}.gguf": d for i, d in enumerate(adapters)} or None,
                template=template,
                system=system,
                parameters=parameters,
            )

    async def delete_model(self, name: str) -> None:
        """Remove ``name`` from the server; :class:`ModelNotFound` if it is not there."""
        with translated(self.host, name):
            await self._ollama.delete(name)
