"""Training progress: a rich progress bar for people, JSON lines for the worker.

Imported only after Unsloth (it imports transformers, which Unsloth must patch first).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from transformers import TrainerCallback, TrainerControl, TrainerState, TrainingArguments

from finetune.runs import PROGRESS_FILE_ENV


class RichProgress(TrainerCallback):
    """Steps done / total, loss, learning rate, elapsed and remaining time; logged losses are kept."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress = Progress(
            TextColumn("[bold]train"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("loss {task.fields[loss]}"),
            TextColumn("lr {task.fields[lr]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
        )
        self.task: Any = None
        self.losses: list[tuple[int, float]] = []

    def on_train_begin(
        self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kwargs: Any
    ) -> None:
        self.progress.start()
        self.task = self.progress.add_task(
            "train", total=state.max_steps, completed=state.global_step, loss="-", lr="-"
        )

    def on_step_end(self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kwargs: Any) -> None:
        self.progress.update(self.task, completed=state.global_step)

    def on_log(
        self,
        args: TrainingArguments,
        state: TrainerState,
        control: TrainerControl,
        logs: dict[str, float] | None = None,
        **kwargs: Any,
    ) -> None:
        if logs and "loss" in logs:
            loss = float(logs["loss"])
            self.losses.append((state.global_step, loss))
            self.progress.update(self.task, loss=f"{loss:.4f}", lr=f"{float(logs.get('learning_rate', 0)):.2e}")

    def on_save(self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kwargs: Any) -> None:
        self.console.log(f"checkpoint saved at step {state.global_step}")

    def on_train_end(
        self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kwargs: Any
    ) -> None:
        self.progress.stop()


class JsonLinesProgress(TrainerCallback):
    """Machine-readable progress for the worker: one JSON object a line in ``path``
    ({step, total_steps, loss, eta_s}), appended at each step end and each logged loss."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.loss: float | None = None
        self.started = 0.0
        self.first_step = 0

    def _write(self, state: TrainerState, **extra: Any) -> None:
        done = state.global_step - self.first_step
        elapsed = time.monotonic() - self.started
        left = max(0, state.max_steps - state.global_step)
        eta = round(elapsed / done * left, 1) if done > 0 else None
        line = {"step": state.global_step, "total_steps": state.max_steps, "loss": self.loss, "eta_s": eta, **extra}
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")

    def on_train_begin(
        self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kwargs: Any
    ) -> None:
        self.started = time.monotonic()
        self.first_step = state.global_step
        self._write(state)

    def on_step_end(self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kwargs: Any) -> None:
        self._write(state)

    def on_log(
        self,
        args: TrainingArguments,
        state: TrainerState,
        control: TrainerControl,
        logs: dict[str, float] | None = None,
        **kwargs: Any,
    ) -> None:
        if logs and "loss" in logs:
            self.loss = float(logs["loss"])
            self._write(state, logged=True)


def machine_progress() -> list[TrainerCallback]:
    """The worker's progress file (``HADRA_PROGRESS_FILE``, set by ``python -m finetune worker``), if any."""
    path = os.environ.get(PROGRESS_FILE_ENV)
    return [JsonLinesProgress(Path(path))] if path else []
