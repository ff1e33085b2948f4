"""LoRA training with Unsloth (FastLanguageModel + TRL's SFTTrainer), resumable after a crash.

Checkpoints go to ``<output_dir>/checkpoints`` every ``train.save_steps``; running the same command
again continues from the newest complete one (same config and dataset, or it refuses). The finished
adapter lands in ``<output_dir>/adapter`` with the tokenizer, and ``train.json`` holds the metrics.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from rich.console import Console

from finetune.chat_rows import fit, prompt_completion, token_counter
from finetune.config import RunConfig
from finetune.dataset import EVAL_FILE, TRAIN_FILE, load_rows
from finetune.errors import FinetuneError
from finetune.runs import Run, file_sha256
from finetune.unsloth_env import device_description, load_unsloth

_DTYPES = {"auto": None, "float32": "float32", "bfloat16": "bfloat16", "float16": "float16"}


def is_local(base: str) -> bool:
    return Path(base).is_dir()


def load_base(config: RunConfig, console: Console, adapter: Path | None = None) -> tuple[Any, Any]:
    """The base model and tokenizer through Unsloth (its CPU path when there is no GPU).

    With ``adapter`` (a trained run's adapter folder), Unsloth loads the base named in it and applies
    the adapter, returning a PEFT model with Unsloth's merge/save helpers attached.
    """
    if config.model.gguf:
        from finetune.gguf_base import ensure

        ensure(Path(config.model.base), config.model.gguf, console)
    unsloth = load_unsloth(console, local_only=is_local(config.model.base))
    import torch

    dtype = _DTYPES[config.model.dtype]
    if config.model.load_in_4bit and not torch.cuda.is_available():
        console.print(
            "[yellow]load_in_4bit on CPU: bitsandbytes' CPU 4-bit kernels are slow; "
            "set model.load_in_4bit = false for small models[/]"
        )
    model, tokenizer = unsloth.FastLanguageModel.from_pretrained(
        model_name=str(adapter) if adapter else config.model.base,
        max_seq_length=config.model.max_seq_length,
        load_in_4bit=config.model.load_in_4bit,
        dtype=getattr(torch, dtype) if dtype else None,
        local_files_only=is_local(config.model.base),
    )
    if not getattr(tokenizer, "chat_template", None):
        raise FinetuneError(
            f"the tokenizer of {config.model.base} has no chat template; use an instruct "
            "model or add a chat_template to its tokenizer_config.json"
        )
    return model, tokenizer


def train(config: RunConfig, console: Console, fresh: bool = False) -> dict[str, Any]:
    run = Run(config.train.output_dir)
    train_file = config.train.dataset / TRAIN_FILE
    rows = load_rows(train_file)
    if not rows:
        raise FinetuneError(
            f"{train_file} has no rows: nothing to train on; rebuild the dataset with "
            "`python -m finetune dataset` from sources with usable rows"
        )
    pairs = [prompt_completion(row) for row in rows]
    eval_file = config.train.dataset / EVAL_FILE
    held_out = len(load_rows(eval_file)) if eval_file.exists() else 0
    resume_from = run.claim(config, file_sha256(train_file), fresh)

    started = time.monotonic()
    model, tokenizer = load_base(config, console)
    examples = _fitted(pairs, tokenizer, config.model.max_seq_length, console)
    import datasets
    import torch
    from transformers import PrinterCallback
    from trl import SFTConfig, SFTTrainer
    from unsloth import FastLanguageModel, is_bfloat16_supported  # after load_unsloth: patched order

    from finetune.progress import RichProgress, machine_progress

    datasets.disable_progress_bars()
    on_gpu = torch.cuda.is_available()
    console.print(
        f"device: [bold]{device_description()}[/] · trainer: Unsloth FastLanguageModel + TRL "
        f"SFTTrainer · {len(examples)} examples ({held_out} held out)"
    )
    model = FastLanguageModel.get_peft_model(
        model,
        r=config.lora.r,
        lora_alpha=config.lora.alpha,
        lora_dropout=config.lora.dropout,
        target_modules=config.lora.target_modules,
        use_gradient_checkpointing="unsloth" if on_gpu else False,
        random_state=config.train.seed,
    )
    bf16 = on_gpu and is_bfloat16_supported()
    args = SFTConfig(
        output_dir=str(run.checkpoints),
        num_train_epochs=config.train.epochs,
        max_steps=config.train.max_steps or -1,
        per_device_train_batch_size=config.train.batch_size,
        gradient_accumulation_steps=config.train.gradient_accumulation_steps,
        learning_rate=config.train.learning_rate,
        warmup_steps=config.train.warmup_steps,
        weight_decay=config.train.weight_decay,
        lr_scheduler_type=config.train.lr_scheduler,
        logging_steps=config.train.logging_steps,
        save_strategy="steps",
        save_steps=config.train.save_steps,
        save_total_limit=config.train.save_total_limit,
        seed=config.train.seed,
        max_length=config.model.max_seq_length,
        completion_only_loss=True,
        bf16=bf16,
        fp16=on_gpu and not bf16,
        use_cpu=not on_gpu,
        # TRL turns it on by default; on CPU it only recomputes every layer's forward (a third more
        # time per step) to save memory a LoRA on a small model does not need.
        gradient_checkpointing=on_gpu,
        disable_tqdm=True,
        report_to="none",
    )
    progress = RichProgress(console)
    trainer = SFTTrainer(
        model=model,
        processing_class=tokenizer,
        args=args,
        callbacks=[progress, *machine_progress()],
        train_dataset=datasets.Dataset.from_list(examples),
    )
    trainer.remove_callback(PrinterCallback)
    if resume_from is not None:
        console.print(f"[bold cyan]resuming from {resume_from.name}[/] (the run was interrupted)")
    result = trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
    from finetune.preference import preference_step

    preference = preference_step(config, run, model, tokenizer, console)
    model.save_pretrained(str(run.adapter), selected_adapters=["default"])
    tokenizer.save_pretrained(str(run.adapter))

    metrics = {
        "base_model": config.model.base,
        "device": device_description(),
        "examples": len(examples),
        "steps": trainer.state.global_step,
        "epochs": round(float(trainer.state.epoch or 0), 4),
        "train_loss": float(result.training_loss),
        "final_loss": progress.losses[-1][1] if progress.losses else None,
        "losses": progress.losses,
        "resumed_from": resume_from.name if resume_from else None,
        "preference": preference,
        "wall_s": round(time.monotonic() - started, 2),
        "unsloth_version": _version("unsloth"),
    }
    run.write_json(run.train_metrics, metrics)
    console.print(
        f"[green]adapter saved[/] → {run.adapter} · {metrics['steps']} steps · "
        f"loss {metrics['final_loss']} · {metrics['wall_s']} s"
        + (
            f" · {preference['method']} {preference['steps']} steps on {preference['pairs']} pairs"
            if preference
            else ""
        )
    )
    return metrics


def _fitted(pairs: list[dict[str, Any]], tokenizer: Any, max_length: int, console: Console) -> list[dict[str, Any]]:
    """Every row cut to ``max_length`` from its oldest turns; rows whose last question and answer
    alone are longer are left out (and counted), so nothing is truncated blindly."""
    length = token_counter(tokenizer)
    fitted = [fit(pair, length, max_length) for pair in pairs]
    kept = [pair for pair in fitted if pair is not None]
    cut = sum(1 for before, after in zip(pairs, fitted, strict=True) if after and after["prompt"] != before["prompt"])
    if cut or len(kept) < len(pairs):
        console.print(
            f"{cut} rows cut to model.max_seq_length ({max_length} tokens) from their oldest turns; "
            f"{len(pairs) - len(kept)} longer than that with their last question alone, left out"
        )
    if not kept:
        raise FinetuneError(
            f"every row is longer than model.max_seq_length ({max_length} tokens) with its last question and "
            "answer alone: raise model.max_seq_length"
        )
    return kept


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)
