"""Staff only: training presets and runs. A run is a queued document here; a training worker
(``python -m finetune worker``, in the training environment) claims it, runs it and writes its
progress back; staff sockets get it pushed as ``training.progress`` (consumers/training_watch.py).

Every GET of the run list also marks ``failed`` (``worker_lost``) the runs whose worker stopped
beating, so a crashed worker's run never shows ``running`` for ever.
"""

from __future__ import annotations

from datetime import timedelta

from api.endpoint import Call, operation
from contract.errors import ErrorCode, HadraError, not_found
from contract.training import (
    PresetListOut,
    PresetOut,
    TrainingRunIn,
    TrainingRunListOut,
    TrainingRunOut,
    WorkerOut,
)
from finetune import presets
from models import AuditEntry, RunStatus, TrainingRun, WorkerHeartbeat
from models.clock import utcnow

LOST_AFTER = timedelta(seconds=60)
ENABLE_TRAINING = (
    "No training worker is running, so runs wait in the queue. To enable training, build the training "
    "environment once with `make train-env`, then restart `make run` (it starts a worker when that "
    "environment exists); in a Procfile deployment run its `worker:` line, and on a GPU machine the "
    "compose `finetune` service (docker-compose.gpu.yml)."
)


async def _run(call: Call) -> TrainingRun:
    run = await TrainingRun.get(call.ids["run_id"])
    if run is None:
        raise not_found("training run")
    return run


@operation(
    "GET",
    summary="The training presets, and whether a worker alive now can run each",
    auth="staff",
    response=PresetListOut,
)
async def list_presets(call: Call) -> PresetListOut:
    runnable = {name for worker in await WorkerHeartbeat.alive() for name in worker.presets}
    return PresetListOut(
        presets=[
            PresetOut(name=p.name, description=p.description, device=p.device, runnable=p.name in runnable)
            for p in presets.all_presets().values()
        ]
    )


@operation(
    "GET",
    summary="Training runs, newest first, the workers alive and how to start one when none is",
    auth="staff",
    response=TrainingRunListOut,
)
async def list_runs(call: Call) -> TrainingRunListOut:
    await TrainingRun.fail_lost(utcnow() - LOST_AFTER)
    workers = await WorkerHeartbeat.alive()
    return TrainingRunListOut(
        runs=[run.out() for run in await TrainingRun.newest_first()],
        workers=[
            WorkerOut(
                worker_id=w.worker_id,
                host=w.host,
                seen_at=w.seen_at,
                presets=w.presets,
                run_id=str(w.run_id) if w.run_id else None,
            )
            for w in workers
        ],
        enable_hint=None if workers else ENABLE_TRAINING,
    )


@operation(
    "POST",
    summary="Queue a training run of a preset (a worker claims it; one run at a time per worker)",
    auth="staff",
    body=TrainingRunIn,
    response=TrainingRunOut,
    status=201,
    errors=(400,),
)
async def start_run(call: Call[TrainingRunIn, None]) -> TrainingRunOut:
    known = presets.all_presets()
    if call.body.preset not in known:
        raise HadraError(
            ErrorCode.UNKNOWN_PRESET,
            f"There is no preset `{call.body.preset}`; the presets are: {', '.join(known)}.",
            params={"preset": call.body.preset},
        )
    run = await TrainingRun(preset=call.body.preset, created_by=call.me_id).insert()
    await AuditEntry.record(call.me_id, call.me.username, "run.start", str(run.id), {"preset": run.preset})
    return run.out()


@operation(
    "GET", summary="One training run: status, progress, loss curve, log tail", auth="staff", response=TrainingRunOut
)
async def get_run(call: Call) -> TrainingRunOut:
    return (await _run(call)).out()


@operation(
    "POST",
    summary="Cancel a run: a queued one at once, a running one as soon as its worker kills the step",
    auth="staff",
    response=TrainingRunOut,
    errors=(409,),
)
async def cancel_run(call: Call) -> TrainingRunOut:
    run = await _run(call)
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        raise HadraError(
            ErrorCode.RUN_FINISHED,
            f"This run has already ended ({run.status.value}); there is nothing to cancel.",
            params={"status": run.status.value},
        )
    changed = await TrainingRun.request_cancel(call.ids["run_id"])
    await AuditEntry.record(call.me_id, call.me.username, "run.cancel", str(run.id), {"preset": run.preset})
    return (changed or run).out()
