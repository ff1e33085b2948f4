"""Trained adapter → GGUF files Ollama serves, plus Modelfiles and a manifest for ``register``.

Two forms (``export.formats``):
- ``adapter``: the LoRA alone as a GGUF (llama.cpp's convert_lora_to_gguf.py, f16, kilobytes to a few
  hundred MB) applied by Ollama on top of the same base: ``export.ollama_base`` names that base in
  Ollama, or, left empty, the base is converted to GGUF here too and uploaded with the adapter;
- ``merged``: adapter merged into the base by Unsloth (16-bit), then convert_hf_to_gguf.py at
  ``export.outtype``; k-quants (q4_k_m …) go through llama.cpp's ``llama-quantize`` when one is
  installed (``HADRA_LLAMA_QUANTIZE`` or on PATH).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console

from finetune import llamacpp
from finetune.config import CONVERTER_OUTTYPES, RunConfig
from finetune.errors import FinetuneError
from finetune.runs import Run, file_sha256
from finetune.templates import ChatFormat, detect, modelfile

MANIFEST = "manifest.json"


def _base_dir(config: RunConfig) -> Path:
    """The base model's Hugging Face folder (its config is what the converters read)."""
    base = Path(config.model.base)
    if base.is_dir():
        return base
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(config.model.base, local_files_only=True))
    except Exception as exc:
        raise FinetuneError(
            f"the base model {config.model.base} is not in the local Hugging Face cache "
            f"({exc}); train with it first, or point model.base at its folder"
        ) from None


def _quantizer() -> str:
    found = os.environ.get("HADRA_LLAMA_QUANTIZE") or shutil.which("llama-quantize")
    if not found:
        raise FinetuneError(
            "k-quant outtypes need llama.cpp's llama-quantize: build it and set "
            "HADRA_LLAMA_QUANTIZE=/path/to/llama-quantize, or use export.outtype = q8_0"
        )
    return found


def _hf_to_gguf(model_dir: Path, out_dir: Path, stem: str, outtype: str) -> Path:
    """convert_hf_to_gguf.py at ``outtype``; through f16 + llama-quantize for k-quants."""
    target = out_dir / f"{stem}-{outtype}.gguf"
    if outtype in CONVERTER_OUTTYPES:
        llamacpp.convert(
            "convert_hf_to_gguf.py",
            [str(model_dir), "--outtype", outtype, "--outfile", str(target)],
            f"converting {model_dir} to GGUF",
        )
        return target
    quantize = _quantizer()
    f16 = out_dir / f".{stem}-f16.gguf"
    llamacpp.convert(
        "convert_hf_to_gguf.py",
        [str(model_dir), "--outtype", "f16", "--outfile", str(f16)],
        f"converting {model_dir} to GGUF",
    )
    result = subprocess.run(
        [quantize, str(f16), str(target), outtype.upper()], capture_output=True, text=True, check=False
    )
    f16.unlink(missing_ok=True)
    if result.returncode != 0:
        raise FinetuneError(f"llama-quantize {outtype} failed:\n{result.stderr.strip()[-2000:]}")
    return target


def _artifact(path: Path) -> dict[str, Any]:
    return {"file": path.name, "sha256": file_sha256(path), "bytes": path.stat().st_size}


def _merge(run: Run, into: Path, console: Console) -> None:
    """Adapter + base → a 16-bit Hugging Face folder, through Unsloth (dequantises 4-bit bases)."""
    from finetune.train import load_base

    model, tokenizer = load_base(run.config(), console, adapter=run.adapter)
    model.save_pretrained_merged(str(into), tokenizer, save_method="merged_16bit")


def export(
    run: Run,
    console: Console,
    formats: list[str] | None = None,
    outtype: str | None = None,
    chat: ChatFormat | None = None,
) -> dict[str, Any]:
    config = run.config()
    formats = formats or list(config.export.formats)
    outtype = outtype or config.export.outtype
    if not (run.adapter / "adapter_config.json").is_file():
        raise FinetuneError(f"{run.adapter} has no trained adapter: run `python -m finetune train` first")
    tokenizer_config = json.loads((run.adapter / "tokenizer_config.json").read_text(encoding="utf-8"))
    template_file = run.adapter / "chat_template.jinja"
    jinja = (
        template_file.read_text(encoding="utf-8")
        if template_file.is_file()
        else tokenizer_config.get("chat_template", "")
    )
    chat = chat or detect(jinja)
    out = run.export
    out.mkdir(parents=True, exist_ok=True)
    llamacpp.ensure()
    manifest: dict[str, Any] = {
        "base_model": config.model.base,
        "chat_family": chat.family,
        "template": chat.template,
        "stops": list(chat.stops),
        "artifacts": {},
        "wall_s": {},
    }
    base = _base_dir(config)

    if "adapter" in formats:
        started = time.monotonic()
        adapter = out / "adapter-f16.gguf"
        llamacpp.convert(
            "convert_lora_to_gguf.py",
            ["--base", str(base), "--outtype", "f16", "--outfile", str(adapter), str(run.adapter)],
            "converting the LoRA adapter",
        )
        entry = _artifact(adapter)
        if config.export.ollama_base:
            entry["base"] = {"ollama": config.export.ollama_base}
            source = [f"FROM {config.export.ollama_base}"]
        else:
            if json.loads((base / "config.json").read_text()).get("quantization_config"):
                raise FinetuneError(
                    f"{config.model.base} is pre-quantised and cannot be converted to a GGUF "
                    "base: set export.ollama_base to the same model in Ollama, or export "
                    "the merged form only"
                )
            base_gguf = _hf_to_gguf(base, out, "base", outtype)
            entry["base"] = _artifact(base_gguf)
            source = [f"FROM ./{base_gguf.name}"]
        (out / "Modelfile.adapter").write_text(modelfile([*source, f"ADAPTER ./{adapter.name}"], chat))
        manifest["artifacts"]["adapter"] = entry
        manifest["wall_s"]["adapter"] = round(time.monotonic() - started, 2)
        console.print(f"adapter GGUF → {adapter} ({entry['bytes'] / 1e6:.2f} MB)")

    if "merged" in formats:
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="merged-", dir=out) as tmp:
            _merge(run, Path(tmp), console)
            merged = _hf_to_gguf(Path(tmp), out, "model", outtype)
        entry = _artifact(merged)
        (out / "Modelfile.merged").write_text(modelfile([f"FROM ./{merged.name}"], chat))
        manifest["artifacts"]["merged"] = entry
        manifest["wall_s"]["merged"] = round(time.monotonic() - started, 2)
        console.print(f"merged GGUF → {merged} ({entry['bytes'] / 1e6:.2f} MB)")

    run.write_json(out / MANIFEST, manifest)
    return manifest
