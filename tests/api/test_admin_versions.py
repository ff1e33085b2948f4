"""Model versions on the real Ollama: the activation history walked back down to the server's
DEFAULT_MODEL, retiring (removed from Ollama, record kept, conversations moved with a note), and
the audit of each step, listed newest first page by page."""

from __future__ import annotations

from datetime import UTC, datetime

from pymongo import AsyncMongoClient

from ollama_gateway import OllamaGateway
from tests.api.clients import isolated_db
from tests.api.versions import Console, console, derived_models, refused
from tests.support.servers import ServerStarter
from tests.support.ws import ChatClient, finished_answer

__all__ = ["derived_models"]  # the fixture, imported for pytest


async def expect_default(c: Console, watcher: ChatClient, model: str) -> None:
    changed = await watcher.until_type("models.changed", 60)
    assert changed["default_model"] == model
    assert c.staff.get("/api/models").json()["default_model"] == model


async def test_rollback_walks_the_whole_history_down_to_the_default(
    start_server: ServerStarter, server_env: dict[str, str], ollama_model: str, derived_models: list[str]
) -> None:
    c = await console(start_server, server_env)
    watcher = await c.watcher()
    try:
        a, b, third = (c.register(n, m) for n, m in zip("abc", derived_models, strict=True))
        for version, model in ((a, derived_models[0]), (b, derived_models[1]), (third, derived_models[2])):
            assert c.activated(version)["default_model"] == model
            await expect_default(c, watcher, model)
        # Activate a again: the stack is a, b, c, a; its history is walked back entry by entry.
        c.activated(a)
        await expect_default(c, watcher, derived_models[0])
        assert c.statuses() == {a["name"]: "active", b["name"]: "inactive", third["name"]: "inactive"}

        refused(c.rollback(b), 409, "not_active")
        rolled = c.rollback(a).json()
        assert rolled["active_version"]["id"] == third["id"] and rolled["default_model"] == derived_models[2]
        await expect_default(c, watcher, derived_models[2])
        assert c.statuses() == {a["name"]: "inactive", b["name"]: "inactive", third["name"]: "active"}
        assert c.rollback(third).json()["active_version"]["id"] == b["id"]
        await expect_default(c, watcher, derived_models[1])
        assert c.rollback(b).json()["active_version"]["id"] == a["id"]
        await expect_default(c, watcher, derived_models[0])
        # The oldest entry rolled back: the server's own default, not a again.
        back = c.rollback(a).json()
        assert back == {"default_model": ollama_model, "active_version": None}
        await expect_default(c, watcher, ollama_model)
        assert c.staff.get("/api/models").json()["active_version"] is None
        assert set(c.statuses().values()) == {"inactive"}
        refused(c.rollback(a), 409, "not_active")  # nothing is active: nothing to roll back

        actions = [(e["action"], e["target"]) for e in c.audit()]
        assert actions == [
            ("version.rollback", a["id"]),
            ("version.rollback", b["id"]),
            ("version.rollback", third["id"]),
            ("version.rollback", a["id"]),
            *[("version.activate_override", v["id"]) for v in (a, third, b, a)],
        ]
    finally:
        await watcher.close()


async def test_rollback_skips_retired_versions(
    start_server: ServerStarter, server_env: dict[str, str], ollama_model: str, derived_models: list[str]
) -> None:
    c = await console(start_server, server_env)
    a, b, third = (c.register(n, m) for n, m in zip("abc", derived_models, strict=True))
    for version in (a, b, third):
        c.activated(version)
    refused(c.staff.delete(f"/api/admin/model-versions/{third['id']}"), 409, "version_active")
    retired = c.staff.delete(f"/api/admin/model-versions/{b['id']}")
    assert retired.status_code == 200 and retired.json()["status"] == "retired", retired.text
    assert c.rollback(third).json()["active_version"]["id"] == a["id"]  # b is gone: a is below it
    assert c.rollback(a).json() == {"default_model": ollama_model, "active_version": None}
    assert c.statuses() == {a["name"]: "inactive", b["name"]: "retired", third["name"]: "inactive"}
    # A retired version is not served any more: it cannot come back.
    refused(c.activate(b), 409, "model_not_in_ollama")


