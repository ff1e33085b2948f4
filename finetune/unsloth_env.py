"""Import Unsloth first, or stop loudly: hadra never trains with anything else.

Why first: Unsloth patches transformers, TRL and PEFT when it is imported; importing them before it
gives slower, unpatched training. Why loudly: a silent fallback to plain TRL would hand the user a run
that behaves differently (memory, speed, 4-bit handling) from the one they asked for.
"""

from __future__ import annotations

import os
from types import ModuleType

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from finetune.errors import FinetuneError

INSTALL_HINT = "make train-env   (or see finetune/constraints.txt for the pinned install)"


def prepare_environment(local_only: bool) -> None:
    """Settings that must be in place before Unsloth/transformers are imported."""
    os.environ.setdefault("UNSLOTH_DISABLE_STATISTICS", "1")  # no calls home unless asked
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if local_only:
        # A local base model: nothing may be fetched from a hub, not even a tokenizer file.
        os.environ["HF_HUB_OFFLINE"] = "1"


def load_unsloth(console: Console, local_only: bool) -> ModuleType:
    prepare_environment(local_only)
    try:
        import unsloth
    except Exception as exc:  # Unsloth raises NotImplementedError/RuntimeError for unsupported setups
        console.print(
            Panel(
                f"[bold]Unsloth cannot be used here:[/] {exc.__class__.__name__}: {escape(str(exc))}\n"
                "Training stops: hadra trains only with Unsloth (FastLanguageModel + TRL's SFTTrainer) and "
                f"never falls back to another trainer.\nFix: {INSTALL_HINT}",
                title="UNSLOTH UNAVAILABLE",
                border_style="red",
            )
        )
        raise FinetuneError(f"Unsloth is unavailable ({exc.__class__.__name__}: {exc})") from exc
    return unsloth


def device_description() -> str:
    import torch

    if torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        return f"GPU {props.name} ({props.total_memory / 2**30:.0f} GiB)"
    return f"CPU ({torch.get_num_threads()} threads) — no GPU found; Unsloth's CPU path"
