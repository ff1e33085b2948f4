"""What an account can do to itself: sign out every browser session (tokens keep working), delete
itself with everything it holds (confirmed by its password; on every process, while its answer
streams), and download everything first (re-importable conversation by conversation)."""

from __future__ import annotations

import asyncio
import re
import secrets
from typing import Any

import httpx
import pytest
import websockets
from beanie import PydanticObjectId
from pymongo import AsyncMongoClient

from tests.api.clients import Browser, bearer, error_code, isolated_db, register, small_tree, staff_client
from tests.fakes.fake_ollama import FakeOllama
from tests.support.servers import LiveServer, ServerStarter
from tests.support.ws import ChatClient, finished_answer, send_and_get_answer_id

SIGNED_OUT_CLOSE = (4401, "signed_out")


def _login(server: LiveServer, credentials: dict[str, str]) -> tuple[Browser, httpx.Response]:
    browser = Browser(server)
    reply = browser.post(
        "/api/auth/login", json={"username": credentials["username"], "password": credentials["password"]}
    )
    return browser, reply


async def _cookie_socket(server: LiveServer, browser: Browser) -> ChatClient:
    ws = await websockets.connect(
        server.ws_url, origin=f"http://127.0.0.1:{server.port}", additional_headers={"Cookie": browser.session_cookie}
    )
    client = ChatClient(ws)
    await client.ping()
    return client


async def _closed_as_signed_out(client: ChatClient) -> None:
    """Read until the server closes the socket (bounded only as a safety net): the last frame says
    the user was signed out, and the close carries 4401 and that reason."""
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            await client.recv(120)
    assert client.frames[-1]["type"] == "error" and client.frames[-1]["code"] == "signed_out", client.frames[-1:]
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == SIGNED_OUT_CLOSE


def _refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status and error_code(response) == code, response.text


async def test_signing_out_everywhere_ends_every_browser_session_but_no_token(api_server) -> None:
    here = Browser(api_server)
    credentials = register(here)
    elsewhere, login = _login(api_server, credentials)
    assert login.status_code == 200
    token = here.post("/api/tokens", json={"name": "script"}).json()["token"]
    browser_socket = await _cookie_socket(api_server, elsewhere)
    token_socket = await ChatClient.connect(api_server.ws_url, token)
    await token_socket.ping()
    stranger = Browser(api_server)  # another account, signed in with its socket open
    register(stranger)
    stranger_socket = await _cookie_socket(api_server, stranger)

    assert here.post("/api/auth/logout-everywhere").status_code == 204
    await _closed_as_signed_out(browser_socket)
    for browser in (here, elsewhere):
        _refused(browser.get("/api/auth/me"), 401, "unauthenticated")
    assert stranger.get("/api/auth/me").status_code == 200  # only the caller's own sessions end
    await stranger_socket.ping()
    await stranger_socket.close()
    with bearer(api_server, token) as script:
        assert script.get("/api/auth/me").status_code == 200
        await token_socket.ping()  # still open
        # A script may end the browser sessions too; its own token goes on working.
        again, login = _login(api_server, credentials)
        assert login.status_code == 200
        assert script.post("/api/auth/logout-everywhere").status_code == 204
        _refused(again.get("/api/auth/me"), 401, "unauthenticated")
        assert script.get("/api/auth/me").json()["username"] == credentials["username"]
    await token_socket.close()
    assert _login(api_server, credentials)[1].status_code == 200  # the password still signs in


async def test_a_wrong_password_deletes_nothing(api_server) -> None:
    browser = Browser(api_server)
    register(browser)
    assert browser.post("/api/conversations/import", json=small_tree()).status_code == 201
    token = browser.post("/api/tokens", json={"name": "script"}).json()["token"]
    _refused(
        browser.delete("/api/auth/me", json={"password": "not-" + secrets.token_hex(6)}), 401, "invalid_credentials"
    )
    _refused(browser.delete("/api/auth/me"), 415, "unsupported_media_type")  # no body at all
    _refused(browser.delete("/api/auth/me", json={}), 400, "invalid_body")
    with bearer(api_server, token) as script:
        _refused(script.request("DELETE", "/api/auth/me", json={"password": ""}), 400, "invalid_body")
        assert script.get("/api/auth/me").status_code == 200
        assert len(script.get("/api/conversations").json()["conversations"]) == 1
    assert browser.get("/api/auth/me").status_code == 200


