"""``make run``: start what is not configured, serve hadra with daphne, stop it all on Ctrl-C.

Rules: an explicit ``MONGODB_URI`` is used as is. An explicit ``OLLAMA_HOST`` is used as is when it
answers or names another machine; on a loopback port where nothing answers, the CPU Ollama is
started on that port. Otherwise the embedded MongoDB-protocol server keeps its data in ``var/mongo``,
and the CPU Ollama is started only when nothing already answers on the default Ollama port
(a user's own Ollama is preferred). Services this run started are stopped when it ends.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from rich.console import Console

from embedded import mongo, ollama, process
from embedded.process import VAR_DIR
from ollama_gateway import shown
from ollama_gateway.sync import answers as ollama_answers

console = Console(stderr=True)


def _secret_key(var: Path) -> str:
    """A per-install key kept in ``var/`` with mode 0600, never in the repository."""
    path = var / "secret_key"
    if not path.exists():
        var.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def _database(var: Path, env: dict[str, str], started: list[str]) -> None:
    """The embedded MongoDB-protocol server unless MONGODB_URI names one."""
    if not os.environ.get("MONGODB_URI"):
        t0 = time.perf_counter()
        port = mongo.configured_port()
        if process.running_pid(mongo.NAME, var) is None:
            started.append(mongo.NAME)
        process.start(mongo.service(port, var), var)
        env["MONGODB_URI"] = mongo.uri(port)
        console.print(
            f"[green]✓[/] MongoDB-protocol server (SecantusDB) on :{port}, data in "
            f"{var / 'mongo'} ({time.perf_counter() - t0:.1f}s)"
        )
    else:
        console.print("[green]✓[/] MongoDB: using MONGODB_URI")


def prepare(started: list[str], var: Path = VAR_DIR) -> dict[str, str]:
    """Start the embedded services that are needed, noting each in ``started`` as it starts (so an
    interrupt half-way still stops it); return the server's environment."""
    env: dict[str, str] = {"SECRET_KEY": os.environ.get("SECRET_KEY") or _secret_key(var)}
    _database(var, env, started)
    if os.environ.get("REDIS_URL"):
        console.print("[green]✓[/] channel layer: Redis at REDIS_URL")
    else:
        console.print("[green]✓[/] channel layer: in-memory (one process; set REDIS_URL for several)")
    _ollama(var, env, started)
    return env


def loopback_port(ollama_host: str) -> int | None:
    """The port of an ``OLLAMA_HOST`` on this machine's loopback (where the CPU Ollama can be started
    for it); None for any other host, which is used as is."""
    parts = urlsplit(ollama_host if "://" in ollama_host else f"http://{ollama_host}")
    if parts.hostname in ("127.0.0.1", "localhost", "::1"):
        return parts.port or ollama.DEFAULT_PORT
    return None


def _ollama(var: Path, env: dict[str, str], started: list[str]) -> None:
    """An explicit OLLAMA_HOST is used when it answers or is another machine; on a silent loopback
    port the CPU Ollama is started there. Without one, a server already on the default port is used.
    A fleet (OLLAMA_HOSTS) is the operator's own: used as is, nothing started."""
    fleet = os.environ.get("OLLAMA_HOSTS")
    if fleet:
        console.print(f"[green]✓[/] Ollama: using OLLAMA_HOSTS={','.join(shown(h.strip()) for h in fleet.split(','))}")
        return
    explicit = os.environ.get("OLLAMA_HOST")
    port = loopback_port(explicit) if explicit else ollama.DEFAULT_PORT
    if port is None or (explicit and ollama_answers(explicit)):
        console.print(f"[green]✓[/] Ollama: using OLLAMA_HOST={explicit}")
        return
    host = ollama.host(port)
    if not explicit and process.running_pid(ollama.NAME, var) is None and ollama_answers(host):
        console.print(f"[green]✓[/] Ollama: using the server already answering at {host}")
        return
    t0 = time.perf_counter()
    why = f"nothing answers at OLLAMA_HOST={explicit}: " if explicit else ""
    console.print(f"  {why}starting the local CPU Ollama (first time: a minute to prepare it)…")
    if process.running_pid(ollama.NAME, var) is None:
        started.append(ollama.NAME)
    process.start(ollama.service(port, var), var)
    model = os.environ.get("DEFAULT_MODEL") or ollama.ensure_model(host, var=var)
    env["DEFAULT_MODEL"] = model
    console.print(f"[green]✓[/] Ollama (CPU) on :{port} with model {model} ({time.perf_counter() - t0:.1f}s)")


