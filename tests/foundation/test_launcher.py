"""``make run``'s launcher: serves on the embedded database and stops what it started on a signal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx

from embedded import process
from tests.conftest import ROOT, SESSION_VAR


def test_run_serves_then_a_signal_stops_everything_it_started(ollama_host, ollama_model, tmp_path) -> None:
    var = tmp_path / "var"
    port, mongo_port = process.free_port(), process.free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"MONGODB_URI", "SECRET_KEY", "REDIS_URL"}}
    env |= {
        "HADRA_VAR_DIR": str(var),
        "PORT": str(port),
        "HADRA_MONGO_PORT": str(mongo_port),
        "OLLAMA_HOST": ollama_host,
        "DEFAULT_MODEL": ollama_model,
    }
    log = (SESSION_VAR / "launcher.log").open("wb")
    launcher = subprocess.Popen(
        [sys.executable, "-m", "embedded", "run"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and launcher.poll() is None, "the launcher did not serve"
                time.sleep(0.2)
        assert health.status_code == 200, health.text
        mongo_pid = process.running_pid("mongo", var)
        assert mongo_pid is not None
        assert (var / "secret_key").stat().st_mode & 0o777 == 0o600  # generated, private, not in the repo

        launcher.send_signal(signal.SIGTERM)
        assert launcher.wait(30) == 0
        assert process.running_pid("mongo", var) is None
        try:
            os.kill(mongo_pid, 0)
            raise AssertionError("the embedded MongoDB-protocol server is still running")
        except ProcessLookupError:
            pass
        assert not process.port_open("127.0.0.1", port)
    finally:
        if launcher.poll() is None:
            launcher.kill()
        process.stop("mongo", var)
