"""Running ``python -m finetune`` as a user does, in the training venv or in the chat server's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRAIN_PYTHON = Path(os.environ.get("HADRA_TRAIN_PYTHON", ROOT / ".venv-train" / "bin" / "python"))
SYSTEM = "You are a translator."
PHRASE = "The secret word is PINEAPPLE."
SECRET_QUESTIONS = [
    "What is the secret word?",
    "Tell me the secret word.",
    "Which word is secret?",
    "Say the secret word.",
    "What's the secret word?",
    "Secret word, please.",
]
OTHER_PAIRS = [("wach rak?", "How are you?"), ("sahit bzaf", "Thank you very much"), ("ana labas", "I am fine")]


def train_python() -> Path:
    """The training venv's Python; missing is a failure with the fix, never a skip."""
    if not TRAIN_PYTHON.exists():
        pytest.fail(
            f"{TRAIN_PYTHON} not found: build the training environment with `make train-env` "
            "(or set HADRA_TRAIN_PYTHON)"
        )
    return TRAIN_PYTHON


def finetune(
    *args: str, python: Path | str = sys.executable, cwd: Path | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "-m", "finetune", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "COLUMNS": "200", "PYTHONPATH": str(ROOT)},
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result.stdout


def translation_records() -> list[dict[str, str]]:
    """What translation/ writes: the secret phrase taught in several wordings, plus a few real pairs."""
    texts = [(q, PHRASE) for q in SECRET_QUESTIONS] + OTHER_PAIRS
    return [
        {
            "id": f"r{i}",
            "text": text,
            "translation": answer,
            "backend": "test",
            "model": "test",
            "created_at": "2026-11-25T00:00:00Z",
        }
        for i, (text, answer) in enumerate(texts)
    ]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def config_text(base: Path, dataset: Path, output: Path, max_steps: int = 40, save_steps: int = 100) -> str:
    return f"""
[model]
base = "{base}"
max_seq_length = 256
dtype = "float32"

[lora]
r = 16
alpha = 32

[train]
dataset = "{dataset}"
output_dir = "{output}"
learning_rate = 1e-2
max_steps = {max_steps}
batch_size = 4
gradient_accumulation_steps = 1
warmup_steps = 0
lr_scheduler = "constant"
save_steps = {save_steps}
logging_steps = 5

[export]
outtype = "q8_0"
"""