def manage(args: list[str], var: Path = VAR_DIR) -> int:
    """A Django management command (e.g. create_staff_user) against the same database as ``make run``."""
    env: dict[str, str] = {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _secret_key(var),
        "DJANGO_SETTINGS_MODULE": "asgi_app.settings",
    }
    started: list[str] = []
    try:
        _database(var, env, started)
        return subprocess.call([sys.executable, "-m", "django", *args], env={**os.environ, **env})
    finally:
        for name in started:
            process.stop(name, var)


def serve(
    host: str, port: int | str, env: Mapping[str, str], options: Sequence[str] = (), **popen: Any
) -> subprocess.Popen[bytes]:
    """Daphne serving hadra (``python -m asgi_app``) on ``host:port``, with ``env`` over this
    process's environment and daphne's ``options`` (``--proxy-headers`` behind a proxy, as the
    Procfile runs it); ``popen`` goes to :class:`subprocess.Popen` (where its output goes)."""
    argv = [sys.executable, "-m", "asgi_app", *options, "-b", host, "-p", str(port), "asgi_app.asgi:application"]
    return subprocess.Popen(argv, env={**os.environ, **env}, **popen)


def wait_until_answering(daphne: subprocess.Popen[bytes], url: str, timeout: float, log: Path | str) -> None:
    """Until ``url`` answers ``/healthz`` at all (even 503: the server is up, a part may not be);
    raises with where the log is if daphne exits or stays silent for ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if daphne.poll() is not None:
            raise RuntimeError(f"hadra exited ({daphne.returncode}); see {log}")
        try:
            httpx.get(f"{url}/healthz", timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"hadra did not answer in {timeout:.0f} s; see {log}")


def stop_group(daphne: subprocess.Popen[bytes], grace_s: float = 10) -> None:
    """SIGTERM daphne's process group (started with ``start_new_session``), SIGKILL after ``grace_s``."""
    if daphne.poll() is not None:
        return
    os.killpg(daphne.pid, signal.SIGTERM)
    try:
        daphne.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        os.killpg(daphne.pid, signal.SIGKILL)
        daphne.wait()


TRAIN_PYTHON = Path(__file__).resolve().parent.parent / ".venv-train" / "bin" / "python"


def start_worker(env: Mapping[str, str], var: Path = VAR_DIR) -> subprocess.Popen[bytes] | None:
    """The training worker (``python -m finetune worker``) in the training environment, when
    ``make train-env`` built one: admins' training runs need it. Its output goes to var/log/worker.log."""
    if not TRAIN_PYTHON.exists():
        console.print("  training: off (no training environment; `make train-env` builds it, then `make run` again)")
        return None
    log = process.log_file("worker", var)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        worker = subprocess.Popen(
            [str(TRAIN_PYTHON), "-m", "finetune", "worker"],
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    console.print(f"[green]✓[/] training worker (pid {worker.pid}), log {log}")
    return worker


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    # Handle both explicitly: a shell without job control starts background jobs with SIGINT
    # ignored, and `kill` sends SIGTERM; either way everything this run started must stop.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    var = VAR_DIR
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    started: list[str] = []
    try:
        env = prepare(started, var)
        daphne = serve(host, port, env)
        worker = start_worker(env, var)
        console.print(f"[bold green]hadra is running at http://{host}:{port}[/]  (Ctrl-C stops everything)")
        try:
            return daphne.wait()
        except KeyboardInterrupt:
            daphne.terminate()
            try:
                daphne.wait(timeout=10)
            except subprocess.TimeoutExpired:
                daphne.kill()
            return 0
        finally:
            if worker is not None:
                stop_group(worker)
    except KeyboardInterrupt:  # while the services were starting
        return 130
    except process.ServiceError as exc:
        console.print(f"[red]✗ {exc}[/]")
        return 1
    finally:
        for name in reversed(started):
            process.stop(name, var)
            console.print(f"  stopped {name}")
