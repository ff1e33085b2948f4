"""Start hadra itself (daphne, as users run it) on a free port for a test, and stop it after.

From async code use the ``astart`` methods: waiting for daphne takes seconds, and the plain
``start`` would hold the test's event loop (its other sockets, the answers it streams) meanwhile.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from embedded.process import free_port

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class LiveServer:
    """A daphne process serving ``asgi_app`` with the given environment."""

    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/chat/"

    def start(self, timeout: float = 30) -> LiveServer:
        """Start daphne and wait until it answers ``/healthz``; blocks the calling thread."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "asgi_app",
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "asgi_app.asgi:application",
                ],
                cwd=ROOT,
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"daphne exited ({self.proc.returncode}); see {self.log_path}")
            try:
                httpx.get(f"{self.url}/healthz", timeout=2)
                return self
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"daphne did not answer in {timeout}s; see {self.log_path}")

    async def astart(self, timeout: float = 30) -> LiveServer:
        """:meth:`start` in a worker thread, so the event loop runs on while daphne starts."""
        return await asyncio.to_thread(self.start, timeout)

    def kill(self) -> None:
        """SIGKILL the whole group: a crash, as far as the app can tell."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


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
