"""The whole fine-tuning pipeline on CPU, as a user runs it: tiny Qwen2 base → dataset → Unsloth LoRA
→ eval → GGUF (adapter and merged) → registered in the real CPU Ollama → answers streamed through the
gateway. The trained fixed phrase proves the adapter is applied: the base model never says it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from finetune.templates import CHATML
from ollama_gateway import OllamaGateway
from tests.finetune.helpers import (
    PHRASE,
    ROOT,
    SYSTEM,
    config_text,
    finetune,
    ok,
    train_python,
    translation_records,
    write_jsonl,
)

GREEDY = {"temperature": 0, "seed": 0, "num_predict": 24}
MERGED, ADAPTER, BASE = "hadra-test-tiny-merged", "hadra-test-tiny-adapter", "hadra-test-tiny-base"


@dataclass
class Pipeline:
    root: Path
    base: Path
    dataset: Path
    run: Path
    outputs: dict[str, str]


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("finetune") / "base"
    ok(finetune("tiny-base", "--out", str(base), python=train_python()))
    return base


@pytest.fixture(scope="module")
def dataset(tiny_base: Path) -> Path:
    root = tiny_base.parent
    source = write_jsonl(root / "translations.jsonl", translation_records())
    ok(
        finetune(
            "dataset",
            "--translations",
            str(source),
            "--no-chat",
            "--out",
            str(root / "dataset"),
            "--eval-fraction",
            "0.2",
            "--system-prompt",
            SYSTEM,
        )
    )
    return root / "dataset"


@pytest.fixture(scope="module")
def pipeline(tiny_base: Path, dataset: Path, mongo_uri: str, ollama_host: str) -> Pipeline:
    root = tiny_base.parent
    config = root / "run.toml"
    config.write_text(config_text(tiny_base, dataset, root / "run"))
    python = train_python()
    outputs = {
        "train": ok(finetune("train", "--config", str(config), python=python)),
        "eval": ok(finetune("eval", "--config", str(config), python=python)),
        "export": ok(finetune("export", "--config", str(config), python=python)),
    }
    for name, form in ((MERGED, "merged"), (ADAPTER, "adapter")):
        outputs[form] = ok(
            finetune(
                "register",
                "--config",
                str(config),
                "--name",
                name,
                "--form",
                form,
                "--ollama-host",
                ollama_host,
                "--mongo-uri",
                mongo_uri,
                python=python,
            )
        )
    return Pipeline(root, tiny_base, dataset, root / "run", outputs)


async def _reply(host: str, model: str, question: str) -> str:
    """The answer to ``question`` under the system prompt the rows were trained with, sent as a chat
    sends its conversation's own (the Modelfile has none)."""
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}]
    async with OllamaGateway(host) as gateway:
        chunks = [c async for c in gateway.chat_stream(model, messages, options=GREEDY, keep_alive=0)]
    assert chunks[-1].done
    return "".join(chunk.content for chunk in chunks)


def _trained_question(pipeline: Pipeline) -> str:
    rows = [json.loads(line) for line in (pipeline.dataset / "train.jsonl").read_text().splitlines()]
    return next(r["messages"][1]["content"] for r in rows if r["messages"][2]["content"] == PHRASE)


async def test_tuned_models_answer_with_the_trained_phrase_and_the_base_does_not(
    pipeline: Pipeline, ollama_host: str
) -> None:
    manifest = json.loads((pipeline.run / "export" / "manifest.json").read_text())
    async with OllamaGateway(ollama_host) as gateway:  # the untuned base, with the same template
        digest = await gateway.push_blob(pipeline.run / "export" / manifest["artifacts"]["adapter"]["base"]["file"])
        await gateway.create_model(BASE, digest, template=CHATML.template, parameters={"stop": list(CHATML.stops)})
    try:
        question = _trained_question(pipeline)
        assert PHRASE in await _reply(ollama_host, MERGED, question)
        assert PHRASE in await _reply(ollama_host, ADAPTER, question)
        assert "PINEAPPLE" not in await _reply(ollama_host, BASE, question)
        # A held-out wording, never trained on, gets the phrase too: the adapter generalised.
        held_out = json.loads((pipeline.dataset / "eval.jsonl").read_text().splitlines()[0])
        if held_out["messages"][2]["content"] == PHRASE:
            assert PHRASE in await _reply(ollama_host, ADAPTER, held_out["messages"][1]["content"])
    finally:
        async with OllamaGateway(ollama_host) as gateway:
            for name in (BASE, MERGED, ADAPTER):
                await gateway.delete_model(name)


