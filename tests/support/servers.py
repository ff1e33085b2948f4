"""Start hadra itself (daphne, as users run it) on a free port for a test, and stop it after.

From async code use the ``astart`` methods: waiting for daphne takes seconds, and the plain
``start`` would hold the test's event loop (its other sockets, the answers it streams) meanwhile.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from embedded import launcher
from embedded.process import free_port

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class LiveServer:
    """A daphne process serving ``asgi_app`` with the given environment."""

    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None
    options: tuple[str, ...] = ()  # daphne's, e.g. ("--proxy-headers",) behind a proxy

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/chat/"

    def start(self, timeout: float = 30) -> LiveServer:
        """Start daphne (as ``make run`` does) and wait until it answers ``/healthz``; blocks the calling thread."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.proc = launcher.serve(
                "127.0.0.1",
                self.port,
                self.env,
                self.options,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            launcher.wait_until_answering(self.proc, self.url, timeout, self.log_path)
        except RuntimeError:
            self.stop()
            raise
        return self

    async def astart(self, timeout: float = 30) -> LiveServer:
        """:meth:`start` in a worker thread, so the event loop runs on while daphne starts."""
        return await asyncio.to_thread(self.start, timeout)

    def kill(self) -> None:
        """SIGKILL the whole group: a crash, as far as the app can tell."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc:
            launcher.stop_group(self.proc)


@dataclass
class ServerStarter:
    """Starts hadra servers on a base environment plus each call's own; :meth:`stop_all` stops them."""

    env: dict[str, str]
    log_dir: Path
    servers: list[LiveServer] = field(default_factory=list)

    def __call__(self, **env: str) -> LiveServer:
        """Start one from sync code (a fixture, a sync test); from async code use :meth:`astart`."""
        return self._new(env).start()

    async def astart(self, **env: str) -> LiveServer:
        return await self._new(env).astart()

    def _new(self, env: dict[str, str]) -> LiveServer:
        server = LiveServer(env={**self.env, **env}, log_path=self.log_dir / f"daphne-{uuid.uuid4().hex[:8]}.log")
        self.servers.append(server)
        return server

    def stop_all(self) -> None:
        for server in self.servers:
            server.stop()
