"""The gateway for code that has no event loop: the dev-services launcher and command-line tools.

Why a facade and not a second client: uploading a blob and creating a model (both API forms) must
behave the same wherever they are called from, so :class:`SyncOllamaGateway` runs the
:class:`OllamaGateway` itself on a private event loop, with the same typed errors. It cannot be used
from inside a running loop (call the async gateway there).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

from ollama_gateway.gateway import OllamaGateway, base_url


def answers(host: str, timeout: float = 1.0) -> bool:
    """Whether an Ollama server answers at ``host`` right now: a readiness probe cheap enough to poll."""
    try:
        return httpx.get(f"{base_url(host)}/api/version", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


class SyncOllamaGateway:
    """Blocking calls to one Ollama server; close it (or use ``with``) to release its connections."""

    def __init__(self, host: str, *, read_timeout: float = 300.0, connect_timeout: float = 5.0) -> None:
        self._runner = asyncio.Runner()
        self._gateway = OllamaGateway(host, read_timeout=read_timeout, connect_timeout=connect_timeout)
        self.host = self._gateway.host

    def __enter__(self) -> SyncOllamaGateway:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self._runner.run(self._gateway.aclose())
        finally:
            self._runner.close()

    def has_model(self, name: str) -> bool:
        return self._runner.run(self._gateway.has_model(name))

    def has_blob(self, digest: str) -> bool:
        return self._runner.run(self._gateway.has_blob(digest))

    def push_blob(self, path: Path | str) -> str:
        return self._runner.run(self._gateway.push_blob(path))

    def create_model(
        self,
        name: str,
        base: str,
        adapters: Sequence[str] = (),
        template: str | None = None,
        parameters: Mapping[str, Any] | None = None,
        system: str | None = None,
    ) -> None:
        self._runner.run(self._gateway.create_model(name, base, adapters, template, parameters, system))
