"""A throwaway Redis (Debian's redis-server) for the multi-process channel layer and tests."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

from embedded.process import VAR_DIR, Service, ServiceError

NAME = "redis"
DEFAULT_PORT = 6390


def url(port: int) -> str:
    return f"redis://127.0.0.1:{port}/0"


def _pongs(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def service(port: int = DEFAULT_PORT, var: Path = VAR_DIR) -> Service:
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServiceError("redis-server is not installed; run: apt-get install -y redis-server")
    return Service(
        name=NAME,
        argv=[
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
        ],
        ready=lambda: _pongs(port),
        start_timeout=20,
    )
