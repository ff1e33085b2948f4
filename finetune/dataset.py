"""Build the SFT dataset: merge the sources, drop duplicate prompts, split off a held-out set, write.

Output (``--out``, default ``var/finetune/dataset``; ``--run-dir DIR`` writes ``DIR/dataset``):
``train.jsonl`` and ``eval.jsonl`` with one ``{id, source, origin, messages}`` row a line (each
chat row under its own conversation's system prompt, or none; translation rows under the
translation prompt), ``preferences.jsonl`` with the 👎 answers and their better siblings
(``{id, origin, prompt, chosen, rejected}``, for the preference step), and ``summary.json`` with
the counts.

The split is by a hash of the prompt, not by a random draw: rebuilding after new data arrives keeps
every old row on the side it was on, so a held-out row never leaks into a later training set (nor
into the preference pairs: a pair whose prompt would be held out is left out).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from finetune.errors import FinetuneError
from finetune.examples import SOURCE_PRIORITY, Example, Preference
from finetune.sources import SourceResult

TRAIN_FILE, EVAL_FILE, SUMMARY_FILE = "train.jsonl", "eval.jsonl", "summary.json"
PREFERENCES_FILE = "preferences.jsonl"


@dataclass
class Dataset:
    train: list[Example] = field(default_factory=list)
    held_out: list[Example] = field(default_factory=list)
    duplicates: int = 0
    conflicts: int = 0  # duplicates whose answers differ: the higher-priority source's answer was kept
    preferences: list[Preference] = field(default_factory=list)
    preferences_held_out: int = 0  # pairs left out because their prompt is (or would be) held out


def deduplicate(examples: Iterable[Example]) -> tuple[list[Example], int, int]:
    """One example per prompt; human corrections first, then 👍 answers, then machine translations."""
    ordered = sorted(examples, key=lambda e: SOURCE_PRIORITY.get(e.source, len(SOURCE_PRIORITY)))
    kept: dict[str, Example] = {}
    duplicates = conflicts = 0
    for example in ordered:
        first = kept.get(example.key)
        if first is None:
            kept[example.key] = example
            continue
        duplicates += 1
        if first.assistant.strip() != example.assistant.strip():
            conflicts += 1
    return list(kept.values()), duplicates, conflicts


def _under(key: str, eval_fraction: float) -> bool:
    return int(key[:8], 16) < int(eval_fraction * 2**32)


def split(examples: Sequence[Example], eval_fraction: float) -> tuple[list[Example], list[Example]]:
    """Held out: rows whose prompt hash falls under ``eval_fraction``; at least one when there are two."""
    held = [e for e in examples if _under(e.key, eval_fraction)]
    if eval_fraction > 0 and not held and len(examples) >= 2:
        held = [min(examples, key=lambda e: e.key)]
    if len(held) == len(examples) and examples:
        held = held[:-1] if len(held) > 1 else []
    held_keys = {e.key for e in held}
    return [e for e in examples if e.key not in held_keys], held


def build(results: Sequence[SourceResult], eval_fraction: float, preferences: Sequence[Preference] = ()) -> Dataset:
    if not 0 <= eval_fraction < 1:
        raise FinetuneError(f"--eval-fraction must be in [0, 1), got {eval_fraction}")
    unique, duplicates, conflicts = deduplicate(e for r in results for e in r.examples)
    if not unique:
        raise FinetuneError(_no_rows_message(results))
    train, held_out = split(unique, eval_fraction)
    held_keys = {e.key for e in held_out}
    pairs: dict[str, Preference] = {}
    for pair in preferences:  # newest first: one pair per prompt, the latest
        pairs.setdefault(pair.key, pair)
    kept = [p for p in pairs.values() if p.key not in held_keys and not _under(p.key, eval_fraction)]
    return Dataset(
        train=sorted(train, key=lambda e: e.key),
        held_out=sorted(held_out, key=lambda e: e.key),
        duplicates=duplicates,
        conflicts=conflicts,
        preferences=sorted(kept, key=lambda p: p.key),
        preferences_held_out=len(pairs) - len(kept),
    )


def _no_rows_message(results: Sequence[SourceResult]) -> str:
    if not results:
        return "no usable rows: no sources given; pass --translations FILE and/or read chat data from MongoDB"
    lines = []
    for result in results:
        reasons = ", ".join(f"{n} {why}" for why, n in result.skipped.most_common()) or "nothing skipped"
        lines.append(f"  {result.name}: {result.read} read ({reasons})")
    return (
        "no usable rows: every source was empty or every row was skipped:\n"
        + "\n".join(lines)
        + "\nA row needs a non-empty user text and answer: translation records need 'text' and "
        "'translation'; chat answers must be complete and rated up or edited."
    )


def write(
    dataset: Dataset,
    out: Path,
    results: Sequence[SourceResult],
    translation_prompt: str,
    preferences_skipped: Mapping[str, int] | None = None,
) -> dict:
    """Write the files atomically enough: each file is complete before it is renamed in place."""
    out.mkdir(parents=True, exist_ok=True)
    files: tuple[tuple[str, Sequence[Example | Preference]], ...] = (
        (TRAIN_FILE, dataset.train),
        (EVAL_FILE, dataset.held_out),
        (PREFERENCES_FILE, dataset.preferences),
    )
    for name, rows in files:
        tmp = out / f".{name}.tmp"
        with tmp.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row.to_row(), ensure_ascii=False) + "\n")
        tmp.replace(out / name)
    summary = {
        "translation_system_prompt": translation_prompt,
        "train": len(dataset.train),
        "eval": len(dataset.held_out),
        "duplicates_removed": dataset.duplicates,
        "conflicting_duplicates": dataset.conflicts,
        "by_source": dict(Counter(e.source for e in dataset.train + dataset.held_out)),
        "preference_pairs": len(dataset.preferences),
        "preference_pairs_held_out": dataset.preferences_held_out,
        "preferences_skipped": dict(preferences_skipped or {}),
        "sources": [
            {"name": r.name, "read": r.read, "usable": len(r.examples), "skipped": dict(r.skipped)} for r in results
        ],
    }
    (out / SUMMARY_FILE).write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    return summary


def print_summary(summary: dict, out: Path, console: Console) -> None:
    table = Table(title="SFT dataset sources")
    for column in ("source", "read", "usable", "skipped"):
        table.add_column(column, justify="left" if column in ("source", "skipped") else "right")
    for source in summary["sources"]:
        skipped = ", ".join(f"{n} {why}" for why, n in source["skipped"].items()) or "-"
        table.add_row(source["name"], str(source["read"]), str(source["usable"]), skipped)
    console.print(table)
    console.print(
        f"duplicates removed: {summary['duplicates_removed']} "
        f"({summary['conflicting_duplicates']} with a different answer; the better source's answer kept)\n"
        f"[bold]train {summary['train']}[/] · [bold]held-out {summary['eval']}[/] · "
        f"[bold]preference pairs {summary['preference_pairs']}[/] → {out}"
    )
    if summary["preferences_skipped"]:
        reasons = ", ".join(f"{n} {why}" for why, n in summary["preferences_skipped"].items())
        console.print(f"👎 answers without a pair: {reasons}")


def load_rows(path: Path) -> list[dict]:
    """Rows of a dataset file written by :func:`write` (train and eval read it back)."""
    if not path.exists():
        raise FinetuneError(f"dataset file not found: {path}; build it with `python -m finetune dataset`")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows
