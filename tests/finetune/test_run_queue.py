"""The training queue's claim: two workers asking at once never get the same run."""

from __future__ import annotations

import asyncio
import secrets

from models import RunStatus, TrainingRun


async def test_two_workers_claiming_at_once_get_different_runs_or_one_gets_none(db) -> None:
    preset = f"queue-test-{secrets.token_hex(3)}"  # only these runs are claimable here
    only = await TrainingRun(preset=preset).insert()
    first, second = await asyncio.gather(TrainingRun.claim("w1", [preset]), TrainingRun.claim("w2", [preset]))
    claimed = [run for run in (first, second) if run is not None]
    assert [run.id for run in claimed] == [only.id]
    assert claimed[0].status == RunStatus.RUNNING and claimed[0].worker_id in ("w1", "w2")
    stored = await TrainingRun.get(only.id)
    assert stored is not None and stored.worker_id == claimed[0].worker_id and stored.started_at is not None

    older, newer = await TrainingRun(preset=preset).insert(), await TrainingRun(preset=preset).insert()
    runs = await asyncio.gather(*(TrainingRun.claim(f"w{i}", [preset]) for i in range(4)))
    got = sorted((run.id for run in runs if run is not None), key=str)
    assert got == sorted([older.id, newer.id], key=str)  # each once, two workers left with none
    assert (await TrainingRun.claim("w9", [preset])) is None


async def test_the_oldest_queued_run_of_a_preset_the_worker_can_run_goes_first(db) -> None:
    tag = secrets.token_hex(3)
    cpu, gpu = f"cpu-{tag}", f"gpu-{tag}"
    gpu_run = await TrainingRun(preset=gpu).insert()
    old = await TrainingRun(preset=cpu).insert()
    await TrainingRun(preset=cpu).insert()
    claimed = await TrainingRun.claim("cpu-worker", [cpu])
    assert claimed is not None and claimed.id == old.id
    still = await TrainingRun.get(gpu_run.id)
    assert still is not None and still.status == RunStatus.QUEUED  # a CPU worker leaves the GPU run queued
