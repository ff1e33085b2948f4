"""``python -m finetune worker``: runs the training runs admins start, one at a time.

It claims the oldest queued run atomically (``TrainingRun.claim``), renders the run's preset into
the run's own folder ``var/finetune/runs/<run id>/``, and runs dataset → train → eval → export →
register there, each step a child ``python -m finetune …`` in a process group of its own: a cancel
(or a stop of the worker) kills the whole step, converters included. While a step runs, the worker
reads its output and the trainer's JSON progress lines and writes them to the run's document at
most about once a second; the server pushes the document to staff sockets.

Alive: a heartbeat every 5 s (``WorkerHeartbeat``). A worker killed mid-run cannot mark its run,
so every worker, at start and between runs, marks ``failed`` (``worker_lost``) the running runs of
workers whose heartbeat is older than 60 s, or whose process on this host is gone.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import socket
import sys
from collections import deque
from datetime import timedelta
from pathlib import Path
from typing import Any

from rich.console import Console

from embedded.process import VAR_DIR
from finetune import presets
from finetune.dataset import SUMMARY_FILE
from finetune.errors import FinetuneError
from finetune.evaluate import DEFAULT_HELDOUT
from finetune.runs import PROGRESS_FILE_ENV

ROOT = Path(__file__).resolve().parent.parent
RUNS_DIR = VAR_DIR / "finetune" / "runs"
HEARTBEAT_S = 5.0
POLL_S = 2.0
WRITE_EVERY_S = 1.0
LOST_AFTER = timedelta(seconds=60)
KILL_GRACE_S = 5.0
LOG_TAIL = 200


class Cancelled(Exception):
    """An admin cancelled the run: its step was killed."""


class StepFailed(Exception):
    def __init__(self, stage: str, message: str) -> None:
        super().__init__(message)
        self.stage = stage


class RunState:
    """What the run's document shows, gathered here and written when it changed (at most ~1/s)."""

    def __init__(self, run_id: Any, folder: Path) -> None:
        self.run_id = run_id
        self.folder = folder
        self.log = deque[str](maxlen=LOG_TAIL)
        self.progress: dict[str, Any] = {"stage": "queued", "step": 0, "total_steps": 0, "loss": None, "eta_s": None}
        self.loss_curve: list[list[float]] = []
        self.dirty = True
        self._progress_offset = 0
        self.log_file = folder / "worker.log"

    @property
    def progress_file(self) -> Path:
        return self.folder / "progress.jsonl"

    def stage(self, name: str) -> None:
        self.progress = {**self.progress, "stage": name, "eta_s": None}
        self.line(f"── {name} ──")

    def line(self, text: str) -> None:
        text = text.rstrip("\r\n").split("\r")[-1]
        self.log.append(text)
        with self.log_file.open("a", encoding="utf-8") as out:
            out.write(text + "\n")
        self.dirty = True

    def read_progress(self) -> None:
        """New lines of the trainer's progress file (finetune/progress.py JsonLinesProgress)."""
        if not self.progress_file.is_file():
            return
        with self.progress_file.open("r", encoding="utf-8") as handle:
            handle.seek(self._progress_offset)
            chunk = handle.read()
        complete, _, _partial = chunk.rpartition("\n")
        if not complete:
            return
        self._progress_offset += len((complete + "\n").encode("utf-8"))
        for raw in complete.splitlines():
            try:
                entry = json.loads(raw)
            except json.JSONDecodeError:
                continue
            self.progress = {**self.progress, **{k: entry.get(k) for k in ("step", "total_steps", "loss", "eta_s")}}
            if entry.get("logged") and entry.get("loss") is not None:
                self.loss_curve.append([entry["step"], entry["loss"]])
            self.dirty = True

    def fields(self) -> dict[str, Any]:
        return {"progress": self.progress, "loss_curve": self.loss_curve, "log_tail": list(self.log)}

    def error_message(self, fallback: str) -> str:
        """The step's own error sentence (``error: …``), else its last line."""
        for line in reversed(self.log):
            if line.startswith("error:"):
                return line.removeprefix("error:").strip()
        lines = [line for line in self.log if line.strip() and not line.startswith("──")]
        return lines[-1].strip() if lines else fallback


