"""Process-group supervision shared by every embedded service.

Why process groups: Ollama forks runners and SecantusDB may fork helpers; killing only the
PID we started would leave them behind. Each service gets ``start_new_session=True`` so that
``os.killpg`` stops everything it spawned.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

VAR_DIR = Path(os.environ.get("HADRA_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))


class ServiceError(RuntimeError):
    """A service failed to start; the message says which log to read."""


@dataclass
class Service:
    """How to launch one service and how to tell that it is ready to serve."""

    name: str
    argv: list[str]
    ready: Callable[[], bool]
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    start_timeout: float = 60.0


def free_port() -> int:
    """A loopback port nothing listens on right now (tests start services on these)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(host: str, port: int, timeout: float = 0.3) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _pid_file(name: str, var: Path) -> Path:
    return var / "run" / f"{name}.pid"


def log_file(name: str, var: Path = VAR_DIR) -> Path:
    return var / "log" / f"{name}.log"


def running_pid(name: str, var: Path = VAR_DIR) -> int | None:
    """The PID recorded for ``name`` if that process is still alive."""
    path = _pid_file(name, var)
    try:
        pid = int(path.read_text().strip())
        os.kill(pid, 0)
    except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
        return None
    return pid


def start(service: Service, var: Path = VAR_DIR) -> int:
    """Start ``service`` unless it already runs and answers; wait until it is ready.

    Returns the PID of the group leader. On failure the group is stopped and the error names
    the log file, so the user sees where to look instead of a bare timeout.
    """
    pid = running_pid(service.name, var)
    if pid is not None and service.ready():
        return pid
    if pid is not None:
        stop(service.name, var)
    log = log_file(service.name, var)
    log.parent.mkdir(parents=True, exist_ok=True)
    _pid_file(service.name, var).parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            service.argv,
            cwd=service.cwd,
            env={**os.environ, **service.env},
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _pid_file(service.name, var).write_text(str(proc.pid))
    deadline = time.monotonic() + service.start_timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            _forget(service.name, var)
            raise ServiceError(f"{service.name} exited with code {proc.returncode}; see {log}")
        if service.ready():
            return proc.pid
        time.sleep(0.1)
    stop(service.name, var)
    raise ServiceError(f"{service.name} did not become ready in {service.start_timeout:.0f}s; see {log}")


def stop(name: str, var: Path = VAR_DIR, timeout: float = 10.0) -> bool:
    """Stop the whole process group of ``name``: SIGTERM, then SIGKILL after ``timeout``."""
    pid = running_pid(name, var)
    if pid is None:
        _forget(name, var)
        return False
    _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _group_alive(pid):
        _reap(pid)
        time.sleep(0.05)
    if _group_alive(pid):
        _signal_group(pid, signal.SIGKILL)
        _reap(pid)
    _forget(name, var)
    return True


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass


def _group_alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _reap(pid: int) -> None:
    """Collect the leader if it is our child, so it does not linger as a zombie."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def _forget(name: str, var: Path) -> None:
    _pid_file(name, var).unlink(missing_ok=True)
