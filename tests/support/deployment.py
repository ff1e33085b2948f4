"""What docker-compose.yml runs, on this machine: hadra processes (daphne --proxy-headers, the
Procfile's command) on one Redis behind Debian's nginx with docker/nginx/hadra.conf."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from embedded.nginx import Nginx
from tests.support.servers import LiveServer

# Rate limits and model queues of these processes in a Redis database of their own: the proxy tests
# count login attempts from 127.0.0.1, which the session's other servers must not share.
REDIS_DB = 7


@dataclass
class Deployment:
    proxy: Nginx
    servers: list[LiveServer]

    @classmethod
    def of(cls, env: dict[str, str], redis_url: str, run: Path, processes: int = 2) -> Deployment:
        """``processes`` hadra processes with ``env`` on ``redis_url`` (its database REDIS_DB), behind
        nginx; their logs and nginx's files under ``run``. Nothing started yet."""
        env = {**env, "REDIS_URL": f"{redis_url.rsplit('/', 1)[0]}/{REDIS_DB}"}
        servers = [
            LiveServer(env=env, log_path=run / f"daphne-{i}.log", options=("--proxy-headers",))
            for i in range(processes)
        ]
        return cls(Nginx([f"127.0.0.1:{s.port}" for s in servers], run), servers)

    def start(self) -> Deployment:
        """The hadra processes at once, then nginx; blocks the calling thread."""
        with ThreadPoolExecutor(len(self.servers)) as pool:
            list(pool.map(LiveServer.start, self.servers))
        self.proxy.start()
        return self

    def stop(self) -> None:
        self.proxy.stop()
        for server in self.servers:
            server.stop()

    def server_at(self, upstream: str) -> LiveServer:
        """The process nginx named last in its upstream header (``127.0.0.1:port``, after any it
        tried first that refused)."""
        address = upstream.split(", ")[-1]
        return next(s for s in self.servers if address == f"127.0.0.1:{s.port}")
