"""The benchmark's accounts: ``create_bench_users`` makes distinct users whose printed tokens open
hadra's API, without going through (or loosening) the sign-up and token limits."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.api.clients import bearer
from tests.support.servers import ROOT


def test_create_bench_users_prints_one_working_token_per_new_user(server_env, live_server) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "django", "create_bench_users", "--count", "3", "--prefix", "bench-test"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **server_env, "DJANGO_SETTINGS_MODULE": "asgi_app.settings"},
    )
    assert result.returncode == 0, result.stderr
    tokens = json.loads(result.stdout)
    assert len(tokens) == len(set(tokens)) == 3

    names = set()
    for token in tokens:
        me = bearer(live_server, token).get("/api/auth/me")
        assert me.status_code == 200
        names.add(me.json()["username"])
    assert len(names) == 3 and all(name.startswith("bench-test-") for name in names)
