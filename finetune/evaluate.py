"""Held-out loss, perplexity and bits per byte of the base and the tuned model, and their answers
side by side.

Both are measured on one loaded model (the adapter switched off for the base), on the answer tokens
only, exactly what training optimised; the samples are greedy so a rerun shows the same text.

Bits per byte = (sum of answer-token NLL in nats) / ln 2 / (UTF-8 bytes of the answers): unlike a
loss per token it does not depend on the tokenizer, so models with different vocabularies compare.
The held-out rows are copied to ``<heldout dir>/<sha256>.jsonl`` first and read from there: the set
a score was measured on is fixed and named by its content, and the activation gate compares scores
only on the same set. With ``active`` (the chat's active model: an earlier run's adapter, or the
base itself), its score on the same rows is measured too.
"""

from __future__ import annotations

import math
import shutil
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from embedded.process import VAR_DIR
from finetune.chat_rows import fit, prompt_completion, token_counter
from finetune.dataset import EVAL_FILE, load_rows
from finetune.errors import FinetuneError
from finetune.runs import Run, file_sha256
from finetune.train import load_base

DEFAULT_HELDOUT = VAR_DIR / "finetune" / "heldout"


def _encode(tokenizer: Any, messages: list[dict[str, str]], generation_prompt: bool) -> list[int]:
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=generation_prompt)
    return tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"]


@dataclass
class Score:
    nats: float = 0.0
    tokens: int = 0
    bytes: float = 0.0

    @property
    def loss(self) -> float:
        """Mean negative log-likelihood per answer token (token-weighted over all rows)."""
        return self.nats / self.tokens

    @property
    def bpb(self) -> float:
        return self.nats / math.log(2) / self.bytes


def _score(model: Any, tokenizer: Any, rows: list[dict[str, Any]], max_len: int) -> Score:
    """The answer tokens' NLL over all rows, each cut to ``max_len`` from its oldest exchanges as
    training cuts it; an answer still longer is cut at ``max_len`` and counts its bytes in
    proportion to the tokens kept."""
    import torch

    score = Score()
    length = token_counter(tokenizer)
    for row in rows:
        whole_row = prompt_completion(row)
        pair = fit(whole_row, length, max_len) or whole_row
        prompt = _encode(tokenizer, pair["prompt"], generation_prompt=True)
        whole = _encode(tokenizer, pair["prompt"] + pair["completion"], generation_prompt=False)
        full = whole[:max_len]
        labels = [-100] * len(prompt) + full[len(prompt) :]
        count = sum(1 for label in labels[1:] if label != -100)
        if count == 0:
            continue
        with torch.no_grad():
            out = model(input_ids=torch.tensor([full]), labels=torch.tensor([labels[: len(full)]]))
        answer_bytes = sum(len(m["content"].encode("utf-8")) for m in pair["completion"])
        score.nats += float(out.loss) * count
        score.tokens += count
        score.bytes += answer_bytes * count / max(1, len(whole) - len(prompt) - 1)
    if score.tokens == 0:
        raise FinetuneError("no held-out row has answer tokens within model.max_seq_length")
    return score


def heldout_copy(eval_file: Path, heldout_dir: Path) -> tuple[str, Path]:
    """The held-out file under its content's name (kept: later runs and the gate refer to it)."""
    digest = file_sha256(eval_file)
    fixed = heldout_dir / f"{digest}.jsonl"
    if not fixed.is_file():
        heldout_dir.mkdir(parents=True, exist_ok=True)
        tmp = fixed.with_suffix(".tmp")
        shutil.copyfile(eval_file, tmp)
        tmp.replace(fixed)
    return digest, fixed


@dataclass(frozen=True)
class Active:
    """The chat's active model, to score on the same rows: ``adapter`` None means the base itself."""

    model: str
    adapter: Path | None


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


def evaluate(
    run: Run,
    console: Console,
    samples: int = 3,
    max_new_tokens: int = 64,
    heldout_dir: Path | None = None,
    active: Active | None = None,
) -> dict[str, Any]:
    config = run.config()
    eval_file = config.train.dataset / EVAL_FILE
    rows = load_rows(eval_file)
    if not rows:
        raise FinetuneError(
            f"{eval_file} is empty: rebuild the dataset with "
            "`python -m finetune dataset --eval-fraction 0.1` (it needs at least 2 rows)"
        )
    if not (run.adapter / "adapter_config.json").is_file():
        raise FinetuneError(f"{run.adapter} has no trained adapter: run `python -m finetune train` first")
    digest, fixed = heldout_copy(eval_file, heldout_dir or DEFAULT_HELDOUT)
    rows = load_rows(fixed)
    model, tokenizer = load_base(config, console, adapter=run.adapter)
    from unsloth import FastLanguageModel

    model.eval()
    max_len = config.model.max_seq_length
    result: dict[str, Any] = {"held_out_rows": len(rows), "heldout_set": digest, "heldout_rows": len(rows)}
    scores: dict[str, Score] = {}
    for name, adapter_off in (("base", True), ("tuned", False)):
        with model.disable_adapter() if adapter_off else nullcontext():
            scores[name] = _score(model, tokenizer, rows, max_len)
        result[f"{name}_loss"] = round(scores[name].loss, 5)
        result[f"{name}_perplexity"] = round(math.exp(min(scores[name].loss, 50)), 3)
    result["bpb"] = round(scores["tuned"].bpb, 6)
    result["base_bpb"] = round(scores["base"].bpb, 6)
    if active is not None:
        result["active"] = _score_active(model, tokenizer, rows, max_len, active, result["base_bpb"], console)

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
                "messages": pair["prompt"],
                "reference": pair["completion"][0]["content"],
                "base": base,
                "tuned": tuned,
            }
        )
    run.write_json(run.eval_metrics, result)
    _print(result, console)
    return result


def _score_active(
    model: Any,
    tokenizer: Any,
    rows: list[dict[str, Any]],
    max_len: int,
    active: Active,
    base_bpb: float,
    console: Console,
) -> dict[str, Any] | None:
    """The active model's bits per byte: the base's when it is the base, else its adapter loaded
    beside the new one (same base) and scored; None when that adapter cannot be loaded."""
    if active.adapter is None:
        return {"model": active.model, "bpb": base_bpb}
    try:
        model.load_adapter(str(active.adapter), adapter_name="active")
    except (OSError, ValueError, RuntimeError, KeyError) as exc:
        console.print(f"[yellow]the active model's adapter {active.adapter} could not be loaded: {exc}[/]")
        return None
    model.set_adapter("active")
    try:
        score = _score(model, tokenizer, rows, max_len)
    finally:
        model.set_adapter("default")
        model.delete_adapter("active")
    return {"model": active.model, "bpb": round(score.bpb, 6)}


def _print(result: dict[str, Any], console: Console) -> None:
    metrics = Table(title=f"held-out ({result['held_out_rows']} rows, answer tokens; set {result['heldout_set'][:12]})")
    for column in ("model", "loss", "perplexity", "bits/byte"):
        metrics.add_column(column)
    for name, bpb in (("base", result["base_bpb"]), ("tuned", result["bpb"])):
        metrics.add_row(name, f"{result[f'{name}_loss']:.4f}", f"{result[f'{name}_perplexity']:.3f}", f"{bpb:.4f}")
    if result.get("active"):
        metrics.add_row(f"active ({result['active']['model']})", "", "", f"{result['active']['bpb']:.4f}")
    console.print(metrics)
    side = Table(title="samples (greedy)", show_lines=True)
    for column in ("prompt", "reference", "base", "tuned"):
        side.add_column(column, overflow="fold")
    for sample in result["samples"]:
        side.add_row(sample["prompt"], sample["reference"], sample["base"], sample["tuned"])
    console.print(side)
