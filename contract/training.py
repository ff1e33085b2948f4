"""Training runs and presets (staff only, ``/api/admin/presets``, ``/api/admin/training-runs``) and
the ``training.progress`` frame that pushes a run to staff sockets while it changes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from contract.documents import Out

RunStatusName = Literal["queued", "running", "succeeded", "failed", "cancelled"]
Stage = Literal["queued", "dataset", "train", "eval", "export", "register"]


class PresetOut(Out):
    name: str
    description: str
    device: Literal["cpu", "gpu"]
    runnable: bool = Field(description="Whether a worker alive now can run it (a GPU preset needs a GPU worker).")


class PresetListOut(Out):
    presets: list[PresetOut]


class TrainingRunIn(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    preset: Annotated[str, StringConstraints(min_length=1, max_length=100)]


class RunProgressOut(Out):
    stage: Stage
    step: int
    total_steps: int
    loss: float | None
    eta_s: float | None = Field(description="Seconds left in the training stage, estimated from its pace.")


class RunErrorOut(Out):
    code: str = Field(description="worker_lost, dataset_failed, train_failed, eval_failed, export_failed, …")
    message: str


class TrainingRunOut(Out):
    id: str
    preset: str
    status: RunStatusName
    created_by: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    worker_id: str | None
    cancel_requested: bool
    progress: RunProgressOut
    loss_curve: list[list[float]] = Field(description="[step, loss] pairs of the training stage.")
    log_tail: list[str] = Field(description="The last lines the run's steps printed (at most 200).")
    folder: str = Field(description="The run's own folder on the worker's machine.")
    version_id: str | None = Field(description="The model version registered by the run.")
    error: RunErrorOut | None
    dataset: dict[str, Any] | None = Field(description="{rows, by_source} of the dataset the run trained on.")


class WorkerOut(Out):
    worker_id: str
    host: str
    seen_at: datetime
    presets: list[str]
    run_id: str | None


class TrainingRunListOut(Out):
    runs: list[TrainingRunOut] = Field(description="Newest first.")
    workers: list[WorkerOut] = Field(description="Workers seen in the last 30 seconds.")
    enable_hint: str | None = Field(description="How to start a worker, when none is alive.")
