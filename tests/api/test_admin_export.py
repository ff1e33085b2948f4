"""A data request: staff download one account's data, from the admin API or, without a browser, the
``export_user`` command; the same file its owner downloads, that account's conversations only, and
each download in the audit log. Nobody else gets it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from beanie import PydanticObjectId

from tests.api.clients import Browser, bearer, error_code, register, small_tree, staff_client
from tests.support.servers import ROOT


def export_user(uri: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The management command, as an operator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "django", "export_user", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "asgi_app.settings", "MONGODB_URI": uri},
    )


def without_time(doc: dict[str, Any]) -> dict[str, Any]:
    return {**doc, "exported_at": None}


def audit_of(staff, user_id: str) -> list[dict[str, Any]]:
    return [e for e in staff.get("/api/admin/audit", params={"limit": 200}).json()["entries"] if e["target"] == user_id]


def test_staff_download_one_accounts_data_and_the_audit_log_says_so(
    api_server, server_env: dict[str, str], tmp_path: Path
) -> None:
    owner = Browser(api_server)
    credentials = register(owner)
    for title in ("First", "Second"):
        conversation = small_tree()
        conversation["conversation"]["title"] = title
        assert owner.post("/api/conversations/import", json=conversation).status_code == 201
    owner_id = owner.get("/api/auth/me").json()["id"]
    stranger = Browser(api_server)
    register(stranger)
    theirs = small_tree()
    theirs["conversation"]["title"] = "Stranger's"
    assert stranger.post("/api/conversations/import", json=theirs).status_code == 201
    path = f"/api/admin/users/{owner_id}/export"

    # Another account, signed in or by token, and nobody signed in: refused, nothing recorded.
    script = bearer(api_server, stranger.post("/api/tokens", json={"name": "x"}).json()["token"])
    for client in (stranger, script):
        refused = client.get(path)
        assert refused.status_code == 403 and error_code(refused) == "forbidden"
        assert credentials["username"] not in refused.text
    anonymous = Browser(api_server).get(path)
    assert anonymous.status_code == 401 and error_code(anonymous) == "unauthenticated"

    staff = staff_client(api_server, server_env)
    assert audit_of(staff, owner_id) == []
    download = staff.get(path)
    assert download.status_code == 200, download.text
    assert download.headers["Content-Disposition"].startswith(f'attachment; filename="hadra-{credentials["username"]}-')
    doc = download.json()
    assert without_time(doc) == without_time(owner.get("/api/auth/me/export").json())  # the owner's own file
    assert doc["account"]["username"] == credentials["username"]
    assert sorted(c["conversation"]["title"] for c in doc["conversations"]) == ["First", "Second"]
    assert "Stranger's" not in download.text
    [entry] = audit_of(staff, owner_id)
    assert (entry["action"], entry["details"]) == (
        "user.export",
        {"username": credentials["username"], "conversations": 2},
    )
    assert entry["actor"] == staff.get("/api/auth/me").json()["username"]

    missing = staff.get(f"/api/admin/users/{PydanticObjectId()}/export")
    assert missing.status_code == 404 and error_code(missing) == "not_found"

    # The operator's command: the same file, to stdout or to a new file only its owner reads.
    uri = server_env["MONGODB_URI"]
    printed = export_user(uri, "--username", credentials["username"].upper())
    assert printed.returncode == 0, printed.stderr
    assert without_time(json.loads(printed.stdout)) == without_time(doc)
    written = tmp_path / "request.json"
    assert export_user(uri, "--username", credentials["username"], "--output", str(written)).returncode == 0
    assert without_time(json.loads(written.read_text())) == without_time(doc)
    assert written.stat().st_mode & 0o777 == 0o600
    again = export_user(uri, "--username", credentials["username"], "--output", str(written))
    assert again.returncode != 0 and "exists already" in again.stderr
    nobody = export_user(uri, "--username", "no-such-account-here")
    assert nobody.returncode != 0 and "No account" in nobody.stderr and not nobody.stdout
    assert [(e["action"], e["actor"]) for e in audit_of(staff, owner_id)] == [
        ("user.export", "command line"),
        ("user.export", "command line"),
        ("user.export", entry["actor"]),
    ]