class Worker:
    def __init__(self, mongo_uri: str, ollama_hosts: list[str], translations: list[Path], console: Console) -> None:
        self.mongo_uri = mongo_uri
        self.ollama_hosts = ollama_hosts
        self.translations = [p.resolve() for p in translations]
        self.console = console
        self.host = socket.gethostname()
        self.worker_id = f"{self.host}-{os.getpid()}-{secrets.token_hex(3)}"
        self.presets = presets.all_presets()
        self.runnable = presets.runnable_here(self.presets)
        self.run_id: Any = None

    async def serve(self, once: bool) -> None:
        from models import TrainingRun, WorkerHeartbeat

        await self._beat()
        beats = asyncio.create_task(self._heartbeats())
        self.console.print(
            f"worker {self.worker_id}: presets {', '.join(self.runnable)}; runs in {RUNS_DIR} (Ctrl-C stops it)"
        )
        try:
            while True:
                await self._fail_lost()
                run = await TrainingRun.claim(self.worker_id, self.runnable)
                if run is not None:
                    await self._execute(run)
                if once:
                    return
                if run is None:
                    await asyncio.sleep(POLL_S)
        finally:
            beats.cancel()
            await WorkerHeartbeat.gone(self.worker_id)

    async def _beat(self) -> None:
        from models import TrainingRun, WorkerHeartbeat

        await WorkerHeartbeat.beat(self.worker_id, self.host, os.getpid(), self.runnable, self.run_id)
        if self.run_id is not None:
            await TrainingRun.touch(self.run_id)

    async def _heartbeats(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_S)
            try:
                await self._beat()
            except Exception as exc:  # the database is away a moment: the next beat tries again
                self.console.print(f"[yellow]heartbeat failed: {exc}[/]")

    async def _fail_lost(self) -> None:
        from models import TrainingRun, WorkerHeartbeat
        from models.clock import utcnow

        dead = {w.worker_id for w in await WorkerHeartbeat.on_host(self.host) if not _alive(w.pid)}
        for run in await TrainingRun.fail_lost(utcnow() - LOST_AFTER, dead):
            self.console.print(f"[yellow]run {run.id} failed: its worker {run.worker_id} is gone[/]")

    async def _execute(self, run: Any) -> None:
        from models import ModelVersion, RunStatus, TrainingRun
        from models.training_run import RunError

        folder = RUNS_DIR / str(run.id)
        folder.mkdir(parents=True, exist_ok=True)
        state = RunState(run.id, folder)
        self.run_id = run.id
        self.console.print(f"run {run.id}: preset {run.preset} in {folder}")
        await TrainingRun.change(run.id, {"folder": str(folder)})
        try:
            name = f"hadra-{run.preset}:{str(run.id)[-8:]}"
            for stage, argv in await self._steps(run, folder, name):
                await self._step(state, stage, argv)
                if stage == "dataset":
                    await self._record_dataset(run.id, folder)
                if stage == "eval":
                    await cache_active_score(folder / "eval.json")
            version = await ModelVersion.find_one(ModelVersion.name == name)
            await self._flush(state)
            await TrainingRun.finish(
                run.id, RunStatus.SUCCEEDED, version_id=version.id if version else None, **state.fields()
            )
            self.console.print(f"[green]run {run.id} succeeded[/]: {name}")
        except Cancelled:
            state.line("cancelled by an admin")
            await TrainingRun.finish(run.id, RunStatus.CANCELLED, **state.fields())
            self.console.print(f"run {run.id} cancelled")
        except StepFailed as exc:
            state.line(f"{exc.stage} failed: {exc}")
            error = RunError(code=f"{exc.stage}_failed", message=str(exc))
            await TrainingRun.finish(run.id, RunStatus.FAILED, error, **state.fields())
            self.console.print(f"[red]run {run.id} failed[/] in {exc.stage}: {exc}")
        except Exception as exc:  # the worker's own trouble (the database, a file): this run ends, the worker goes on
            state.line(f"worker error: {exc!r}")
            error = RunError(code="worker_error", message=f"The worker failed while running this run: {exc}")
            await TrainingRun.finish(run.id, RunStatus.FAILED, error, **state.fields())
            self.console.print_exception()
        except asyncio.CancelledError:  # the worker is stopping (Ctrl-C, SIGTERM): the run ends with it
            state.line("the worker was stopped")
            error = RunError(code="worker_stopped", message="The worker was stopped during this run; start it again.")
            await asyncio.shield(TrainingRun.finish(run.id, RunStatus.FAILED, error, **state.fields()))
            raise
        finally:
            self.run_id = None

    async def _steps(self, run: Any, folder: Path, name: str) -> list[tuple[str, list[str]]]:
        preset = self.presets.get(run.preset)
        if preset is None or not preset.config.is_file():
            raise StepFailed("dataset", f"The preset {run.preset!r} has no config file on this worker's machine.")
        config = str(presets.render(preset, folder))
        dataset = ["dataset", "--out", str(folder / "dataset"), "--mongo-uri", self.mongo_uri]
        for path in self.translations:
            dataset += ["--translations", str(path)]
        steps: list[tuple[str, list[str]]] = []
        if preset.build_base is not None and not (preset.build_base[0] / "config.json").is_file():
            steps.append(("dataset", preset.build_base[1]))
        evaluate = ["eval", "--config", config, "--heldout-dir", str(DEFAULT_HELDOUT)]
        evaluate += await _active_args(preset, config)
        register = ["register", "--config", config, "--name", name, "--ollama-host", ",".join(self.ollama_hosts)]
        return [
            *steps,
            ("dataset", dataset),
            ("train", ["train", "--config", config]),
            ("eval", evaluate),
            ("export", ["export", "--config", config]),
            ("register", [*register, "--mongo-uri", self.mongo_uri]),
        ]

    async def _step(self, state: RunState, stage: str, argv: list[str]) -> None:
        """Run ``python -m finetune <argv>`` in its own process group; raise when it failed or was cancelled."""
        from models import TrainingRun

        if state.progress["stage"] != stage:
            state.stage(stage)
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "COLUMNS": "160",
            "PYTHONUNBUFFERED": "1",
            PROGRESS_FILE_ENV: str(state.progress_file),
        }
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "finetune",
            *argv,
            cwd=ROOT,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_worker if sys.platform == "linux" else None,
        )
        reader = asyncio.create_task(_read_lines(child, state))
        try:
            while True:
                try:
                    await asyncio.wait_for(asyncio.shield(child.wait()), WRITE_EVERY_S)
                    break
                except TimeoutError:
                    pass
                state.read_progress()
                run = await TrainingRun.get(state.run_id)
                if run is not None and run.cancel_requested:
                    await _kill(child)
                    await reader
                    raise Cancelled
                await self._flush(state)
        except BaseException:
            await _kill(child)
            raise
        await reader
        state.read_progress()
        await self._flush(state)
        if child.returncode != 0:
            raise StepFailed(stage, state.error_message(f"`python -m finetune {argv[0]}` exited {child.returncode}"))

    async def _flush(self, state: RunState) -> None:
        from models import TrainingRun

        if state.dirty:
            state.dirty = False
            await TrainingRun.change(state.run_id, state.fields())

    async def _record_dataset(self, run_id: Any, folder: Path) -> None:
        from models import TrainingRun

        summary = _read_json(folder / "dataset" / SUMMARY_FILE)
        if summary is not None:
            rows = int(summary.get("train", 0)) + int(summary.get("eval", 0))
            await TrainingRun.change(run_id, {"dataset": {"rows": rows, "by_source": summary.get("by_source", {})}})


