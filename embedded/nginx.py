"""Debian's nginx, as a normal user, in front of hadra processes, with the deployment's own server
block (docker/nginx/hadra.conf): what docker-compose.yml's proxy runs, exercised for real by the
tests (tests/deploy, tests/e2e) and the proxy benchmark (bench/proxy_failover.py).

Two things differ from the compose file, both outside that server block: the upstream (here the
given local ports, there the `web` replicas through Docker's DNS: docker/nginx/upstream.conf) and
the listen address (a free loopback port instead of port 80). Everything nginx writes (pid, logs,
temporary files) stays under ``workdir``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from embedded.process import free_port

ROOT = Path(__file__).resolve().parents[1]
SERVER_BLOCK = ROOT / "docker" / "nginx" / "hadra.conf"
LISTEN = "listen 80 default_server;"
# Which hadra process answered, on every response (101 included): the tests stop that one. Set at
# the http level, so it holds as long as hadra.conf sets no add_header of its own.
UPSTREAM_HEADER = "X-Hadra-Upstream"


def _main_config(workdir: Path) -> str:
    temp = {name: workdir / "temp" / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(parents=True, exist_ok=True)
    return f"""daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log notice;
events {{ worker_connections 4096; }}
http {{
    access_log {workdir}/access.log;
    client_body_temp_path {temp["client_body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    add_header {UPSTREAM_HEADER} $upstream_addr always;
    # In this order, as the official image's `include /etc/nginx/conf.d/*.conf` reads them.
    include {workdir}/hadra.conf;
    include {workdir}/upstream.conf;
}}
"""


@dataclass
class Nginx:
    """nginx on a free loopback port, proxying to ``backends`` (``host:port``) as the upstream ``hadra``."""

    backends: list[str]
    workdir: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/chat/"

    def start(self, timeout: float = 30) -> Nginx:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(binary).exists():
            raise RuntimeError("nginx is not installed: sudo apt-get install -y nginx (scripts/system-deps.sh)")
        self.workdir.mkdir(parents=True, exist_ok=True)
        servers = "".join(f"    server {backend};\n" for backend in self.backends)
        (self.workdir / "upstream.conf").write_text(f"upstream hadra {{\n{servers}    keepalive 16;\n}}\n")
        server_block = SERVER_BLOCK.read_text()
        if server_block.count(LISTEN) != 1:
            raise RuntimeError(f"{SERVER_BLOCK} no longer says {LISTEN!r} once: update embedded/nginx.py")
        (self.workdir / "hadra.conf").write_text(server_block.replace(LISTEN, f"listen 127.0.0.1:{self.port};"))
        config = self.workdir / "nginx.conf"
        config.write_text(_main_config(self.workdir))
        log = self.workdir / "error.log"
        argv = [binary, "-p", str(self.workdir), "-e", str(log), "-c", str(config)]
        check = subprocess.run([*argv, "-t"], capture_output=True, text=True, check=False)
        if check.returncode != 0:
            raise RuntimeError(f"nginx refused its configuration:\n{check.stderr}")
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited ({self.proc.returncode}); see {log}")
            try:
                httpx.get(f"{self.url}/healthz", timeout=2)  # any answer: nginx is up
                return self
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"nginx did not answer in {timeout:.0f} s; see {log}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
