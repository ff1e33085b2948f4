"""Session fixtures of the training runs: one hadra server with a database of its own, real workers
in the training venv, and one trained version of the tiny-cpu preset, built once per test session
and shared (``trained_run``): training is the slow part, everything else reads what it left.

``trained_run`` also covers a worker killed mid-run: the first worker is SIGKILLed while it trains,
and the run that follows (on a second worker) is the one that trains the shared version.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.api.clients import Browser, isolated_db, register, staff_client
from tests.finetune.helpers import translation_records, write_jsonl
from tests.finetune.training import Training, in_training, listen, progress_frames, seen
from tests.support.servers import LiveServer
from tests.support.ws import ChatClient


@pytest.fixture(scope="session")
def training(
    server_env: dict[str, str], ollama_host: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Training]:
    root = tmp_path_factory.mktemp("training")
    env = {**server_env, "MONGODB_URI": isolated_db(server_env["MONGODB_URI"])}
    server = LiveServer(env=env, log_path=root / "log" / "daphne.log").start()
    staff = staff_client(server, env)
    user = Browser(server)
    register(user)
    user_token = user.post("/api/tokens", json={"name": "ws"}).json()["token"]
    training = Training(
        server=server,
        mongo_uri=env["MONGODB_URI"],
        ollama_host=ollama_host,
        default_model=env["DEFAULT_MODEL"],
        var=root / "var",
        translations=write_jsonl(root / "translations.jsonl", translation_records()),
        staff=staff,
        staff_token=staff.headers["Authorization"].removeprefix("Bearer "),
        user_token=user_token,
    )
    try:
        yield training
    finally:
        training.stop()
        server.stop()


@dataclass
class TrainedRun:
    run: dict[str, Any]  # the run as GET shows it once it succeeded
    lost: dict[str, Any]  # the run whose worker was SIGKILLed mid-training, once the next worker started
    staff_frames: list[dict[str, Any]]  # the training.progress frames of ``run`` a staff socket received
    user_frames: list[dict[str, Any]]  # every frame a non-staff socket received meanwhile
    version: dict[str, Any]  # the model version the run registered, as the API lists it
    folder: Path


@pytest.fixture(scope="session")
async def trained_run(training: Training) -> AsyncIterator[TrainedRun]:
    staff_ws = await ChatClient.connect(training.server.ws_url, training.staff_token)
    user_ws = await ChatClient.connect(training.server.ws_url, training.user_token)
    readers = [asyncio.create_task(listen(staff_ws)), asyncio.create_task(listen(user_ws))]
    try:
        doomed = training.start_run()
        first = training.start_worker()
        await training.wait_for(doomed["id"], in_training, "training steps")
        first.kill()

        run = training.start_run()
        training.start_worker()  # marks the lost run failed, then claims the next one
        done = await training.wait_finished(run["id"])
        assert done["status"] == "succeeded", f"{done['error']}\n" + "\n".join(done["log_tail"])
        # The last frame may trail the document by a poll: wait for it before reading the frames.
        await seen(
            staff_ws,
            lambda f: (
                f["type"] == "training.progress" and f["run"]["id"] == run["id"] and f["run"]["status"] == "succeeded"
            ),
        )
        await user_ws.send("ping", request_id="after")
        await seen(user_ws, lambda f: f["type"] == "pong")
        versions = training.staff.get("/api/admin/model-versions").json()["versions"]
        yield TrainedRun(
            run=done,
            lost=training.get(doomed["id"]),
            staff_frames=progress_frames(staff_ws, run["id"]),
            user_frames=list(user_ws.frames),
            version=next(v for v in versions if v["id"] == done["version_id"]),
            folder=Path(done["folder"]),
        )
    finally:
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
        await staff_ws.close()
        await user_ws.close()
