"""The Procfile is how a platform runs hadra: run exactly its ``web`` line, with ``$PORT`` set as a
platform sets it, and the server answers with every part up; run its ``worker`` line with the
training environment's python first on PATH, and a training worker reports alive."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import httpx
from pymongo import MongoClient

from embedded import launcher
from embedded.process import free_port
from tests.api.clients import Browser
from tests.conftest import SESSION_VAR

ROOT = Path(__file__).resolve().parents[2]
_ADDRESSES = ("203.0.113.9", "198.51.100.7")  # documentation addresses (RFC 5737)


def _process_types() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_the_procfile_has_a_web_and_a_worker_process() -> None:
    assert set(_process_types()) == {"web", "worker"}


def test_the_procfile_web_line_serves_hadra(server_env: dict[str, str]) -> None:
    port = free_port()
    # The platform's python is the app's: put this venv's first on PATH, as a buildpack does.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    log = SESSION_VAR / "log" / "procfile-web.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        web = subprocess.Popen(
            ["bash", "-c", _process_types()["web"]],
            cwd=ROOT,
            env={
                **os.environ,
                **server_env,
                "PORT": str(port),
                "PATH": path,
                "HADRA_LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE": "1",
            },
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        launcher.wait_until_answering(web, url, 60, log)
        health = httpx.get(f"{url}/healthz", timeout=30)
        assert health.status_code == 200, health.text
        assert all(part["ok"] for part in health.json().values() if isinstance(part, dict) and "ok" in part)
        page = httpx.get(url + "/", timeout=30)
        assert page.status_code == 200 and "<html" in page.text.lower()
        # Behind the platform's router every request comes from the router: the per-address login
        # limit (1 a minute here) must count the address in X-Forwarded-For, not the router's.
        wrong = {"username": "nobody", "password": secrets.token_urlsafe(12)}
        browser = Browser(SimpleNamespace(url=url))
        first, second = ({"X-Forwarded-For": ip} for ip in _ADDRESSES)
        assert browser.post("/api/auth/login", json=wrong, headers=first).status_code == 401
        assert browser.post("/api/auth/login", json=wrong, headers=first).status_code == 429
        assert browser.post("/api/auth/login", json=wrong, headers=second).status_code == 401
    finally:
        launcher.stop_group(web)


def test_the_procfile_worker_line_starts_a_training_worker(server_env: dict[str, str]) -> None:
    train_bin = ROOT / ".venv-train" / "bin"  # a platform's worker image holds the training stack
    log = SESSION_VAR / "log" / "procfile-worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with MongoClient(server_env["MONGODB_URI"]) as client:
        beats = client.get_default_database("hadra")["worker_heartbeats"]
        before = {beat["worker_id"] for beat in beats.find({})}
        with log.open("ab") as out:
            worker = subprocess.Popen(
                ["bash", "-c", _process_types()["worker"]],
                cwd=ROOT,
                env={**os.environ, **server_env, "PATH": f"{train_bin}{os.pathsep}{os.environ['PATH']}"},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            new: list[dict] = []
            deadline = time.monotonic() + 120  # generous: it imports only the model path's light modules
            while not new and worker.poll() is None and time.monotonic() < deadline:
                new = [beat for beat in beats.find({}) if beat["worker_id"] not in before]
                time.sleep(0.25)
            assert worker.poll() is None, log.read_text()[-2000:]
            assert len(new) == 1, log.read_text()[-2000:]
            assert "tiny-cpu" in new[0]["presets"]
        finally:
            launcher.stop_group(worker)