async def test_deleting_an_account_while_its_answer_streams_ends_everything_on_every_process(
    start_server: ServerStarter, server_env: dict[str, str], redis_url: str, fake_ollama: FakeOllama
) -> None:
    tag = secrets.token_hex(3)
    quick, slow = f"quick-{tag}", f"slow-{tag}"
    fake_ollama.set_behaviour(quick)
    fake_ollama.set_behaviour(slow, tokens=2000, tokens_per_s=20)
    env = {
        "MONGODB_URI": isolated_db(server_env["MONGODB_URI"]),
        "OLLAMA_HOST": fake_ollama.url,
        "REDIS_URL": redis_url,
    }
    server_a, server_b = await asyncio.gather(start_server.astart(**env), start_server.astart(**env))
    staff = staff_client(server_a, {**server_env, **env})

    owner = Browser(server_a)
    credentials = register(owner)
    owner_id = owner.get("/api/auth/me").json()["id"]
    token = owner.post("/api/tokens", json={"name": "script"}).json()["token"]
    assert owner.post("/api/conversations/import", json=small_tree()).status_code == 201
    bystander = Browser(server_b)
    register(bystander)
    bystander_token = bystander.post("/api/tokens", json={"name": "script"}).json()["token"]
    on_a = await _cookie_socket(server_a, owner)
    on_b = await ChatClient.connect(server_b.ws_url, token)
    watcher = await ChatClient.connect(server_b.ws_url, bystander_token)
    try:
        # A 👍 answer each: two rows of the next training data.
        for client, browser in ((on_b, owner), (watcher, bystander)):
            _, answer, done = await finished_answer(client, 120, conversation_id=None, content="hi", model=quick)
            assert done["status"] == "complete", done
            assert browser.post(f"/api/messages/{answer}/feedback", json={"rating": "up"}).status_code == 200
        assert staff.get("/api/admin/dataset").json()["chat_rated"] == 2
        kept = bystander.get("/api/conversations").json()["conversations"]

        _, streaming = await send_and_get_answer_id(on_b, conversation_id=None, content="tell me", model=slow)
        await on_b.until(lambda f: f["type"] == "message.delta" and f["seq"] >= 2)
        deleted = owner.delete("/api/auth/me", json={"password": credentials["password"]})
        assert deleted.status_code == 204, deleted.text

        for socket in (on_a, on_b):  # one on this process, one on the other
            await _closed_as_signed_out(socket)
        assert await fake_ollama.hung_up(slow), "the answer was not stopped"
        await watcher.ping()  # another account's socket is left alone

        _refused(owner.get("/api/auth/me"), 401, "unauthenticated")
        _refused(_login(server_b, credentials)[1], 401, "invalid_credentials")
        for server in (server_a, server_b):
            with bearer(server, token) as script:
                _refused(script.get("/api/auth/me"), 401, "invalid_token")
        with pytest.raises(websockets.ConnectionClosed) as closed:
            again = await ChatClient.connect(server_b.ws_url, token)
            await again.recv(30)
            await again.recv(30)
        assert closed.value.rcvd.code == 4401

        # Nothing of it is left; the other account's data is as it was.
        assert await _rows_of(env["MONGODB_URI"], owner_id, streaming) == {
            "users": 0,
            "conversations": 0,
            "messages": 0,
            "api_tokens": 0,
            "sessions": 0,
            "search_words": 0,
            "the streaming answer": 0,
        }
        assert bystander.get("/api/conversations").json()["conversations"] == kept
        assert staff.get("/api/admin/dataset").json()["chat_rated"] == 1
        entry = staff.get("/api/admin/audit").json()["entries"][0]
        assert (entry["action"], entry["actor"], entry["target"]) == (
            "account.deleted",
            credentials["username"],
            owner_id,
        )
        assert entry["details"] == {"username": credentials["username"], "conversations": 3}
        # Its name and email are free again.
        assert Browser(server_b).post("/api/auth/register", json=credentials).status_code == 201
        for server in (server_a, server_b):
            assert "Traceback" not in server.log_path.read_text(errors="replace"), server.log_path
    finally:
        await watcher.close()


async def _rows_of(mongo_uri: str, user_id: str, answer_id: str) -> dict[str, int]:
    client: AsyncMongoClient = AsyncMongoClient(mongo_uri)
    try:
        database = client.get_default_database()
        oid = PydanticObjectId(user_id)
        return {
            "users": await database["users"].count_documents({"_id": oid}),
            "conversations": await database["conversations"].count_documents({"user_id": oid}),
            "messages": await database["messages"].count_documents({"user_id": oid}),
            "api_tokens": await database["api_tokens"].count_documents({"user_id": oid}),
            "sessions": await database["sessions"].count_documents({"user_id": user_id}),
            "search_words": await database["search_words"].count_documents({"user_id": oid}),
            "the streaming answer": await database["messages"].count_documents({"_id": PydanticObjectId(answer_id)}),
        }
    finally:
        await client.close()