async def test_registered_versions_are_recorded_with_metrics_and_not_activated(pipeline: Pipeline, db: object) -> None:
    from models import ModelVersion, ModelVersionStatus

    manifest = json.loads((pipeline.run / "export" / "manifest.json").read_text())
    merged = await ModelVersion.find_one(ModelVersion.name == MERGED)
    adapter = await ModelVersion.find_one(ModelVersion.name == ADAPTER)
    assert merged is not None and adapter is not None
    assert merged.status == adapter.status == ModelVersionStatus.REGISTERED
    assert merged.ollama_model == MERGED and merged.base_model == str(pipeline.base)
    assert merged.gguf_sha256 == [manifest["artifacts"]["merged"]["sha256"]]
    assert adapter.gguf_sha256 == [
        manifest["artifacts"]["adapter"]["base"]["sha256"],
        manifest["artifacts"]["adapter"]["sha256"],
    ]
    assert merged.metrics["form"] == "merged" and merged.metrics["train"]["steps"] == 40
    assert merged.metrics["eval"]["tuned_loss"] < merged.metrics["eval"]["base_loss"]


def test_eval_shows_lower_held_out_loss_and_sample_answers(pipeline: Pipeline) -> None:
    result = json.loads((pipeline.run / "eval.json").read_text())
    assert result["held_out_rows"] >= 1
    assert result["tuned_loss"] < result["base_loss"] / 2
    assert result["tuned_perplexity"] < result["base_perplexity"]
    assert "base" in pipeline.outputs["eval"] and "tuned" in pipeline.outputs["eval"]
    for sample in result["samples"]:
        assert sample["base"] != sample["tuned"]


def test_training_says_it_uses_unsloth_and_reports_progress(pipeline: Pipeline) -> None:
    out = pipeline.outputs["train"]
    assert "Unsloth FastLanguageModel + TRL SFTTrainer" in out
    assert "40/40" in out and "adapter saved" in out
    metrics = json.loads((pipeline.run / "train.json").read_text())
    assert metrics["steps"] == 40 and metrics["final_loss"] < 0.5 < metrics["losses"][0][1]


def test_export_writes_gguf_files_modelfiles_and_manifest(pipeline: Pipeline) -> None:
    export = pipeline.run / "export"
    manifest = json.loads((export / "manifest.json").read_text())
    # No SYSTEM baked in: each chat sends its own system prompt (or none), as the rows were trained.
    assert manifest["chat_family"] == "chatml" and "system" not in manifest
    for modelfile in ("Modelfile.adapter", "Modelfile.merged"):
        assert "SYSTEM" not in (export / modelfile).read_text()
    for entry in (
        manifest["artifacts"]["adapter"],
        manifest["artifacts"]["adapter"]["base"],
        manifest["artifacts"]["merged"],
    ):
        path = export / entry["file"]
        assert path.read_bytes()[:4] == b"GGUF" and path.stat().st_size == entry["bytes"]
    adapter_modelfile = (export / "Modelfile.adapter").read_text()
    assert "FROM ./base-q8_0.gguf" in adapter_modelfile and "ADAPTER ./adapter-f16.gguf" in adapter_modelfile
    assert 'PARAMETER stop "<|im_end|>"' in (export / "Modelfile.merged").read_text()


