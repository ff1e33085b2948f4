"""The preference step after SFT: TRL's DPO or ORPO on the dataset's 👎 pairs (``preferences.jsonl``:
a prompt, the better answer and the 👎 one), when the config asks for it (``train.preference``) and
there are pairs. It trains the same LoRA adapter further.

DPO's reference is the SFT model itself: given a PEFT model and no reference, TRL copies the trained
adapter into a frozen ``ref`` adapter (only ``default`` is saved). ORPO needs no reference.
"""

from __future__ import annotations

import os
import time
from typing import Any

from rich.console import Console

from finetune.chat_rows import fit, token_counter
from finetune.config import RunConfig
from finetune.dataset import PREFERENCES_FILE, load_rows
from finetune.runs import Run


def _fitted(rows: list[dict[str, Any]], tokenizer: Any, max_length: int) -> list[dict[str, Any]]:
    """Each pair with its prompt cut (oldest turns first) so prompt + the longer answer fits."""
    length = token_counter(tokenizer)
    kept = []
    for row in rows:
        longer = max(row["chosen"], row["rejected"], key=lambda answer: length(row["prompt"] + answer))
        cut = fit({"prompt": row["prompt"], "completion": longer}, length, max_length)
        if cut is not None:
            kept.append({"prompt": cut["prompt"], "chosen": row["chosen"], "rejected": row["rejected"]})
    return kept


def preference_step(config: RunConfig, run: Run, model: Any, tokenizer: Any, console: Console) -> dict[str, Any] | None:
    """Run the configured step on ``model`` (the SFT-trained PEFT model); its metrics, or None when off."""
    method = config.train.preference
    if method == "off":
        return None
    path = config.train.dataset / PREFERENCES_FILE
    rows = _fitted(load_rows(path) if path.exists() else [], tokenizer, config.model.max_seq_length)
    if not rows:
        console.print(f"preference step ({method}) skipped: no 👎 answer with a better sibling in {path}")
        return {"method": method, "pairs": 0, "steps": 0}

    import datasets
    import torch
    from transformers import PrinterCallback

    from finetune.progress import RichProgress

    on_gpu = torch.cuda.is_available()
    common: dict[str, Any] = {
        "output_dir": str(run.root / "preference"),
        "num_train_epochs": 1,
        "max_steps": config.train.preference_steps or -1,
        "per_device_train_batch_size": config.train.batch_size,
        "gradient_accumulation_steps": config.train.gradient_accumulation_steps,
        "learning_rate": config.train.learning_rate,
        "logging_steps": config.train.logging_steps,
        "beta": config.train.preference_beta,
        "max_length": config.model.max_seq_length,
        "save_strategy": "no",
        "seed": config.train.seed,
        "use_cpu": not on_gpu,
        "disable_tqdm": True,
        "report_to": "none",
    }
    if method == "dpo":
        from trl import DPOConfig, DPOTrainer

        trainer_class: Any = DPOTrainer
        args: Any = DPOConfig(**common)
    else:
        os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")  # ORPO lives in trl.experimental in TRL 1.15
        from trl.experimental.orpo import ORPOConfig, ORPOTrainer

        trainer_class, args = ORPOTrainer, ORPOConfig(**common, remove_unused_columns=False)
    console.print(f"preference step: TRL {trainer_class.__name__} on {len(rows)} pairs")
    started = time.monotonic()
    progress = RichProgress(console)
    trainer = trainer_class(
        model=model,
        args=args,
        train_dataset=datasets.Dataset.from_list(rows),
        processing_class=tokenizer,
        callbacks=[progress],
    )
    trainer.remove_callback(PrinterCallback)
    result = trainer.train()
    return {
        "method": method,
        "pairs": len(rows),
        "steps": trainer.state.global_step,
        "train_loss": float(result.training_loss),
        "wall_s": round(time.monotonic() - started, 2),
    }