async def test_retiring_removes_the_model_and_moves_its_conversations_with_a_note(
    start_server: ServerStarter,
    server_env: dict[str, str],
    ollama_host: str,
    ollama_model: str,
    derived_models: list[str],
) -> None:
    c = await console(start_server, server_env)
    version = c.register("pinned", derived_models[0])
    user = await c.watcher()
    try:
        pinned, _, done = await finished_answer(user, 120, conversation_id=None, content="hi", model=derived_models[0])
        assert done["status"] == "complete", done
        other, _, _ = await finished_answer(user, 120, conversation_id=None, content="hi")
        before = c.user.get(f"/api/conversations/{pinned}/messages").json()["conversation"]
        assert before["model"] == derived_models[0] and before["model_note"] is None

        retired = c.staff.delete(f"/api/admin/model-versions/{version['id']}").json()
        assert retired["status"] == "retired" and retired["retired_at"]
        async with OllamaGateway(ollama_host) as gateway:
            assert not await gateway.has_model(derived_models[0])
        assert c.statuses() == {version["name"]: "retired"}  # the record is kept

        moved = c.user.get(f"/api/conversations/{pinned}/messages").json()["conversation"]
        assert moved["model"] is None
        assert moved["model_note"] == {"code": "model_retired", "params": {"model": derived_models[0]}}
        untouched = c.user.get(f"/api/conversations/{other}/messages").json()["conversation"]
        assert untouched["model"] == ollama_model and untouched["model_note"] is None
        await user.send("conversation.open", conversation_id=pinned)
        snapshot = await user.until_type("conversation.snapshot", 30)
        assert snapshot["conversation"]["model_note"] == moved["model_note"]
        # The conversation goes on, on the default model, instead of failing.
        _, answer_id, done = await finished_answer(user, 120, conversation_id=pinned, content="still there?")
        assert done["status"] == "complete", done
        messages = c.user.get(f"/api/conversations/{pinned}/messages").json()["messages"]
        assert [m["model"] for m in messages if m["id"] == answer_id] == [ollama_model]

        entry = c.audit()[0]
        assert entry["action"] == "version.retire" and entry["target"] == version["id"]
        assert entry["details"]["conversations_moved"] == 1 and entry["details"]["removed_from_ollama"] is True
        assert c.staff.delete(f"/api/admin/model-versions/{version['id']}").json()["status"] == "retired"
    finally:
        await user.close()


async def test_the_audit_is_listed_newest_first_page_by_page(
    start_server: ServerStarter, server_env: dict[str, str], derived_models: list[str]
) -> None:
    c = await console(start_server, server_env)
    version = c.register("picked", derived_models[0])
    for winner in ["version", "active", "tie", "version", "version"]:
        assert (
            c.staff.post(f"/api/admin/model-versions/{version['id']}/picks", json={"winner": winner}).status_code == 200
        )
    everything = c.audit()
    assert [e["details"]["winner"] for e in everything] == ["version", "version", "tie", "active", "version"]
    assert all(e["actor"].startswith("admin-") and e["action"] == "version.pick" for e in everything)
    pages, cursor = [], None
    while True:
        page = c.staff.get("/api/admin/audit", params={"limit": 2, **({"before": cursor} if cursor else {})}).json()
        pages.append([e["id"] for e in page["entries"]])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [i for p in pages for i in p] == [e["id"] for e in everything]
    refused(c.staff.get("/api/admin/audit", params={"before": "yesterday"}), 400, "invalid_cursor")


async def test_a_database_from_before_the_stack_keeps_its_active_version(
    start_server: ServerStarter, server_env: dict[str, str], ollama_model: str, derived_models: list[str]
) -> None:
    uri = isolated_db(server_env["MONGODB_URI"])
    then = datetime(2026, 1, 1, tzinfo=UTC)
    old = {"base_model": "base", "gguf_sha256": [], "metrics": {}, "created_at": then, "activated_at": then}
    client: AsyncMongoClient = AsyncMongoClient(uri)
    try:
        await client.get_default_database()["model_versions"].insert_many(
            [
                {**old, "name": "was-active", "ollama_model": derived_models[0], "status": "active"},
                # "retired" meant "was active, still in Ollama" then.
                {**old, "name": "was-before", "ollama_model": derived_models[1], "status": "retired"},
            ]
        )
    finally:
        await client.close()
    c = await console(start_server, server_env, MONGODB_URI=uri)
    models = c.staff.get("/api/models").json()
    assert models["default_model"] == derived_models[0] and models["active_version"]["name"] == "was-active"
    assert c.statuses() == {"was-active": "active", "was-before": "inactive"}
    listed = {v["name"]: v for v in c.staff.get("/api/admin/model-versions").json()["versions"]}
    assert c.rollback(listed["was-active"]).json() == {"default_model": ollama_model, "active_version": None}
    assert c.activated(listed["was-before"])["default_model"] == derived_models[1]