def test_training_resumes_from_the_last_checkpoint_after_a_crash(tiny_base: Path, dataset: Path) -> None:
    config = tiny_base.parent / "crash.toml"
    run = tiny_base.parent / "crash-run"
    config.write_text(config_text(tiny_base, dataset, run, max_steps=60, save_steps=10))
    command = [str(train_python()), "-m", "finetune", "train", "--config", str(config)]
    crashed = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 300
        while not (run / "checkpoints" / "checkpoint-10" / "trainer_state.json").exists():
            assert crashed.poll() is None, "training ended before the crash could be simulated"
            assert time.monotonic() < deadline, "no checkpoint within 300 s"
            time.sleep(0.05)
    finally:
        os.killpg(crashed.pid, signal.SIGKILL)  # a crash: no chance to clean up
        crashed.wait()
    resumed = ok(finetune("train", "--config", str(config), python=train_python()))
    assert "resuming from checkpoint-" in resumed
    metrics = json.loads((run / "train.json").read_text())
    assert metrics["steps"] == 60
    assert int(metrics["resumed_from"].removeprefix("checkpoint-")) >= 10


def test_a_run_in_its_own_folder_cuts_long_branches_and_runs_the_preference_step(tiny_base: Path) -> None:
    """``--run-dir``: the dataset and everything trained live in the run's folder (the config's paths
    are not used); a branch longer than the sequence length loses its oldest exchanges; DPO runs on
    the 👎 pairs after SFT and only the trained adapter is saved."""
    run = tiny_base.parent / "own-run"
    records = translation_records()
    rows = [
        {
            "id": f"r{i}",
            "source": "translation",
            "origin": f"t:{i}",
            "messages": [
                {"role": "system", "content": SYSTEM},
                {"role": "user", "content": r["text"]},
                {"role": "assistant", "content": r["translation"]},
            ],
        }
        for i, r in enumerate(records)
    ]
    long_turns = [
        {"role": role, "content": f"{role} turn {n} " + "blah " * 60}
        for n in range(3)
        for role in ("user", "assistant")
    ]
    rows.append({"id": "long", "source": "chat-rated", "origin": "m", "messages": long_turns})
    pairs = [
        {
            "id": f"p{i}",
            "origin": f"m{i}",
            "prompt": [{"role": "user", "content": r["text"]}],
            "chosen": [{"role": "assistant", "content": r["translation"]}],
            "rejected": [{"role": "assistant", "content": "no idea"}],
        }
        for i, r in enumerate(records)
    ]
    (run / "dataset").mkdir(parents=True)
    write_jsonl(run / "dataset" / "train.jsonl", rows)
    write_jsonl(run / "dataset" / "preferences.jsonl", pairs)
    config = tiny_base.parent / "preference.toml"
    text = config_text(tiny_base, tiny_base.parent / "not-this-dataset", tiny_base.parent / "not-this-run", max_steps=5)
    config.write_text(text.replace("logging_steps = 5", 'logging_steps = 1\npreference = "dpo"\npreference_steps = 3'))

    result = finetune("train", "--config", str(config), "--run-dir", str(run), python=train_python())
    out = " ".join(ok(result).split())
    assert "1 rows cut to model.max_seq_length (256 tokens) from their oldest turns" in out
    assert "Token indices sequence length" not in result.stdout + result.stderr
    assert f"preference step: TRL DPOTrainer on {len(pairs)} pairs" in out
    metrics = json.loads((run / "train.json").read_text())
    assert metrics["steps"] == 5 and metrics["examples"] == len(rows)
    assert metrics["preference"]["method"] == "dpo" and metrics["preference"]["steps"] == 3
    assert (run / "adapter" / "adapter_config.json").is_file() and not (run / "adapter" / "ref").exists()
    assert json.loads((run / "run.json").read_text())["config"]["train"]["output_dir"] == str(run.resolve())
    assert not (tiny_base.parent / "not-this-run").exists()
