"""Upload an exported model to a running Ollama, create it there, and record a ModelVersion.

The Ollama side goes through ``ollama_gateway`` (the only code that speaks to Ollama): blobs are
pushed by digest, then the model is created with the current API (``from``/``files``/``adapters``)
or, on servers that need it such as the embedded CPU Ollama 0.5.4, the legacy ``modelfile`` form.
The version is recorded as ``registered``; activating it for the chat is the admin's decision.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from rich.console import Console

from finetune.errors import FinetuneError
from finetune.export import MANIFEST
from finetune.gguf_check import check_adapter_base, read_header
from finetune.runs import Run


def _metrics(run: Run, manifest: dict[str, Any], form: str, upload_s: float) -> dict[str, Any]:
    artifact = manifest["artifacts"][form]
    metrics: dict[str, Any] = {"form": form, "gguf_bytes": artifact["bytes"], "register_s": round(upload_s, 2)}
    if run.train_metrics.is_file():
        train = run.read_json(run.train_metrics, "train")
        metrics["train"] = {
            k: train[k]
            for k in ("examples", "steps", "epochs", "train_loss", "final_loss", "wall_s", "device")
            if k in train
        }
    if run.eval_metrics.is_file():
        evaluation = run.read_json(run.eval_metrics, "eval")
        # The gate reads bpb/base_bpb on heldout_set; the admin page has the sample prompts answered
        # by both models through Ollama (the answers generated here came from the unexported model).
        metrics["eval"] = {k: v for k, v in evaluation.items() if k not in ("samples", "active")}
        metrics["eval"]["samples"] = [
            {"prompt": s["prompt"], "messages": s.get("messages", []), "reference": s["reference"]}
            for s in evaluation.get("samples", [])
        ]
    return metrics


async def _push(gateway: Any, path: Path, console: Console) -> str:
    from ollama_gateway import OllamaError

    started = time.monotonic()
    try:
        digest = await gateway.push_blob(path)
    except OllamaError as exc:
        raise FinetuneError(f"Ollama at {gateway.host} refused the blob {path.name}: {exc}") from None
    console.print(f"uploaded {path.name} → {digest[:19]}… ({time.monotonic() - started:.2f} s)")
    return digest


async def register(
    run: Run, name: str, form: str, ollama_host: str, mongo_uri: str, console: Console
) -> dict[str, Any]:
    from pymongo.errors import PyMongoError

    from models import ModelVersion, init_db
    from ollama_gateway import ModelNotFound, OllamaError, OllamaGateway

    manifest = run.read_json(run.export / MANIFEST, "export")
    if form not in manifest["artifacts"]:
        raise FinetuneError(
            f"the export in {run.export} has no '{form}' form (it has: "
            f"{', '.join(manifest['artifacts'])}); run `python -m finetune export "
            f"--run {run.root} --formats {form}`"
        )
    try:
        await init_db(mongo_uri, server_selection_timeout_ms=3000)
        existing = await ModelVersion.find_one(ModelVersion.name == name)
    except PyMongoError as exc:
        raise FinetuneError(f"cannot reach MongoDB at {mongo_uri} to record the model version: {exc}") from None
    if existing is not None:
        raise FinetuneError(
            f"a model version named {name!r} already exists (status {existing.status}); choose another --name"
        )

    artifact = manifest["artifacts"][form]
    # Checked before anything is uploaded: a bad file or a wrong base never becomes an Ollama model.
    model_file = run.export / artifact["file"]
    header = read_header(model_file)
    if form == "merged" and header.is_adapter:
        raise FinetuneError(f"{model_file.name} is a LoRA adapter, not a whole model: register the adapter form")
    if form != "merged" and "ollama" not in artifact["base"]:
        base_file = run.export / artifact["base"]["file"]
        check_adapter_base(header, model_file.name, read_header(base_file), base_file.name)
    started = time.monotonic()
    async with OllamaGateway(ollama_host) as gateway:
        try:
            server = await gateway.version()
        except OllamaError as exc:
            raise FinetuneError(str(exc)) from None
        console.print(f"Ollama {server} at {gateway.host}")
        if form != "merged" and "ollama" in artifact["base"]:
            base = artifact["base"]["ollama"]
            try:
                check_adapter_base(header, model_file.name, await gateway.model_info(base), base)
            except ModelNotFound:
                raise FinetuneError(
                    f"the adapter's base {base!r} is not on Ollama at {gateway.host}: "
                    f"pull or create it there first (ollama pull {base})"
                ) from None
        digests = [await _push(gateway, model_file, console)]
        if form == "merged":
            base, adapters = digests[0], []
        elif "ollama" in artifact["base"]:
            adapters = digests
        else:
            base = await _push(gateway, run.export / artifact["base"]["file"], console)
            adapters = digests
            digests = [base, *digests]
        try:
            await gateway.create_model(
                name,
                base,
                adapters,
                template=manifest["template"],
                parameters={"stop": manifest["stops"]},
            )
        except OllamaError as exc:
            raise FinetuneError(f"Ollama could not create {name!r} from {artifact['file']}: {exc}") from None
    elapsed = time.monotonic() - started

    version = ModelVersion(
        name=name,
        base_model=manifest["base_model"],
        ollama_model=name,
        source_run=str(run.root),
        gguf_sha256=[d.removeprefix("sha256:") for d in digests],
        metrics=_metrics(run, manifest, form, elapsed),
    )
    await version.insert()
    console.print(
        f"[green]registered[/] {name} on Ollama and as ModelVersion {version.id} "
        f"(status {version.status}; activate it from the admin page) · {elapsed:.2f} s"
    )
    return {"id": str(version.id), "name": name, "register_s": round(elapsed, 2), "digests": digests}
