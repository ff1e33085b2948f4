"""Held-out loss and perplexity of the base and the tuned model, and their answers side by side.

Both are measured on one loaded model (the adapter switched off for the base), on the answer tokens
only, exactly what training optimised; the samples are greedy so a rerun shows the same text.
"""

from __future__ import annotations

import math
from contextlib import nullcontext
from typing import Any

from rich.console import Console
from rich.table import Table

from finetune.chat_rows import prompt_completion
from finetune.dataset import EVAL_FILE, load_rows
from finetune.errors import FinetuneError
from finetune.runs import Run
from finetune.train import load_base


def _encode(tokenizer: Any, messages: list[dict[str, str]], generation_prompt: bool) -> list[int]:
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation_prompt)
    return tokenizer(text, add_special_tokens=False)["input_ids"]


def _answer_loss(model: Any, tokenizer: Any, rows: list[dict[str, Any]], max_len: int) -> float:
    """Mean negative log-likelihood per answer token over all rows (token-weighted)."""
    import torch

    total = tokens = 0.0
    for row in rows:
        pair = prompt_completion(row)
        prompt = _encode(tokenizer, pair["prompt"], generation_prompt=True)
        full = _encode(tokenizer, pair["prompt"] + pair["completion"], generation_prompt=False)[:max_len]
        labels = [-100] * len(prompt) + full[len(prompt) :]
        count = sum(1 for label in labels[1:] if label != -100)
        if count == 0:
            continue
        with torch.no_grad():
            out = model(input_ids=torch.tensor([full]), labels=torch.tensor([labels[: len(full)]]))
        total += float(out.loss) * count
        tokens += count
    if tokens == 0:
        raise FinetuneError("no held-out row has answer tokens within model.max_seq_length")
    return total / tokens


def _generate(model: Any, tokenizer: Any, prompt: list[dict[str, str]], max_new_tokens: int) -> str:
    import torch

    ids = torch.tensor([_encode(tokenizer, prompt, generation_prompt=True)])
    with torch.no_grad():
        out = model.generate(
            input_ids=ids,
            attention_mask=torch.ones_like(ids),
            max_new_tokens=max_new_tokens,
            do_sample=False,
            pad_token_id=tokenizer.pad_token_id or tokenizer.eos_token_id,
        )
    return tokenizer.decode(out[0][ids.shape[1] :], skip_special_tokens=True).strip()


def evaluate(run: Run, console: Console, samples: int = 3, max_new_tokens: int = 64) -> dict[str, Any]:
    config = run.config()
    rows = load_rows(config.train.dataset / EVAL_FILE)
    if not rows:
        raise FinetuneError(
            f"{config.train.dataset / EVAL_FILE} is empty: rebuild the dataset with "
            "`python -m finetune dataset --eval-fraction 0.1` (it needs at least 2 rows)"
        )
    if not (run.adapter / "adapter_config.json").is_file():
        raise FinetuneError(f"{run.adapter} has no trained adapter: run `python -m finetune train` first")
    model, tokenizer = load_base(config, console, adapter=run.adapter)
    from unsloth import FastLanguageModel

    model.eval()
    max_len = config.model.max_seq_length
    result: dict[str, Any] = {"held_out_rows": len(rows)}
    for name, adapter_off in (("base", True), ("tuned", False)):
        with model.disable_adapter() if adapter_off else nullcontext():
            loss = _answer_loss(model, tokenizer, rows, max_len)
        result[f"{name}_loss"] = round(loss, 5)
        result[f"{name}_perplexity"] = round(math.exp(min(loss, 50)), 3)

    FastLanguageModel.for_inference(model)
    result["samples"] = []
    for row in rows[:samples]:
        pair = prompt_completion(row)
        with model.disable_adapter():
            base = _generate(model, tokenizer, pair["prompt"], max_new_tokens)
        tuned = _generate(model, tokenizer, pair["prompt"], max_new_tokens)
        result["samples"].append(
            {
                "prompt": pair["prompt"][-1]["content"],
                "reference": pair["completion"][0]["content"],
                "base": base,
                "tuned": tuned,
            }
        )
    run.write_json(run.eval_metrics, result)
    _print(result, console)
    return result


def _print(result: dict[str, Any], console: Console) -> None:
    metrics = Table(title=f"held-out ({result['held_out_rows']} rows, answer tokens)")
    for column in ("model", "loss", "perplexity"):
        metrics.add_column(column)
    for name in ("base", "tuned"):
        metrics.add_row(name, f"{result[f'{name}_loss']:.4f}", f"{result[f'{name}_perplexity']:.3f}")
    console.print(metrics)
    side = Table(title="samples (greedy)", show_lines=True)
    for column in ("prompt", "reference", "base", "tuned"):
        side.add_column(column, overflow="fold")
    for sample in result["samples"]:
        side.add_row(sample["prompt"], sample["reference"], sample["base"], sample["tuned"])
    console.print(side)
