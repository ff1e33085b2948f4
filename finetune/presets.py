"""Training presets: what an admin picks when starting a run, and what the worker renders into the
run's own folder. Light on purpose (no torch): the server lists them too.

``tiny-cpu`` trains the tiny random Qwen2 base (built once into ``var/finetune/tiny-base``),
``cpu-default`` a LoRA on the model hadra ships, on CPU; every other config in finetune/configs/
is a GPU preset (a worker without CUDA does not take it).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from embedded.process import VAR_DIR
from finetune.config import RunConfig
from finetune.errors import FinetuneError

CONFIGS = Path(__file__).resolve().parent / "configs"
TINY_BASE = VAR_DIR / "finetune" / "tiny-base"

Device = Literal["cpu", "gpu"]


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    device: Device
    config: Path
    # A base the worker builds once when it is missing: (folder, the `python -m finetune` command).
    build_base: tuple[Path, list[str]] | None = None

    @property
    def served_base(self) -> str:
        """The Ollama model the adapter is applied to (``export.ollama_base``), empty when none: when
        it is the chat's active model, the base's score is the active model's score."""
        if not self.config.is_file():
            return ""
        return str(tomllib.loads(self.config.read_text(encoding="utf-8")).get("export", {}).get("ollama_base", ""))


_CPU = {
    "tiny-cpu": (
        "A tiny random Qwen2 model (2 layers): the whole loop in a few minutes on any CPU; "
        "it only repeats what the data teaches it.",
        (TINY_BASE, ["tiny-base", "--out", str(TINY_BASE)]),
    ),
    "cpu-default": ("A LoRA on the model hadra ships (Gemma 3 270M), trained on CPU from the chat's own data.", None),
}


def _description(config: Path) -> str:
    """The config's first comment line says what it is."""
    for line in config.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            return line.lstrip("# ").strip()
    return config.stem


def all_presets() -> dict[str, Preset]:
    presets: dict[str, Preset] = {}
    for name, (description, build) in _CPU.items():
        presets[name] = Preset(name, description, "cpu", CONFIGS / f"{name}.toml", build)
    for config in sorted(CONFIGS.glob("*.toml")):
        if config.stem not in presets:
            presets[config.stem] = Preset(config.stem, _description(config), "gpu", config)
    return presets


def get(name: str) -> Preset | None:
    return all_presets().get(name)


def render(preset: Preset, folder: Path) -> Path:
    """The preset's config with the run's own folders (dataset, checkpoints, adapter, export all in
    ``folder``) and its base as an absolute path, written to ``folder/config.toml``."""
    data = tomllib.loads(preset.config.read_text(encoding="utf-8"))
    base = data["model"]["base"]
    if preset.build_base is not None:
        data["model"]["base"] = str(preset.build_base[0])
    elif data["model"].get("gguf") or (preset.config.parent / base).expanduser().exists():
        # A base converted from a GGUF is made on first use (finetune/gguf_base.py), maybe not yet.
        data["model"]["base"] = str((preset.config.parent / base).expanduser().resolve())
    data["train"]["dataset"] = str(folder / "dataset")
    data["train"]["output_dir"] = str(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(f"# preset {preset.name}, rendered for this run\n" + dump_toml(data), encoding="utf-8")
    return path


def dump_toml(data: dict[str, Any]) -> str:
    """Tables of scalars and lists (all a run config has); JSON strings are valid TOML strings."""
    lines: list[str] = []
    for section, values in data.items():
        lines.append(f"\n[{section}]")
        for key, value in values.items():
            lines.append(f"{key} = {_value(value)}")
    return "\n".join(lines) + "\n"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def cuda_available() -> bool:
    """Whether torch sees a CUDA GPU (the training venv only: the server never asks)."""
    import torch

    return bool(torch.cuda.is_available())


def runnable_here(presets: dict[str, Preset]) -> list[str]:
    """The presets this machine can run: CPU ones always, GPU ones with CUDA."""
    gpu = cuda_available()
    return [name for name, preset in presets.items() if preset.device == "cpu" or gpu]


def refuse_gpu_config_without_cuda(config: RunConfig, path: Path) -> None:
    """A GPU config on a machine without CUDA would retry the hub for minutes and end in a
    traceback (a 4-bit hub model needs CUDA): refuse at once, with the ways that work."""
    gpu_preset = any(p.device == "gpu" and p.config.resolve() == path.resolve() for p in all_presets().values())
    if not (gpu_preset or config.model.load_in_4bit) or cuda_available():
        return
    raise FinetuneError(
        f"{path} is a GPU config ({config.model.base}, "
        f"{'4-bit' if config.model.load_in_4bit else 'GPU-sized'}) and this machine has no CUDA GPU. "
        "On CPU, train the model hadra ships with the cpu-default preset (start a cpu-default run on the "
        "admin page, or `python -m finetune train --config finetune/configs/cpu-default.toml`); for this "
        "config, use a machine with an NVIDIA GPU and the compose profile: "
        "`docker compose -f docker-compose.gpu.yml --profile train up finetune`."
    )
