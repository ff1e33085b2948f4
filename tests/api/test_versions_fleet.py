"""Model versions on a fleet of two real CPU Ollama hosts, each with models of its own: registering
puts a version on every host (a host that was away gets it when the command runs again), activation
goes ahead on the hosts that serve the model and the admin API names the others, and retiring
removes the model from every host — refused, with the host named, while one cannot be reached."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

from embedded.process import free_port
from models import ModelVersion
from ollama_gateway import OllamaGateway
from ollama_gateway.templates import GEMMA_STOP
from tests.api.versions import console, refused
from tests.support.gguf import lora_adapter
from tests.support.servers import ROOT, ServerStarter


def adapter_run(folder: Path, base: str) -> Path:
    """A run folder whose export is a tiny LoRA adapter (zeros) for the Ollama model ``base``."""
    export = folder / "export"
    export.mkdir(parents=True)
    content = lora_adapter()
    (export / "adapter.gguf").write_bytes(content)
    artifact = {"file": "adapter.gguf", "bytes": len(content), "base": {"ollama": base}}
    manifest = {"base_model": "google/gemma-3-270m", "template": "{{ .Prompt }}", "stops": [GEMMA_STOP]}
    (export / "manifest.json").write_text(json.dumps({**manifest, "artifacts": {"adapter": artifact}}))
    return folder


async def register_command(run: Path, name: str, mongo_uri: str, *args: str, **env: str) -> tuple[int, str]:
    """``python -m finetune register`` as an operator runs it; its exit status and what it said (one line)."""
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "finetune", "register", "--run", str(run), "--name", name, "--form", "adapter",
         "--mongo-uri", mongo_uri, *args],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "300", **env},
    )  # fmt: skip
    return result.returncode, " ".join((result.stdout + result.stderr).split())


async def having(name: str, hosts: list[str]) -> list[str]:
    """The hosts that have the model ``name``."""
    found = []
    for host in hosts:
        async with OllamaGateway(host) as gateway:
            if await gateway.has_model(name):
                found.append(host)
    return found


async def remove(names: list[str], hosts: list[str]) -> None:
    for host in hosts:
        async with OllamaGateway(host) as gateway:
            for name in names:
                if await gateway.has_model(name):
                    await gateway.delete_model(name)


def dead_host() -> str:
    """A loopback port nothing listens on: a host that is down."""
    return f"http://127.0.0.1:{free_port()}"


def named(versions: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [v for v in versions if v["name"] == name]


async def test_registering_reaches_every_host_again_for_a_missed_one_and_retiring_leaves_none(
    start_server: ServerStarter,
    server_env: dict[str, str],
    ollama_host: str,
    second_ollama_host: str,
    ollama_model: str,
    tmp_path: Path,
) -> None:
    fleet = [ollama_host, second_ollama_host]
    c = await console(start_server, server_env, OLLAMA_HOSTS=",".join(fleet))
    run, name, dead = adapter_run(tmp_path, ollama_model), f"hadra-fleet-{secrets.token_hex(3)}", dead_host()
    try:
        # One host of two is down: the version is recorded on the one that has it, the other is named.
        status, said = await register_command(run, name, c.env["MONGODB_URI"], "--ollama-host", f"{ollama_host},{dead}")
        assert status == 0, said
        assert f"{ollama_host}: created {name}" in said and f"{dead}: failed" in said, said
        assert f"not on {dead}" in said and "run this same command again" in said, said
        assert await having(name, fleet) == [ollama_host]
        [version] = named(c.staff.get("/api/admin/model-versions").json()["versions"], name)
        assert version["missing_on"] == [second_ollama_host] and version["status"] == "registered"

        # Again, with the hosts from the environment as the server has them: only the host that
        # lacks it gets it, and the version is not recorded twice.
        status, said = await register_command(run, name, c.env["MONGODB_URI"], OLLAMA_HOSTS=",".join(fleet))
        assert status == 0, said
        assert f"{second_ollama_host}: created {name}" in said and f"{ollama_host}: created" not in said, said
        assert await having(name, fleet) == fleet
        [again] = named(c.staff.get("/api/admin/model-versions").json()["versions"], name)
        assert again["id"] == version["id"] and again["missing_on"] == []
        assert again["gguf_sha256"] == version["gguf_sha256"] and len(version["gguf_sha256"]) == 1

        retired = c.staff.delete(f"/api/admin/model-versions/{version['id']}")
        assert retired.status_code == 200 and retired.json()["status"] == "retired", retired.text
        assert await having(name, fleet) == []
        assert c.audit()[0]["details"]["hosts"] == fleet
    finally:
        await remove([name], fleet)


async def test_registering_on_no_reachable_host_records_nothing(
    db: object, mongo_uri: str, ollama_model: str, tmp_path: Path
) -> None:
    name, dead = f"hadra-fleet-{secrets.token_hex(3)}", [dead_host(), dead_host()]
    status, said = await register_command(
        adapter_run(tmp_path, ollama_model), name, mongo_uri, "--ollama-host", dead[0], "--ollama-host", dead[1]
    )
    assert status == 2 and "Traceback" not in said, said
    assert f"no Ollama host took '{name}', nothing was recorded" in said and all(h in said for h in dead), said
    assert await ModelVersion.find_one({"name": name}) is None


async def test_activation_goes_ahead_where_the_model_is_served_and_names_the_hosts_that_miss_it(
    start_server: ServerStarter,
    server_env: dict[str, str],
    ollama_host: str,
    second_ollama_host: str,
    ollama_model: str,
) -> None:
    fleet, tag = [ollama_host, second_ollama_host], secrets.token_hex(3)
    on_one, on_both = f"hadra-fleet-{tag}-one", f"hadra-fleet-{tag}-both"
    for host, names in ((ollama_host, [on_one, on_both]), (second_ollama_host, [on_both])):
        async with OllamaGateway(host) as gateway:
            for name in names:
                await gateway.create_model(name, ollama_model, parameters={"stop": [GEMMA_STOP]})
    try:
        c = await console(start_server, server_env, OLLAMA_HOSTS=",".join(fleet))
        one, both = c.register("one", on_one), c.register("both", on_both)
        assert one["missing_on"] == [second_ollama_host] and both["missing_on"] == []

        activated = c.activated(one)
        assert activated["default_model"] == on_one
        assert activated["active_version"]["missing_on"] == [second_ollama_host]
        assert c.version(one)["missing_on"] == [second_ollama_host] and c.version(one)["status"] == "active"
        assert c.audit()[0]["details"]["missing_on"] == [second_ollama_host]
        # Users pick from every host's models; which host lacks what is for staff.
        models = c.user.get("/api/models").json()
        assert {on_one, on_both, ollama_model} <= {m.removesuffix(":latest") for m in models["models"]}
        assert models["ollama_error"] is None and models["active_version"]["missing_on"] is None

        # The second host down (a dead port in its place), on the same database.
        dead = dead_host()
        d = await console(
            start_server, server_env, MONGODB_URI=c.env["MONGODB_URI"], OLLAMA_HOSTS=f"{ollama_host},{dead}"
        )
        assert d.version(both)["missing_on"] == [dead]
        activated = d.activated(both)
        assert activated["default_model"] == on_both and activated["active_version"]["missing_on"] == [dead]
        assert d.statuses() == {one["name"]: "inactive", both["name"]: "active"}
        # Retiring needs every host: refused, naming the one that is down; the record stays.
        error = refused(d.staff.delete(f"/api/admin/model-versions/{one['id']}"), 503, "model_server_unavailable")
        assert dead in error["message"] and error["params"]["hosts"] == dead
        assert d.version(one)["status"] == "inactive" and d.version(one)["missing_on"] == [ollama_host, dead]
        # With the fleet whole again it is retired, and gone from both hosts.
        assert c.staff.delete(f"/api/admin/model-versions/{one['id']}").json()["status"] == "retired"
        assert await having(on_one, fleet) == [] and await having(on_both, fleet) == fleet
    finally:
        await remove([on_one, on_both], fleet)