def _die_with_worker() -> None:
    """In the child, before it starts: SIGKILL when the worker dies (Linux's PR_SET_PDEATHSIG), so a
    killed worker leaves no step training on for nobody."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


async def _read_lines(child: asyncio.subprocess.Process, state: RunState) -> None:
    assert child.stdout is not None
    async for raw in child.stdout:
        state.line(raw.decode("utf-8", errors="replace"))


async def _kill(child: asyncio.subprocess.Process) -> None:
    """The step's whole process group: SIGTERM, then SIGKILL after a grace period."""
    if child.returncode is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(child.pid, sig)
        except ProcessLookupError:
            return
        try:
            await asyncio.wait_for(asyncio.shield(child.wait()), KILL_GRACE_S)
            return
        except TimeoutError:
            continue


async def _active_args(preset: presets.Preset, config: str) -> list[str]:
    """``--active-model`` (and ``--active-adapter``) when the chat's active model can be scored here:
    an earlier version whose adapter folder exists on this machine and that shares this run's base,
    or the preset's served base itself."""
    from finetune.config import load
    from models import ModelVersion
    from models.activation import Activation

    current = await Activation.current()
    if current is not None and current.version_id is not None:
        version = await ModelVersion.get(current.version_id)
        if version is None or not version.source_run:
            return []
        adapter = Path(version.source_run) / "adapter"
        same_base = version.base_model == load(Path(config)).model.base
        if same_base and (adapter / "adapter_config.json").is_file():
            return ["--active-model", version.ollama_model, "--active-adapter", str(adapter)]
        return []
    model = current.model if current is not None else os.environ.get("DEFAULT_MODEL", "")
    if preset.served_base and model and _same_model(model, preset.served_base):
        return ["--active-model", model]
    return []


def _same_model(a: str, b: str) -> bool:
    """Ollama names, ``:latest`` implied."""

    def full(name: str) -> str:
        return name if ":" in name else f"{name}:latest"

    return full(a) == full(b)


async def cache_active_score(eval_json: Path) -> None:
    """The active model's bits per byte from an eval, kept per held-out set (the gate reads it)."""
    from models import EvalScore

    result = _read_json(eval_json)
    active = result.get("active") if result else None
    if result and active:
        await EvalScore.store(result["heldout_set"], active["model"], active["bpb"], result["heldout_rows"])


def _read_json(path: Path) -> dict[str, Any] | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def run_worker(
    mongo_uri: str, ollama_hosts: list[str], translations: list[Path], console: Console, once: bool = False
) -> None:
    from pymongo.errors import PyMongoError

    from models import init_db

    try:
        await init_db(mongo_uri, server_selection_timeout_ms=5000)
    except PyMongoError as exc:
        raise FinetuneError(f"cannot reach MongoDB at {mongo_uri}: {exc}") from None
    worker = Worker(mongo_uri, ollama_hosts, translations, console)
    main = asyncio.current_task()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, main.cancel if main else (lambda: None))
    try:
        await worker.serve(once)
    except asyncio.CancelledError:
        console.print(f"worker {worker.worker_id} stopped")
