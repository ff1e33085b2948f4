"""``docker-compose config`` on a compose file: Debian's docker-compose 1.29 validates a file and
resolves its variables offline (no Docker engine here), which is how the compose files are tested."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def compose_config(path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The resolved file (stdout) or why it is refused (stderr); ``args`` go before ``config``
    (``--profile train``). A SECRET_KEY is set unless ``env`` says otherwise."""
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.fail("docker-compose is not installed: apt-get install -y docker-compose")
    return subprocess.run(
        [binary, "-f", str(path), *args, "config"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "SECRET_KEY": "test-" + "x" * 10, **(env or {})},
    )
