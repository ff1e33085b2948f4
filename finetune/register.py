"""Upload an exported model to every Ollama host of the fleet, create it there, and record a ModelVersion.

The Ollama side goes through ``ollama_gateway`` (the only code that speaks to Ollama): blobs are
pushed by digest, then the model is created with the current API (``from``/``files``/``adapters``)
or, on servers that need it such as the embedded CPU Ollama 0.5.4, the legacy ``modelfile`` form.
The version is recorded as ``registered``; activating it for the chat is the admin's decision.

Every host gets it at once, each with its own progress lines. The version is recorded when at least
one host has it (the chat sends its answers only to the hosts that have it, and the admin page
names the others); when none has it nothing is recorded. Running the command again for a name
already recorded from the same run puts it on the hosts that still lack it.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from finetune.errors import FinetuneError
from finetune.export import MANIFEST
from finetune.gguf_check import GgufHeader, check_adapter_base, read_header
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
    console.print(f"{gateway.host}: uploaded {path.name} → {digest[:19]}… ({time.monotonic() - started:.2f} s)")
    return digest


@dataclass(frozen=True)
class _Upload:
    """What goes onto every host: the checked file, and the base it is applied to (a GGUF uploaded
    with it, or a model the host already serves)."""

    name: str
    form: str
    model_file: Path
    header: GgufHeader
    base_file: Path | None
    ollama_base: str | None
    template: str
    stops: list[str]


async def _put_on(host: str, upload: _Upload, console: Console) -> list[str]:
    """Upload and create the model on one host; its digests. Raises FinetuneError naming the host."""
    from ollama_gateway import ModelNotFound, OllamaError, OllamaGateway

    async with OllamaGateway(host) as gateway:
        try:
            server = await gateway.version()
        except OllamaError as exc:
            raise FinetuneError(str(exc)) from None
        console.print(f"{gateway.host}: Ollama {server}")
        if upload.ollama_base is not None:
            try:
                info = await gateway.model_info(upload.ollama_base)
            except ModelNotFound:
                raise FinetuneError(
                    f"the adapter's base {upload.ollama_base!r} is not on Ollama at {gateway.host}: "
                    f"pull or create it there first (ollama pull {upload.ollama_base})"
                ) from None
            except OllamaError as exc:
                raise FinetuneError(str(exc)) from None
            check_adapter_base(upload.header, upload.model_file.name, info, upload.ollama_base)
        digests = [await _push(gateway, upload.model_file, console)]
        if upload.form == "merged":
            base, adapters = digests[0], []
        elif upload.ollama_base is not None:
            base, adapters = upload.ollama_base, digests
        else:
            assert upload.base_file is not None
            base, adapters = await _push(gateway, upload.base_file, console), digests
            digests = [base, *digests]
        try:
            await gateway.create_model(
                upload.name, base, adapters, template=upload.template, parameters={"stop": upload.stops}
            )
        except OllamaError as exc:
            raise FinetuneError(
                f"Ollama at {gateway.host} could not create {upload.name!r} from {upload.model_file.name}: {exc}"
            ) from None
        console.print(f"{gateway.host}: created {upload.name}")
        return digests


async def _put_everywhere(hosts: list[str], upload: _Upload, console: Console) -> dict[str, list[str] | FinetuneError]:
    """Every host at once (a big GGUF goes to each over its own connection); each host's digests or error."""

    async def attempt(host: str) -> list[str] | FinetuneError:
        try:
            return await _put_on(host, upload, console)
        except FinetuneError as exc:
            console.print(f"[red]{escape(host)}: failed[/]: {escape(str(exc))}", highlight=False)
            return exc

    return dict(zip(hosts, await asyncio.gather(*(attempt(host) for host in hosts)), strict=True))


async def _lacking(hosts: list[str], name: str) -> list[str]:
    """The hosts that do not have ``name`` (a host that does not answer is tried again, and says why)."""
    from ollama_gateway import OllamaError, OllamaGateway

    async def lacks(host: str) -> bool:
        try:
            async with OllamaGateway(host) as gateway:
                return not await gateway.has_model(name)
        except OllamaError:
            return True

    found = await asyncio.gather(*(lacks(host) for host in hosts))
    return [host for host, missing in zip(hosts, found, strict=True) if missing]


async def register(
    run: Run, name: str, form: str, ollama_hosts: list[str], mongo_uri: str, console: Console
) -> dict[str, Any]:
    """Put the run's export on every host of ``ollama_hosts`` and record the version once at least
    one host has it; the hosts that failed are named (run the same command again to put it there:
    a name already recorded from this same run only goes to the hosts that lack it)."""
    from pymongo.errors import PyMongoError

    from models import ModelVersion, ModelVersionStatus, init_db

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
    if existing is not None and (existing.source_run != str(run.root) or existing.status == ModelVersionStatus.RETIRED):
        raise FinetuneError(
            f"a model version named {name!r} already exists (status {existing.status}); choose another --name"
        )

    artifact = manifest["artifacts"][form]
    # Checked before anything is uploaded: a bad file or a wrong base never becomes an Ollama model.
    model_file = run.export / artifact["file"]
    header = read_header(model_file)
    if form == "merged" and header.is_adapter:
        raise FinetuneError(f"{model_file.name} is a LoRA adapter, not a whole model: register the adapter form")
    base_file = None
    if form != "merged" and "ollama" not in artifact["base"]:
        base_file = run.export / artifact["base"]["file"]
        check_adapter_base(header, model_file.name, read_header(base_file), base_file.name)
    upload = _Upload(
        name=name,
        form=form,
        model_file=model_file,
        header=header,
        base_file=base_file,
        ollama_base=artifact["base"]["ollama"] if form != "merged" and base_file is None else None,
        template=manifest["template"],
        stops=manifest["stops"],
    )
    hosts = await _lacking(ollama_hosts, name) if existing is not None else ollama_hosts
    if existing is not None and not hosts:
        console.print(f"{name} is recorded (ModelVersion {existing.id}) and every host has it already")
        return {"id": str(existing.id), "name": name, "register_s": 0.0, "digests": [], "failed": {}}
    started = time.monotonic()
    results = await _put_everywhere(hosts, upload, console)
    elapsed = time.monotonic() - started
    done = {host: r for host, r in results.items() if not isinstance(r, FinetuneError)}
    failed = {host: str(r) for host, r in results.items() if isinstance(r, FinetuneError)}
    if not done:
        raise FinetuneError(
            f"no Ollama host took {name!r}, nothing was recorded: " + "; ".join(f"{h}: {e}" for h, e in failed.items())
        )
    digests = next(iter(done.values()))

    if existing is None:
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
            f"[green]registered[/] {name} on {len(done)} of {len(hosts)} Ollama hosts and as ModelVersion "
            f"{version.id} (status {version.status}; activate it from the admin page) · {elapsed:.2f} s"
        )
    else:
        version = existing
        console.print(f"[green]{name}[/] (ModelVersion {version.id}) put on {len(done)} more hosts · {elapsed:.2f} s")
    if failed:
        console.print(
            f"[yellow]not on {', '.join(failed)}[/]: the admin page shows it missing there; run this same "
            "command again once the host is back, to put it on the hosts that lack it",
            highlight=False,
        )
    return {
        "id": str(version.id),
        "name": name,
        "register_s": round(elapsed, 2),
        "digests": digests,
        "failed": failed,
    }
