"""HTTP clients for the API tests: a browser (session cookie + CSRF header, as the web UI sends
them) and a script (bearer token)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from typing import Any

import httpx

from tests.support.servers import ROOT, LiveServer

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class Browser:
    """Cookies kept between requests; the csrftoken cookie echoed in X-CSRFToken on unsafe methods."""

    def __init__(self, server: LiveServer, **transport: Any) -> None:
        self.http = httpx.Client(
            base_url=server.url, timeout=60, transport=httpx.HTTPTransport(**transport) if transport else None
        )
        self.http.get("/api/auth/me")  # sets the csrftoken cookie, as the web UI's first call does

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = kwargs.pop("headers", {})
        if method in UNSAFE and "csrftoken" in self.http.cookies:
            headers.setdefault("X-CSRFToken", self.http.cookies["csrftoken"])
        return self.http.request(method, path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    @property
    def session_cookie(self) -> str:
        return f"sessionid={self.http.cookies['sessionid']}"


def bearer(server: LiveServer, token: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, timeout=60, headers={"Authorization": f"Bearer {token}"})


def new_credentials(prefix: str = "user") -> dict[str, str]:
    """A fresh username, email and password (built at run time: no password literal in the repo)."""
    name = f"{prefix}-{secrets.token_hex(4)}"
    return {"username": name, "email": f"{name}@example.com", "password": "pw-" + secrets.token_urlsafe(12)}


def register(browser: Browser, prefix: str = "user") -> dict[str, str]:
    credentials = new_credentials(prefix)
    response = browser.post("/api/auth/register", json=credentials)
    assert response.status_code == 201, response.text
    return credentials


def error_code(response: httpx.Response) -> str:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "params"}, body
    assert body["error"]["message"], body
    return body["error"]["code"]


def export_doc(messages: list[dict[str, Any]], title: str = "Imported", leaf: str | None = None) -> dict[str, Any]:
    """An export file as a user might hand-write one: ``messages`` are (id, parent, role, content) dicts."""
    stamp = "2026-01-0{}T00:00:00Z"
    return {
        "format": "hadra.conversation",
        "version": 1,
        "conversation": {
            "title": title,
            "system_prompt": "",
            "model": None,
            "active_leaf_id": leaf,
            "created_at": stamp.format(1),
            "updated_at": stamp.format(1),
        },
        "messages": [
            {"created_at": stamp.format(i + 1), "updated_at": stamp.format(i + 1), **m} for i, m in enumerate(messages)
        ],
    }


def small_tree() -> dict[str, Any]:
    """A question with two alternative answers (a branch point), the second one active."""
    return export_doc(
        [
            {"id": "q", "role": "user", "content": "What is a cat?"},
            {"id": "a1", "parent_id": "q", "role": "assistant", "content": "A small feline."},
            {"id": "a2", "parent_id": "q", "role": "assistant", "content": "A pet that purrs."},
        ],
        title="About cats",
        leaf="a2",
    )


def isolated_db(mongo_uri: str) -> str:
    """The same server, a database of its own: for tests that change server-wide state."""
    isolated = mongo_uri.replace("/hadra?", f"/hadra_{secrets.token_hex(4)}?")
    assert isolated != mongo_uri
    return isolated


def create_staff(env: dict[str, str], credentials: dict[str, str]) -> str:
    """The management command, run as an operator would (password from the environment)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "create_staff_user",
            "--username",
            credentials["username"],
            "--email",
            credentials["email"],
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            **env,
            "DJANGO_SETTINGS_MODULE": "asgi_app.settings",
            "HADRA_STAFF_PASSWORD": credentials["password"],
        },
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def staff_client(server: LiveServer, env: dict[str, str]) -> httpx.Client:
    credentials = new_credentials("admin")
    assert "Created staff user" in create_staff(env, credentials)
    browser = Browser(server)
    login = browser.post(
        "/api/auth/login", json={"username": credentials["username"], "password": credentials["password"]}
    )
    assert login.status_code == 200 and login.json()["is_staff"] is True
    return bearer(server, browser.post("/api/tokens", json={"name": "admin"}).json()["token"])
