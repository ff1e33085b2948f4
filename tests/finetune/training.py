"""Training runs as an admin drives them: a hadra server with a database of its own, a staff client,
and real workers (``python -m finetune worker`` in the training venv) started and killed at will."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.finetune.helpers import ROOT, train_python
from tests.support.servers import LiveServer
from tests.support.ws import ChatClient

FINISHED = ("succeeded", "failed", "cancelled")
# The tiny run takes minutes on two busy cores; these bound a wait, they are not expectations.
RUN_TIMEOUT_S = 900


@dataclass
class WorkerProcess:
    proc: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        """SIGKILL the worker alone: a crash, it cannot mark its run."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@dataclass
class Training:
    server: LiveServer
    mongo_uri: str
    ollama_host: str
    default_model: str
    var: Path
    translations: Path
    staff: httpx.Client
    staff_token: str
    user_token: str
    workers: list[WorkerProcess] = field(default_factory=list)

    def start_worker(self, *extra: str) -> WorkerProcess:
        log = self.var / "log" / f"worker-{len(self.workers)}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("ab") as out:
            proc = subprocess.Popen(
                [
                    str(train_python()),
                    "-m",
                    "finetune",
                    "worker",
                    "--mongo-uri",
                    self.mongo_uri,
                    "--ollama-host",
                    self.ollama_host,
                    "--translations",
                    str(self.translations),
                    *extra,
                ],
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                env={
                    **os.environ,
                    "PYTHONPATH": str(ROOT),
                    "HADRA_VAR_DIR": str(self.var),
                    "DEFAULT_MODEL": self.default_model,
                },
            )
        worker = WorkerProcess(proc, log)
        self.workers.append(worker)
        return worker

    def start_run(self, preset: str = "tiny-cpu") -> dict[str, Any]:
        response = self.staff.post("/api/admin/training-runs", json={"preset": preset})
        assert response.status_code == 201, response.text
        return response.json()

    def get(self, run_id: str) -> dict[str, Any]:
        response = self.staff.get(f"/api/admin/training-runs/{run_id}")
        assert response.status_code == 200, response.text
        return response.json()

    async def wait_for(
        self, run_id: str, until: Callable[[dict[str, Any]], bool], what: str, timeout: float = RUN_TIMEOUT_S
    ) -> dict[str, Any]:
        """Poll the run until ``until`` holds; a run that ends otherwise fails the wait at once."""
        deadline = time.monotonic() + timeout
        while True:
            run = self.get(run_id)
            if until(run):
                return run
            assert run["status"] not in FINISHED, (
                f"run ended {run['status']} before {what}: {run['error']}\n" + "\n".join(run["log_tail"][-40:])
            )
            assert time.monotonic() < deadline, f"no {what} within {timeout} s: {run['progress']}\n" + "\n".join(
                run["log_tail"][-20:]
            )
            await asyncio.sleep(0.5)

    async def wait_finished(self, run_id: str) -> dict[str, Any]:
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while (run := self.get(run_id))["status"] not in FINISHED:
            assert time.monotonic() < deadline, f"run not finished in {RUN_TIMEOUT_S} s: " + "\n".join(run["log_tail"])
            await asyncio.sleep(0.5)
        return run

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()


def in_training(run: dict[str, Any]) -> bool:
    return run["progress"]["stage"] == "train" and run["progress"]["step"] >= 1


async def listen(client: ChatClient) -> None:
    """Read every frame (kept in ``client.frames``) until cancelled."""
    while True:
        try:
            await client.recv(timeout=3600)
        except TimeoutError:
            continue


def progress_frames(client: ChatClient, run_id: str) -> list[dict[str, Any]]:
    return [f["run"] for f in client.of_type("training.progress") if f["run"]["id"] == run_id]


async def seen(client: ChatClient, predicate: Callable[[dict[str, Any]], bool], timeout: float = 60) -> dict[str, Any]:
    """A frame the listening task has read (``listen``), waiting for it up to ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        for frame in client.frames:
            if predicate(frame):
                return frame
        assert time.monotonic() < deadline, f"no such frame in {timeout} s; last: {client.frames[-3:]}"
        await asyncio.sleep(0.2)