def test_the_last_staff_account_cannot_delete_itself(start_server, server_env: dict[str, str]) -> None:
    env = {"MONGODB_URI": isolated_db(server_env["MONGODB_URI"])}
    server = start_server(**env)
    first = staff_client(server, env)
    first_id = first.get("/api/auth/me").json()["id"]
    member = Browser(server)
    credentials = register(member)
    member_id = member.get("/api/auth/me").json()["id"]
    # The member becomes staff, and the first admin steps down: the member is the last staff.
    assert first.patch(f"/api/admin/users/{member_id}", json={"is_staff": True}).status_code == 200
    assert member.patch(f"/api/admin/users/{first_id}", json={"is_staff": False}).status_code == 200
    _refused(member.delete("/api/auth/me", json={"password": credentials["password"]}), 409, "last_staff")
    assert member.get("/api/auth/me").json()["is_staff"] is True  # still there, still signed in
    assert _login(server, credentials)[1].status_code == 200
    # With another staff account, it may go.
    assert member.patch(f"/api/admin/users/{first_id}", json={"is_staff": True}).status_code == 200
    assert member.delete("/api/auth/me", json={"password": credentials["password"]}).status_code == 204
    _refused(_login(server, credentials)[1], 401, "invalid_credentials")


async def test_the_download_holds_every_conversation_and_branch_and_imports_again(
    start_server: ServerStarter,
) -> None:
    # A server of its own: its chat's queries stay out of the API server's query log (test_indexes.py).
    server = await start_server.astart(HADRA_MAX_ANSWER_TOKENS="8")
    owner = Browser(server)
    credentials = register(owner)
    owner.patch("/api/auth/me", json={"language": "fr", "default_system_prompt": "Sois bref."})
    for _ in range(2):
        assert owner.post("/api/conversations/import", json=small_tree()).status_code == 201
    token = owner.post("/api/tokens", json={"name": "script"}).json()["token"]
    client = await ChatClient.connect(server.ws_url, token)
    try:
        chatted, _, done = await finished_answer(client, 120, conversation_id=None, content="Salam!")
        assert done["status"] == "complete", done
    finally:
        await client.close()
    other = Browser(server)
    register(other)
    theirs = small_tree()
    theirs["conversation"]["title"] = "Other's"
    assert other.post("/api/conversations/import", json=theirs).status_code == 201

    download = owner.get("/api/auth/me/export")
    assert download.status_code == 200, download.text
    assert re.fullmatch(
        rf'attachment; filename="hadra-{credentials["username"]}-\d{{4}}-\d{{2}}-\d{{2}}\.json"',
        download.headers["Content-Disposition"],
    )
    doc: dict[str, Any] = download.json()
    assert (doc["format"], doc["version"]) == ("hadra.account", 1)
    assert doc["account"] | {"created_at": None} == {
        "username": credentials["username"],
        "email": credentials["email"],
        "created_at": None,
        "language": "fr",
        "theme": "system",
        "default_model": None,
        "default_system_prompt": "Sois bref.",
        "exclude_from_training": False,
    }
    conversations = doc["conversations"]
    assert [c["format"] for c in conversations] == ["hadra.conversation"] * 3
    assert sorted(len(c["messages"]) for c in conversations) == [2, 3, 3]  # both answers of each branch point
    assert "Other's" not in download.text

    # Each conversation imports again, branches and all, into another account.
    fresh = Browser(server)
    register(fresh)
    for conversation in conversations:
        assert fresh.post("/api/conversations/import", json=conversation).status_code == 201, conversation
    imported = fresh.get("/api/conversations").json()["conversations"]
    assert sorted(c["title"] or "" for c in imported) == sorted(c["conversation"]["title"] or "" for c in conversations)
    branched = next(c for c in imported if c["title"] == "About cats")
    shown = fresh.get(f"/api/conversations/{branched['id']}/messages").json()["messages"]
    assert [m["content"] for m in shown] == ["What is a cat?", "A pet that purrs."]
    assert len(shown[1]["sibling_ids"]) == 2
    assert any(
        m["content"] == "Salam!"
        for c in conversations
        for m in c["messages"]
        if c["conversation"]["title"] != "About cats"
    ), chatted

    # Another account's token downloads that account's data only.
    with bearer(server, other.post("/api/tokens", json={"name": "x"}).json()["token"]) as script:
        download = script.get("/api/auth/me/export").json()
        assert download["account"]["username"] != credentials["username"]
        assert [c["conversation"]["title"] for c in download["conversations"]] == ["Other's"]
