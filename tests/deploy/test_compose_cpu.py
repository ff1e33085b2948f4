"""docker-compose.yml (CPU, several processes) validates offline with Debian's docker-compose 1.29 (no
Docker engine here) and is shaped for scaling: the web service can run as many replicas as asked,
behind the proxy with the nginx configuration the proxy tests run for real."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.support.compose import compose_config

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
NGINX = ROOT / "docker" / "nginx"


def _services(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = compose_config(COMPOSE, *args, env=env)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)["services"]


def test_the_cpu_compose_file_runs_every_part_and_the_worker_only_with_its_profile() -> None:
    services = _services("--profile", "train")
    assert set(services) == {"mongo", "redis", "ollama-1", "ollama-2", "models", "web", "proxy", "finetune"}
    # docker-compose 1.29 lists every service whatever the profile; `up` starts only those without one.
    assert [name for name, service in services.items() if "profiles" in service] == ["finetune"]
    worker = services["finetune"]
    assert worker["profiles"] == ["train"]
    assert worker["command"] == ["python", "-m", "finetune", "worker"]
    assert (ROOT / worker["build"]["dockerfile"]).is_file()
    assert "deploy" not in worker  # no GPU asked for on a CPU machine
    for name in ("ollama-1", "ollama-2"):
        assert services[name]["image"].startswith("ollama/ollama:")
    # Each Ollama host keeps its own models.
    assert {v.split(":")[0] for v in services["ollama-1"]["volumes"]} != {
        v.split(":")[0] for v in services["ollama-2"]["volumes"]
    }


def test_web_runs_the_procfile_command_on_every_shared_part() -> None:
    services = _services()
    web = services["web"]
    procfile = (ROOT / "Procfile").read_text().splitlines()
    command = next(line.split(":", 1)[1].split() for line in procfile if line.startswith("web:"))
    assert web["command"] == [arg if arg != "$PORT" else "8000" for arg in command]
    env = web["environment"]
    assert env["OLLAMA_HOSTS"] == "http://ollama-1:11434,http://ollama-2:11434"
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert env["MONGODB_URI"] == "mongodb://mongo:27017/hadra?replicaSet=rs0"
    assert "--replSet" in services["mongo"]["command"]
    # The names hadra's settings read, and no secret written in the file.
    settings = (ROOT / "asgi_app" / "settings.py").read_text()
    for name in env:
        assert f'"{name}"' in settings, f"hadra reads no {name}"
    assert env["SECRET_KEY"] == "test-" + "x" * 10
    assert "SECRET_KEY: ${SECRET_KEY:?" in COMPOSE.read_text()


def test_web_scales_behind_the_proxy_which_publishes_the_one_port() -> None:
    services = _services()
    web = services["web"]
    # `docker compose up --scale web=3` needs replicas that do not collide.
    assert "container_name" not in web and "ports" not in web
    assert [name for name, service in services.items() if service.get("ports")] == ["proxy"]
    proxy = services["proxy"]
    assert proxy["ports"] == [{"published": 8000, "target": 80}]
    # upstream.conf's `server ... resolve` (replicas found again as they come and go) needs 1.27.3+.
    name, version = proxy["image"].split(":")
    assert name == "nginx" and tuple(int(part) for part in version.split(".")) >= (1, 27, 3)
    assert f"{NGINX}:/etc/nginx/conf.d:ro" in proxy["volumes"]
    upstream = (NGINX / "upstream.conf").read_text()
    assert "server web:8000 resolve;" in upstream and "resolver 127.0.0.11" in upstream
    assert "proxy_pass http://hadra;" in (NGINX / "hadra.conf").read_text()


def test_the_long_running_services_have_healthchecks() -> None:
    services = _services("--profile", "train")
    for name in ("mongo", "redis", "ollama-1", "ollama-2", "web", "proxy"):
        assert services[name]["healthcheck"]["test"][0] == "CMD", name
    # What waits for what: hadra for its database and Redis, not for every Ollama host to be up
    # (a host that is down is routed around).
    assert services["web"]["depends_on"]["mongo"]["condition"] == "service_healthy"
    assert services["web"]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert services["web"]["depends_on"]["ollama-1"]["condition"] == "service_started"


def test_the_port_and_the_fleet_come_from_the_environment() -> None:
    services = _services(env={"PORT": "8443", "OLLAMA_HOSTS": "http://gpu-a:11434,http://gpu-b:11434"})
    assert services["web"]["environment"]["OLLAMA_HOSTS"] == "http://gpu-a:11434,http://gpu-b:11434"
    assert services["proxy"]["ports"] == [{"published": 8443, "target": 80}]


def test_the_validator_rejects_a_broken_file(tmp_path: Path) -> None:
    """Proof that the checks above can fail: a misspelt key is refused with its name."""
    broken = yaml.safe_load(COMPOSE.read_text())
    broken["services"]["web"]["healthchek"] = broken["services"]["web"].pop("healthcheck")
    path = tmp_path / "docker-compose.yml"
    path.write_text(yaml.safe_dump(broken))
    result = compose_config(path)
    assert result.returncode != 0
    assert "healthchek" in result.stderr


def test_the_web_service_refuses_to_start_without_a_secret_key() -> None:
    result = compose_config(COMPOSE, env={"SECRET_KEY": ""})
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr
