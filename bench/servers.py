"""Which hadra a benchmark step runs: the ASGI server and the checkout its code comes from.

- ``daphne``: as hadra ships it (``python -m asgi_app``, the command the launcher and the Procfile
  run); ``uvicorn``: the same ASGI app (``asgi_app.asgi:application``) under
  uvicorn with its ``websockets`` implementation on the asyncio loop, the same keepalive pings as
  daphne's defaults (every 20 s, closed after 30 s without an answer), no lifespan (Django has none).
- the root: this checkout, or another one (e.g. ``git worktree add /tmp/hadra-before <commit>``)
  whose code is run with this checkout's ``.venv`` (its directory first on the module path), so
  "before" and "after" figures come from the same run on the same machine. Its commit is recorded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import BENCH_VAR, ROOT, Server, answering
from embedded import process

SERVERS = ("daphne", "uvicorn")


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout.strip()


@dataclass(frozen=True)
class Variant:
    """One server on one checkout."""

    server: str
    root: Path
    commit: str
    dirty: bool  # tracked files changed since the commit (a checkout others are working in)

    @classmethod
    def of(cls, server: str, root: Path) -> Variant:
        if server not in SERVERS:
            raise ValueError(f"unknown server {server!r}: one of {', '.join(SERVERS)}")
        root = root.resolve()
        if not (root / "asgi_app" / "asgi.py").is_file():
            raise ValueError(f"{root} is not a hadra checkout (no asgi_app/asgi.py)")
        dirty = bool(_git(root, "status", "--porcelain", "--untracked-files=no"))
        return cls(server, root, _git(root, "rev-parse", "HEAD"), dirty)

    @property
    def label(self) -> str:
        """For tables and the plot's legend: the server, and the commit when it is another checkout."""
        if self.root == ROOT:
            return self.server
        return f"{self.server} @ {self.commit[:8]}{'+' if self.dirty else ''}"

    def describe(self) -> dict[str, Any]:
        return {"server": self.server, "root": str(self.root), "commit": self.commit, "dirty": self.dirty}


def _argv(variant: Variant, port: int) -> list[str]:
    app = "asgi_app.asgi:application"
    if variant.server == "uvicorn":
        return [
            *(sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)),
            *("--ws", "websockets", "--loop", "asyncio", "--lifespan", "off"),
            *("--ws-ping-interval", "20", "--ws-ping-timeout", "30"),
        ]
    # An older checkout may predate hadra's own daphne entry point.
    module = "asgi_app" if (variant.root / "asgi_app" / "__main__.py").is_file() else "daphne"
    return [sys.executable, "-m", module, "-b", "127.0.0.1", "-p", str(port), app]


@contextmanager
def serve(variant: Variant, env: dict[str, str], timeout: float = 60) -> Iterator[Server]:
    """hadra as ``variant`` says on a free port, its log in var/bench/log/<server>.log; stopped at the end."""
    port = process.free_port()
    log = BENCH_VAR / "log" / f"{variant.server}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    path = [str(variant.root), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, **env, "PYTHONPATH": os.pathsep.join(path)}
    with log.open("ab") as out:
        proc = subprocess.Popen(
            _argv(variant, port),
            env=env,
            cwd=variant.root,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    with answering(proc, port, timeout, log) as server:
        yield server
