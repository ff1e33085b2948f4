"""The training run's config file: TOML, strictly checked.

Why strict: a misspelt key (``lerning_rate``) silently ignored means hours of GPU time spent on the
wrong run. Every section forbids unknown keys and the error names the key, the file and the keys that
are allowed.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails

from finetune.errors import FinetuneError

# The outtypes llama.cpp's convert_hf_to_gguf.py writes itself; k-quants need llama-quantize.
CONVERTER_OUTTYPES = ("f32", "f16", "bf16", "q8_0")
QUANTIZE_OUTTYPES = ("q4_k_m", "q5_k_m", "q6_k", "q4_0")
DEFAULT_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelSection(_Section):
    """The base model: a local Hugging Face directory, or a hub id (only then is anything downloaded)."""

    base: str
    # A GGUF that ``base`` is converted from, once (finetune/gguf_base.py): "shipped" (the model the
    # embedded Ollama serves) or a Gemma 3 GGUF file. Empty: ``base`` is a Hugging Face folder or hub id.
    gguf: str = ""
    max_seq_length: int = Field(2048, ge=16)
    load_in_4bit: bool = False
    dtype: Literal["auto", "float32", "bfloat16", "float16"] = "auto"


class LoraSection(_Section):
    r: int = Field(16, ge=1)
    alpha: int = Field(16, ge=1)
    dropout: float = Field(0.0, ge=0.0, lt=1.0)
    target_modules: list[str] = Field(default_factory=lambda: list(DEFAULT_TARGETS), min_length=1)


class TrainSection(_Section):
    dataset: Path
    output_dir: Path
    learning_rate: float = Field(2e-4, gt=0)
    epochs: float = Field(1.0, gt=0)
    max_steps: int = Field(0, ge=0, description="> 0 overrides epochs")
    batch_size: int = Field(2, ge=1)
    gradient_accumulation_steps: int = Field(4, ge=1)
    warmup_steps: int = Field(5, ge=0)
    weight_decay: float = Field(0.01, ge=0)
    lr_scheduler: Literal["linear", "cosine", "constant"] = "linear"
    save_steps: int = Field(50, ge=1)
    save_total_limit: int = Field(3, ge=1)
    logging_steps: int = Field(1, ge=1)
    seed: int = 3407
    # After SFT, a preference step on the dataset's 👎 pairs (preferences.jsonl), when it has any.
    preference: Literal["off", "dpo", "orpo"] = "off"
    preference_beta: float = Field(0.1, gt=0)
    preference_steps: int = Field(0, ge=0, description="> 0 overrides one epoch over the pairs")


ExportForm = Literal["adapter", "merged"]
EXPORT_FORMS: tuple[ExportForm, ...] = ("adapter", "merged")


class ExportSection(_Section):
    formats: list[ExportForm] = Field(default_factory=lambda: list(EXPORT_FORMS), min_length=1)
    outtype: Literal["f32", "f16", "bf16", "q8_0", "q4_k_m", "q5_k_m", "q6_k", "q4_0"] = "q8_0"
    # The Ollama model the adapter is applied to (same weights as model.base). Empty: export converts
    # the base to GGUF too, and register uploads it with the adapter.
    ollama_base: str = ""

    @model_validator(mode="after")
    def _unique_formats(self) -> ExportSection:
        if len(set(self.formats)) != len(self.formats):
            raise ValueError(f"export.formats lists a format twice: {self.formats}")
        return self


class RunConfig(_Section):
    model: ModelSection
    lora: LoraSection = LoraSection()
    train: TrainSection
    export: ExportSection = ExportSection()

    def in_run_dir(self, run_dir: Path) -> RunConfig:
        """This config with the run's own folder: the dataset in ``run_dir/dataset``, checkpoints,
        adapter and export in ``run_dir``, so a second run never touches a registered one's files."""
        run_dir = run_dir.resolve()
        train = self.train.model_copy(update={"dataset": run_dir / "dataset", "output_dir": run_dir})
        return self.model_copy(update={"train": train})

    def fingerprint(self) -> dict[str, Any]:
        """What must not change between a crashed run and its resume (logging/saving may)."""
        data = json.loads(self.model_dump_json())
        for key in ("save_steps", "save_total_limit", "logging_steps"):
            data["train"].pop(key)
        data.pop("export")
        return data


def _describe(error: ErrorDetails, path: Path) -> str:
    where = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        section = where.rpartition(".")[0]
        place = f"[{section}]" if section else "the top level (sections)"
        hint = f"; allowed in {place}: {', '.join(_allowed_keys(section))}"
        return f"{path}: unknown key '{where}'{hint}"
    if error["type"] == "missing":
        return f"{path}: missing required key '{where}'"
    return f"{path}: '{where}': {error['msg']} (got {error.get('input')!r})"


def _allowed_keys(section: str) -> list[str]:
    models: dict[str, type[BaseModel]] = {
        "": RunConfig,
        "model": ModelSection,
        "lora": LoraSection,
        "train": TrainSection,
        "export": ExportSection,
    }
    model = models.get(section)
    return list(model.model_fields) if model else []


def parse(data: dict[str, Any], path: Path) -> RunConfig:
    """Validate ``data`` (from ``path``, for messages); relative paths are taken from the file's folder."""
    try:
        config = RunConfig.model_validate(data)
    except ValidationError as exc:
        problems = "\n  ".join(_describe(error, path) for error in exc.errors())
        raise FinetuneError(f"invalid training config:\n  {problems}") from None
    base = path.parent
    train = config.train.model_copy(
        update={
            "dataset": (base / config.train.dataset).resolve(),
            "output_dir": (base / config.train.output_dir).resolve(),
        }
    )
    model = config.model
    # A base converted from a GGUF is a folder even before its first conversion made it.
    if model.gguf or (base / model.base).expanduser().is_dir():
        model = model.model_copy(update={"base": str((base / model.base).expanduser().resolve())})
    return config.model_copy(update={"train": train, "model": model})


def load(path: Path) -> RunConfig:
    """Read and check a TOML config file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FinetuneError(f"config file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise FinetuneError(f"{path} is not valid TOML: {exc}") from None
    return parse(data, path)
