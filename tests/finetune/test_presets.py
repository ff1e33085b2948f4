"""Presets: each renders into the run's own folder, and a GPU config is refused at once on a
machine without CUDA, with the ways that work (it used to retry the hub for minutes, then crash)."""

from __future__ import annotations

from pathlib import Path

from finetune import presets
from finetune.config import load
from tests.finetune.helpers import ROOT, finetune, train_python


def test_a_preset_renders_with_every_path_in_the_run_folder(tmp_path: Path) -> None:
    for preset in presets.all_presets().values():
        if not preset.config.is_file():
            continue  # cpu-default's config comes with its base conversion
        folder = tmp_path / preset.name
        config = load(presets.render(preset, folder))
        assert config.train.output_dir == folder and config.train.dataset == folder / "dataset"
        original = load(preset.config)
        assert config.lora == original.lora and config.train.max_steps == original.train.max_steps
    tiny = load(presets.render(presets.all_presets()["tiny-cpu"], tmp_path / "tiny"))
    assert tiny.model.base == str(presets.TINY_BASE)


def test_the_gpu_presets_are_the_other_configs() -> None:
    listed = presets.all_presets()
    assert listed["tiny-cpu"].device == listed["cpu-default"].device == "cpu"
    gpu = {name for name, preset in listed.items() if preset.device == "gpu"}
    configs = {path.stem for path in (ROOT / "finetune" / "configs").glob("*.toml")} - {"tiny-cpu", "cpu-default"}
    assert gpu == configs and "qwen2.5-7b-darija" in gpu


def test_a_gpu_config_is_refused_at_once_without_cuda() -> None:
    result = finetune(
        "train", "--config", "finetune/configs/qwen2.5-7b-darija.toml", python=train_python(), timeout=300
    )
    assert result.returncode == 2, result.stdout + result.stderr
    message = " ".join(result.stdout.split())
    assert "no CUDA GPU" in message and "cpu-default" in message and "--profile train" in message
    assert "Traceback" not in result.stdout + result.stderr
