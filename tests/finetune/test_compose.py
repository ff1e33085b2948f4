"""docker-compose.gpu.yml validates offline with Debian's docker-compose 1.29 (no Docker engine here)
and wires what the GPU deployment needs: the GPU reserved, the runs volume shared with Ollama."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from tests.finetune.helpers import ROOT
from tests.support.compose import compose_config

COMPOSE = ROOT / "docker-compose.gpu.yml"


def _config(path: Path, *, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return compose_config(path, "--profile", "train", env=env)


def test_the_gpu_compose_file_validates_and_reserves_the_gpu_for_training() -> None:
    result = _config(COMPOSE)
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert set(services) == {"mongo", "redis", "ollama", "web", "finetune"}
    for name in ("finetune", "ollama"):
        devices = services[name]["deploy"]["resources"]["reservations"]["devices"]
        assert devices == [{"driver": "nvidia", "count": "all", "capabilities": ["gpu"]}]
    assert services["finetune"]["profiles"] == ["train"]
    assert "profiles" not in services["web"]
    finetune_volumes = {v.split(":")[0] for v in services["finetune"]["volumes"]}
    ollama_volumes = {v.split(":")[0] for v in services["ollama"]["volumes"]}
    assert "finetune-runs" in finetune_volumes & ollama_volumes
    assert services["finetune"]["environment"]["OLLAMA_HOST"] == "http://ollama:11434"
    assert services["finetune"]["build"]["dockerfile"] == "docker/finetune.Dockerfile"
    assert (ROOT / services["finetune"]["build"]["dockerfile"]).is_file()


def test_the_validator_rejects_a_broken_file(tmp_path: Path) -> None:
    """Proof that the check above can fail: a misspelt key is refused with its name."""
    broken = yaml.safe_load(COMPOSE.read_text())
    broken["services"]["finetune"]["deploi"] = broken["services"]["finetune"].pop("deploy")
    path = tmp_path / "docker-compose.gpu.yml"
    path.write_text(yaml.safe_dump(broken))
    result = _config(path)
    assert result.returncode != 0
    assert "deploi" in result.stderr


def test_the_web_service_refuses_to_start_without_a_secret_key() -> None:
    result = _config(COMPOSE, env={"SECRET_KEY": ""})
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr
