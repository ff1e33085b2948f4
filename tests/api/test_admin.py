"""Staff only: every admin operation refuses other users (the list of routes read from api/urls.py,
so a route added later is covered without touching this file), the staff command, and what a
version's metrics may hold."""

from __future__ import annotations

import json
import re
import secrets

import pytest
from beanie import PydanticObjectId
from django.urls import URLPattern

from api.urls import urlpatterns
from tests.api.clients import Browser, bearer, create_staff, error_code, register, staff_client
from tests.support.users import make_token, make_user


def admin_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation under /api/admin/, ids filled with one nobody holds."""
    found = []
    for pattern in urlpatterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLPattern) and route.startswith("admin/"):
            path = "/api/" + re.sub(r"<(?:\w+:)?\w+>", str(PydanticObjectId()), route)
            found += [(method, path) for method in getattr(pattern.callback, "operations", {})]
    return found


ADMIN_OPERATIONS = admin_operations()


def test_every_admin_route_is_covered() -> None:
    paths = {path.split("/")[3] for _, path in ADMIN_OPERATIONS}
    assert {"model-versions", "audit"} <= paths, paths
    versions = sorted((m, p.split("/")[5:]) for m, p in ADMIN_OPERATIONS if "/model-versions" in p)
    assert versions == [
        ("DELETE", []),
        ("GET", []),
        ("POST", []),
        ("POST", ["activate"]),
        ("POST", ["picks"]),
        ("POST", ["rollback"]),
    ]


@pytest.mark.parametrize(("method", "path"), ADMIN_OPERATIONS, ids=[f"{m} {p}" for m, p in ADMIN_OPERATIONS])
async def test_non_staff_are_refused_and_learn_nothing(db, api_server, method: str, path: str) -> None:
    user = bearer(api_server, await make_token(await make_user()))
    body = {} if method in {"POST", "PUT", "PATCH"} else None
    response = user.request(method, path, json=body)
    assert response.status_code == 403 and error_code(response) == "forbidden", (method, path, response.text)
    assert response.json()["error"]["params"] == {}
    signed_out = Browser(api_server).request(method, path, json=body)
    assert signed_out.status_code in (401, 403), (method, path, signed_out.text)


def test_the_command_promotes_an_existing_user(api_server, server_env: dict[str, str]) -> None:
    browser = Browser(api_server)
    credentials = register(browser)
    assert browser.get("/api/auth/me").json()["is_staff"] is False
    out = create_staff(server_env, {**credentials, "email": ""})
    assert "is now staff" in out
    assert browser.get("/api/auth/me").json()["is_staff"] is True


def test_metrics_json_or_mongodb_cannot_hold_are_refused(api_server, server_env: dict[str, str]) -> None:
    staff = staff_client(api_server, server_env)
    before = staff.get("/api/admin/model-versions").json()
    for metric, value in [("eval_loss", float("nan")), ("eval_loss", float("inf")), ("steps", 2**70)]:
        body = {"name": f"v-{secrets.token_hex(3)}", "base_model": "b", "ollama_model": "m", "metrics": {metric: value}}
        # json.dumps writes NaN and Infinity bare, as a broken script would.
        response = staff.post(
            "/api/admin/model-versions", content=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400 and error_code(response) == "invalid_body", (value, response.text)
        assert f"metrics.{metric}" in response.json()["error"]["message"]
    assert staff.get("/api/admin/model-versions").json() == before
