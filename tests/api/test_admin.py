"""Model versions (staff only): register, activate (checked against what Ollama serves, announced
to every open socket), roll back, delete."""

from __future__ import annotations

import json
import secrets

from beanie import PydanticObjectId

from tests.api.clients import Browser, bearer, create_staff, error_code, isolated_db, register, staff_client
from tests.support.users import make_token, make_user
from tests.support.ws import ChatClient


async def test_only_staff_may_touch_model_versions(db, api_server) -> None:
    user = bearer(api_server, await make_token(await make_user()))
    some_id = str(PydanticObjectId())
    for method, path, body in [
        ("GET", "/api/admin/model-versions", None),
        ("POST", "/api/admin/model-versions", {"name": "x", "base_model": "b", "ollama_model": "m"}),
        ("POST", f"/api/admin/model-versions/{some_id}/activate", None),
        ("POST", f"/api/admin/model-versions/{some_id}/rollback", None),
        ("DELETE", f"/api/admin/model-versions/{some_id}", None),
    ]:
        response = user.request(method, path, json=body)
        assert response.status_code == 403 and error_code(response) == "forbidden", (method, path)


def test_the_command_promotes_an_existing_user(api_server, server_env: dict[str, str]) -> None:
    browser = Browser(api_server)
    credentials = register(browser)
    assert browser.get("/api/auth/me").json()["is_staff"] is False
    out = create_staff(server_env, {**credentials, "email": ""})
    assert "is now staff" in out
    assert browser.get("/api/auth/me").json()["is_staff"] is True


async def test_activate_roll_back_and_delete(
    start_server, server_env: dict[str, str], capture_env: dict[str, str], ollama_model: str
) -> None:
    # A database of its own: which version is active is server-wide state other tests must not see.
    env = {"MONGODB_URI": isolated_db(server_env["MONGODB_URI"])}
    server = await start_server.astart(**env, **capture_env)
    staff = staff_client(server, env)
    user = Browser(server)
    register(user)
    watcher = await ChatClient.connect(server.ws_url, user.post("/api/tokens", json={"name": "w"}).json()["token"])
    served = f"{ollama_model.split(':')[0]}:latest"  # served by Ollama, and not the server's DEFAULT_MODEL text
    tag = secrets.token_hex(3)

    def new_version(name: str, model: str) -> dict:
        response = staff.post(
            "/api/admin/model-versions",
            json={
                "name": f"{name}-{tag}",
                "base_model": ollama_model,
                "ollama_model": model,
                "gguf_sha256": ["a" * 64],
                "metrics": {"eval_loss": 1.25},
            },
        )
        assert response.status_code == 201, response.text
        return response.json()

    async def expect_default(model: str) -> None:
        changed = await watcher.until_type("models.changed", 30)
        assert changed["default_model"] == model and served in changed["models"]
        assert staff.get("/api/models").json()["default_model"] == model

    try:
        first, second = new_version("first", served), new_version("second", served)
        missing = new_version("missing", "no-such-model-" + tag)
        assert first["status"] == "registered" and first["metrics"] == {"eval_loss": 1.25}
        duplicate = staff.post(
            "/api/admin/model-versions", json={"name": first["name"], "base_model": "b", "ollama_model": served}
        )
        assert duplicate.status_code == 409 and error_code(duplicate) == "name_taken"
        listed = [v["id"] for v in staff.get("/api/admin/model-versions").json()["versions"]]
        assert listed == [missing["id"], second["id"], first["id"]]  # newest first

        refused = staff.post(f"/api/admin/model-versions/{missing['id']}/activate")
        assert refused.status_code == 409 and error_code(refused) == "model_not_in_ollama"
        assert staff.get("/api/models").json()["active_version"] is None

        activated = staff.post(f"/api/admin/model-versions/{first['id']}/activate").json()
        assert activated["active_version"]["status"] == "active" and activated["default_model"] == served
        await expect_default(served)
        staff.post(f"/api/admin/model-versions/{second['id']}/activate")
        await expect_default(served)
        versions = {v["id"]: v["status"] for v in staff.get("/api/admin/model-versions").json()["versions"]}
        assert (versions[first["id"]], versions[second["id"]]) == ("retired", "active")

        not_active = staff.post(f"/api/admin/model-versions/{first['id']}/rollback")
        assert not_active.status_code == 409 and error_code(not_active) == "not_active"
        rolled = staff.post(f"/api/admin/model-versions/{second['id']}/rollback").json()
        assert rolled["active_version"]["id"] == first["id"]
        await expect_default(served)

        in_use = staff.delete(f"/api/admin/model-versions/{first['id']}")
        assert in_use.status_code == 409 and error_code(in_use) == "version_active"
        assert staff.delete(f"/api/admin/model-versions/{second['id']}").status_code == 204
        # Nothing was active before the first: rolling it back returns to the server's default.
        back = staff.post(f"/api/admin/model-versions/{first['id']}/rollback").json()
        assert back == {"default_model": ollama_model, "active_version": None}
        await expect_default(ollama_model)
        assert staff.delete(f"/api/admin/model-versions/{first['id']}").status_code == 204
        assert [v["id"] for v in staff.get("/api/admin/model-versions").json()["versions"]] == [missing["id"]]
    finally:
        await watcher.close()


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
