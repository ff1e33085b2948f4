"""The layout of one training run's folder (``train.output_dir``), shared by every later step.

```
run.json          config fingerprint + dataset digest (resume refuses a different run)
checkpoints/      Trainer checkpoints (resume after a crash)
adapter/          the final LoRA adapter and tokenizer (PEFT format)
train.json        training metrics          eval.json   held-out metrics and samples
export/           GGUF files, Modelfiles and manifest.json (what register uploads)
```
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from finetune.config import RunConfig
from finetune.errors import FinetuneError

# Set by the worker for its child steps: where training appends its JSON progress lines.
PROGRESS_FILE_ENV = "HADRA_PROGRESS_FILE"
_CHECKPOINT = re.compile(r"^checkpoint-(\d+)$")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Run:
    root: Path

    @property
    def manifest(self) -> Path:
        return self.root / "run.json"

    @property
    def checkpoints(self) -> Path:
        return self.root / "checkpoints"

    @property
    def adapter(self) -> Path:
        return self.root / "adapter"

    @property
    def export(self) -> Path:
        return self.root / "export"

    @property
    def train_metrics(self) -> Path:
        return self.root / "train.json"

    @property
    def eval_metrics(self) -> Path:
        return self.root / "eval.json"

    def latest_checkpoint(self) -> Path | None:
        """The newest checkpoint that finished saving (trainer_state.json is written last)."""
        if not self.checkpoints.is_dir():
            return None
        complete = [
            (int(m.group(1)), p)
            for p in self.checkpoints.iterdir()
            if (m := _CHECKPOINT.match(p.name)) and (p / "trainer_state.json").is_file()
        ]
        return max(complete)[1] if complete else None

    def read_json(self, path: Path, produced_by: str) -> dict[str, Any]:
        if not path.is_file():
            raise FinetuneError(f"{path} not found: run `python -m finetune {produced_by}` for this run first")
        return json.loads(path.read_text(encoding="utf-8"))

    def write_json(self, path: Path, data: dict[str, Any]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
        tmp.replace(path)

    def config(self) -> RunConfig:
        """The config the run was trained with (export/eval/register need no --config)."""
        data = self.read_json(self.manifest, "train --config FILE")
        return RunConfig.model_validate(data["config"])

    def claim(self, config: RunConfig, dataset_digest: str, fresh: bool) -> Path | None:
        """Record this run; return the checkpoint to resume from, if the folder holds the same run."""
        current: dict[str, Any] = {"fingerprint": config.fingerprint(), "dataset_sha256": dataset_digest}
        checkpoint = None if fresh else self.latest_checkpoint()
        if checkpoint is not None and self.manifest.is_file():
            previous = json.loads(self.manifest.read_text(encoding="utf-8"))
            changed = _changed_keys(previous.get("fingerprint", {}), current["fingerprint"])
            if previous.get("dataset_sha256") != dataset_digest:
                changed.append("dataset (train.jsonl changed)")
            if changed:
                raise FinetuneError(
                    f"{self.root} holds a run trained with a different setup ({', '.join(changed)}); "
                    "resuming it would mix two runs. Use another train.output_dir, or pass --fresh to "
                    "discard its checkpoints and start over."
                )
        if fresh:
            shutil.rmtree(self.checkpoints, ignore_errors=True)
        self.write_json(self.manifest, {**current, "config": json.loads(config.model_dump_json())})
        return checkpoint


def _changed_keys(old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> list[str]:
    keys = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            keys += _changed_keys(a, b, f"{prefix}{key}.")
        elif a != b:
            keys.append(f"{prefix}{key}")
    return keys
