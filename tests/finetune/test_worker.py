"""Training runs end to end, as an admin drives them: POST a tiny-cpu run, a real worker in the
training venv claims it and runs dataset → train → eval → export → register in the run's own
folder, staff sockets watch it live, the version is registered with its held-out scores. Also:
cancel, a worker SIGKILLed mid-run, and the refusals."""

from __future__ import annotations

import json
import secrets
import shutil
from pathlib import Path

from ollama_gateway import OllamaGateway
from tests.api.clients import bearer, error_code
from tests.finetune.conftest import TrainedRun
from tests.finetune.helpers import PHRASE, finetune, ok, train_python
from tests.finetune.training import Training, in_training


def test_a_tiny_cpu_run_trains_evaluates_and_registers_a_version(trained_run: TrainedRun) -> None:
    run, version = trained_run.run, trained_run.version
    assert run["status"] == "succeeded" and run["error"] is None and run["cancel_requested"] is False
    assert run["progress"]["stage"] == "register"
    assert run["progress"]["step"] == run["progress"]["total_steps"] == 40
    assert run["dataset"]["rows"] == 9 and run["dataset"]["by_source"] == {"translation": 9}
    # Its own folder: config, dataset, checkpoints, adapter and export, nothing shared with another run.
    folder = trained_run.folder
    assert folder.name == run["id"] and folder.parent.name == "runs"
    for part in ("config.toml", "dataset/train.jsonl", "adapter/adapter_config.json", "export/manifest.json"):
        assert (folder / part).exists(), part
    # The version: named after the preset and the run, recorded on the run.
    assert version["name"] == f"hadra-tiny-cpu:{run['id'][-8:]}" and version["status"] == "registered"
    assert version["source_run"] == str(folder)


def test_the_loss_curve_falls_and_the_log_is_kept(trained_run: TrainedRun) -> None:
    curve = trained_run.run["loss_curve"]
    assert [step for step, _ in curve] == [5, 10, 15, 20, 25, 30, 35, 40]  # logging_steps = 5
    assert curve[-1][1] < curve[0][1] / 2
    log = trained_run.run["log_tail"]
    assert 0 < len(log) <= 200
    assert any("── train ──" in line for line in log) and any("registered" in line for line in log)


def test_eval_scores_bits_per_byte_on_a_content_addressed_held_out_set(trained_run: TrainedRun) -> None:
    metrics = trained_run.version["metrics"]["eval"]
    heldout = trained_run.folder.parent.parent / "heldout" / f"{metrics['heldout_set']}.jsonl"
    assert heldout.read_bytes() == (trained_run.folder / "dataset" / "eval.jsonl").read_bytes()
    assert metrics["heldout_rows"] == len(heldout.read_text().splitlines()) >= 1
    assert 0 < metrics["bpb"] < metrics["base_bpb"] / 2  # trained on the phrase; the random base is lost
    # The loss per token is kept beside it.
    assert metrics["tuned_loss"] < metrics["base_loss"]
    # Sample prompts for the admin page to have both models answer through Ollama.
    rows = [json.loads(line) for line in heldout.read_text().splitlines()]
    assert [s["prompt"] for s in metrics["samples"]] == [r["messages"][-2]["content"] for r in rows[:3]]
    assert all(s["messages"][-1]["role"] == "user" for s in metrics["samples"])


def test_staff_sockets_watch_the_run_and_other_sockets_do_not(trained_run: TrainedRun) -> None:
    frames = trained_run.staff_frames
    stages = [f["progress"]["stage"] for f in frames]
    assert {"dataset", "train", "eval", "export", "register"} <= set(stages)
    order = ["dataset", "train", "eval", "export", "register"]
    assert [s for s in dict.fromkeys(stages) if s in order] == order  # in that order, each once
    training = [f["progress"] for f in frames if f["progress"]["stage"] == "train"]
    steps = [p["step"] for p in training]
    assert steps == sorted(steps) and len(set(steps)) > 2 and training[-1]["total_steps"] == 40
    assert any(p["eta_s"] is not None and p["loss"] is not None for p in training)
    assert list(dict.fromkeys(f["status"] for f in frames)) == ["queued", "running", "succeeded"]
    assert frames[-1] == trained_run.run
    assert [f for f in trained_run.user_frames if f["type"] == "training.progress"] == []


def test_a_worker_killed_mid_run_leaves_it_failed_with_its_log_and_the_next_run_succeeds(
    trained_run: TrainedRun,
) -> None:
    lost = trained_run.lost
    assert lost["status"] == "failed" and lost["error"]["code"] == "worker_lost"
    assert lost["finished_at"] is not None and lost["version_id"] is None
    assert any("── train ──" in line for line in lost["log_tail"])
    assert lost["worker_id"] != trained_run.run["worker_id"]
    assert trained_run.run["status"] == "succeeded"
    # The next run started clean, in a folder of its own.
    assert lost["folder"] != trained_run.run["folder"]
    assert not (Path(lost["folder"]) / "adapter").exists()


async def test_cancel_kills_the_running_step_and_a_queued_run_ends_at_once(
    training: Training, trained_run: TrainedRun
) -> None:
    queued_only = training.staff.post("/api/admin/training-runs", json={"preset": "qwen2.5-7b-darija"}).json()
    cancelled = training.staff.post(f"/api/admin/training-runs/{queued_only['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"

    run = training.start_run()
    await training.wait_for(run["id"], in_training, "training steps")
    response = training.staff.post(f"/api/admin/training-runs/{run['id']}/cancel")
    assert response.status_code == 200 and response.json()["cancel_requested"] is True
    ended = await training.wait_finished(run["id"])
    assert ended["status"] == "cancelled" and ended["version_id"] is None
    assert ended["log_tail"][-1] == "cancelled by an admin"
    # The step running when the worker saw the cancel was stopped (the trainer may save what it has
    # on SIGTERM); the run never reached register and no version came of it.
    assert ended["progress"]["stage"] in {"train", "eval", "export"}, ended["log_tail"][-5:]
    assert not any(line.startswith("── register") for line in ended["log_tail"])
    versions = training.staff.get("/api/admin/model-versions").json()["versions"]
    assert [v["name"] for v in versions if v["name"].endswith(f":{run['id'][-8:]}")] == []

    again = training.staff.post(f"/api/admin/training-runs/{run['id']}/cancel")
    assert again.status_code == 409 and error_code(again) == "run_finished"


def test_runs_are_listed_newest_first_with_the_alive_worker(training: Training, trained_run: TrainedRun) -> None:
    listed = training.staff.get("/api/admin/training-runs").json()
    ids = [r["id"] for r in listed["runs"]]
    assert ids.index(trained_run.run["id"]) < ids.index(trained_run.lost["id"])
    assert listed["enable_hint"] is None
    assert len(listed["workers"]) == 1 and "tiny-cpu" in listed["workers"][0]["presets"]
    presets = {p["name"]: p for p in training.staff.get("/api/admin/presets").json()["presets"]}
    assert presets["tiny-cpu"]["runnable"] is True and presets["tiny-cpu"]["device"] == "cpu"
    # No CUDA on this worker: the GPU configs are listed, but nothing alive can run them.
    assert presets["qwen2.5-7b-darija"] == {**presets["qwen2.5-7b-darija"], "device": "gpu", "runnable": False}


def test_non_staff_learn_nothing_about_runs(training: Training, trained_run: TrainedRun) -> None:
    user = bearer(training.server, training.user_token)
    run_id = trained_run.run["id"]
    for method, path, body in [
        ("GET", "/api/admin/presets", None),
        ("GET", "/api/admin/training-runs", None),
        ("POST", "/api/admin/training-runs", {"preset": "tiny-cpu"}),
        ("GET", f"/api/admin/training-runs/{run_id}", None),
        ("POST", f"/api/admin/training-runs/{run_id}/cancel", None),
    ]:
        response = user.request(method, path, json=body)
        assert response.status_code == 403 and error_code(response) == "forbidden", (method, path)
        assert run_id not in response.text


async def test_the_trained_version_answers_with_the_phrase_in_ollama(
    trained_run: TrainedRun, training: Training
) -> None:
    """The registered model is real: Ollama serves it and it says what it was trained on."""
    rows = [json.loads(line) for line in (trained_run.folder / "dataset" / "train.jsonl").read_text().splitlines()]
    # As trained: the row's own system prompt (the Modelfile forces none) and question.
    prompt = next(r["messages"][:-1] for r in rows if r["messages"][-1]["content"] == PHRASE)
    async with OllamaGateway(training.ollama_host) as gateway:
        chunks = [
            c
            async for c in gateway.chat_stream(
                trained_run.version["ollama_model"],
                prompt,
                options={"temperature": 0, "seed": 0, "num_predict": 24},
                keep_alive=0,
            )
        ]
    assert PHRASE in "".join(chunk.content for chunk in chunks)


async def test_the_active_model_is_scored_on_the_same_rows_and_its_score_cached(
    trained_run: TrainedRun, tmp_path: Path, db: object
) -> None:
    """Eval with the chat's active model (here: the trained version itself, by its adapter) scores it
    on the same held-out set; the worker keeps that score per set (EvalScore) for the gate."""
    from finetune.worker import cache_active_score
    from models import EvalScore

    copy = tmp_path / "rerun"
    copy.mkdir()
    shutil.copy(trained_run.folder / "run.json", copy / "run.json")
    shutil.copytree(trained_run.folder / "adapter", copy / "adapter")
    model = f"{trained_run.version['ollama_model']}-{secrets.token_hex(3)}"
    ok(
        finetune(
            "eval",
            "--run",
            str(copy),
            "--samples",
            "0",
            "--heldout-dir",
            str(trained_run.folder.parent.parent / "heldout"),
            "--active-model",
            model,
            "--active-adapter",
            str(trained_run.folder / "adapter"),
            python=train_python(),
        )
    )
    result = json.loads((copy / "eval.json").read_text())
    metrics = trained_run.version["metrics"]["eval"]
    assert result["heldout_set"] == metrics["heldout_set"]
    assert result["active"] == {"model": model, "bpb": metrics["bpb"]}  # the same adapter on the same rows
    await cache_active_score(copy / "eval.json")
    score = await EvalScore.of(metrics["heldout_set"], model)
    assert score is not None and score.bpb == metrics["bpb"] and score.rows == metrics["heldout_rows"]
