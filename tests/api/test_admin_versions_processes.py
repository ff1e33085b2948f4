"""Activation across two hadra processes on Redis, against the fake Ollama (which answers on cue):
two admins activating at once leave one active version and one default model on every process and
socket; an answer streaming while the default changes ends on the model it started with, and the
next conversation, on the other process, uses the new one, warmed before it was announced."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

import httpx

from tests.api.clients import Browser, isolated_db, register, staff_client
from tests.fakes.fake_ollama import FakeOllama
from tests.support.servers import LiveServer, ServerStarter
from tests.support.ws import ChatClient, finished_answer, send_and_get_answer_id


async def two_processes(
    start_server: ServerStarter, server_env: dict[str, str], redis_url: str, fake_ollama: FakeOllama, default: str
) -> tuple[list[LiveServer], dict[str, str]]:
    env = {
        "MONGODB_URI": isolated_db(server_env["MONGODB_URI"]),
        "OLLAMA_HOST": fake_ollama.url,
        "DEFAULT_MODEL": default,
        "REDIS_URL": redis_url,
    }
    servers = await asyncio.gather(start_server.astart(**env), start_server.astart(**env))
    return list(servers), {**server_env, **env}


def register_version(staff: httpx.Client, name: str, model: str) -> dict[str, Any]:
    response = staff.post("/api/admin/model-versions", json={"name": name, "base_model": "b", "ollama_model": model})
    assert response.status_code == 201, response.text
    return response.json()


async def activate(client: httpx.AsyncClient, version: dict[str, Any]) -> httpx.Response:
    return await client.post(
        f"/api/admin/model-versions/{version['id']}/activate", json={"override_reason": "test: not evaluated"}
    )


async def last_default(watcher: ChatClient, model: str) -> str:
    """The default the socket was last told of, once it was told of ``model``: a ping's round trip
    after that lets anything sent with it arrive first."""
    await watcher.seen_or_until_type("models.changed", 60, default_model=model)
    await watcher.ping()
    return watcher.of_type("models.changed")[-1]["default_model"]


async def test_two_admins_activating_at_once_leave_one_default_everywhere(
    start_server: ServerStarter, server_env: dict[str, str], redis_url: str, fake_ollama: FakeOllama
) -> None:
    tag = secrets.token_hex(3)
    models = [f"race-{tag}-{i}" for i in range(4)]
    for model in models:
        fake_ollama.set_behaviour(model)
    servers, env = await two_processes(start_server, server_env, redis_url, fake_ollama, "fake-model")
    admins = [staff_client(server, env) for server in servers]
    versions = [register_version(admins[0], f"race-{tag}-{i}", model) for i, model in enumerate(models)]
    user = Browser(servers[0])
    register(user)
    watchers = [
        await ChatClient.connect(server.ws_url, user.post("/api/tokens", json={"name": "w"}).json()["token"])
        for server in servers
        for _ in range(2)
    ]
    clients = [
        httpx.AsyncClient(base_url=s.url, headers=a.headers, timeout=60) for s, a in zip(servers, admins, strict=True)
    ]
    try:
        for first, second in [(0, 1), (2, 3), (1, 0), (3, 2)]:
            for watcher in watchers:
                watcher.frames.clear()
            replies = await asyncio.gather(
                activate(clients[0], versions[first]), activate(clients[1], versions[second])
            )
            assert [r.status_code for r in replies] == [200, 200], [r.text for r in replies]
            listed = admins[1].get("/api/admin/model-versions").json()["versions"]
            active = [v for v in listed if v["status"] == "active"]
            assert len(active) == 1 and active[0]["id"] in {versions[first]["id"], versions[second]["id"]}
            model = active[0]["ollama_model"]
            for admin in admins:  # each process answers from its own cache
                seen = admin.get("/api/models").json()
                assert (seen["default_model"], seen["active_version"]["id"]) == (model, active[0]["id"])
            assert [await last_default(w, model) for w in watchers] == [model] * len(watchers)
        # Both activations of each round were kept, one after the other, and audited.
        audit = admins[0].get("/api/admin/audit").json()["entries"]
        assert [e["action"] for e in audit] == ["version.activate_override"] * 8
    finally:
        for watcher in watchers:
            await watcher.close()
        for client in clients:
            await client.aclose()


async def test_an_answer_streaming_through_an_activation_ends_on_its_model(
    start_server: ServerStarter, server_env: dict[str, str], redis_url: str, fake_ollama: FakeOllama
) -> None:
    tag = secrets.token_hex(3)
    old, new = f"stream-old-{tag}", f"stream-new-{tag}"
    slow = fake_ollama.set_behaviour(old, tokens=1000, tokens_per_s=40)
    fake_ollama.set_behaviour(new, tokens=6, word="new")
    (first, second), env = await two_processes(start_server, server_env, redis_url, fake_ollama, old)
    staff = staff_client(first, env)
    user = Browser(second)
    register(user)
    token = user.post("/api/tokens", json={"name": "w"}).json()["token"]
    on_second = await ChatClient.connect(second.ws_url, token)
    try:
        _, answer_id = await send_and_get_answer_id(on_second, conversation_id=None, content="hi")
        await on_second.until(lambda f: f["type"] == "message.delta" and f["message_id"] == answer_id)

        version = register_version(staff, f"stream-{tag}", new)
        activated = staff.post(
            f"/api/admin/model-versions/{version['id']}/activate", json={"override_reason": "test: not evaluated"}
        )
        assert activated.status_code == 200 and activated.json()["default_model"] == new, activated.text
        await on_second.until_type("models.changed", 30, default_model=new)
        slow.tokens_per_s = float("inf")
        done = await on_second.until_type("message.done", 60, message_id=answer_id)
        assert done["status"] == "complete" and done["content"] == slow.reply()

        _, new_answer_id, new_done = await finished_answer(on_second, 60, conversation_id=None, content="and now?")
        assert new_done["status"] == "complete" and new_done["content"].startswith("new0")
        answered = {
            m["id"]: m["model"]
            for conversation in user.get("/api/conversations").json()["conversations"]
            for m in user.get(f"/api/conversations/{conversation['id']}/messages").json()["messages"]
            if m["role"] == "assistant"
        }
        assert answered == {answer_id: old, new_answer_id: new}
        # Ollama was asked for each model once, and loaded the new one before anyone chatted with it.
        asked = [(r["path"], r["body"]["model"]) for r in fake_ollama.state.requests if tag in str(r["body"])]
        assert asked == [("/api/chat", old), ("/api/generate", new), ("/api/chat", new)]
    finally:
        await on_second.close()
