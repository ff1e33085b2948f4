"""Accounts on the admin page (staff only): the account list, disabling and enabling an account
(everything it holds ends, on every process), granting and removing staff (never yourself, never
the last staff), opening and closing sign-up; and a user's own consent to training."""

from __future__ import annotations

import asyncio
import secrets
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import websockets
from beanie import PydanticObjectId
from pymongo import MongoClient

from models import AuditEntry, Message, User
from tests.api.clients import (
    Browser,
    bearer,
    create_staff,
    error_code,
    isolated_db,
    new_credentials,
    register,
    small_tree,
    staff_client,
)
from tests.support.users import make_token, make_user
from tests.support.ws import ChatClient, send_and_get_answer_id

DISABLED_CLOSE = (4401, "account_disabled")


def _login(server, credentials: dict[str, str]) -> httpx.Response:
    return Browser(server).post(
        "/api/auth/login", json={"username": credentials["username"], "password": credentials["password"]}
    )


async def _cookie_socket(server, browser: Browser) -> ChatClient:
    ws = await websockets.connect(
        server.ws_url, origin=f"http://127.0.0.1:{server.port}", additional_headers={"Cookie": browser.session_cookie}
    )
    client = ChatClient(ws)
    await client.ping()
    return client


async def _closed_as_disabled(client: ChatClient) -> None:
    """Read until the server closes the socket (bounded only as a safety net): the last frame says
    the account was disabled, and the close carries 4401 and that reason."""
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            await client.recv(120)
    assert client.frames[-1]["type"] == "error" and client.frames[-1]["code"] == "account_disabled", client.frames[-1:]
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == DISABLED_CLOSE


async def _stored_status(answer_id: str, wanted: str, timeout: float = 60) -> str:
    """The answer's stored status once it is ``wanted`` (or whatever it is at the deadline)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        status = (await Message.get(PydanticObjectId(answer_id))).status
        if status == wanted or asyncio.get_running_loop().time() > deadline:
            return status
        await asyncio.sleep(0.2)


async def test_a_second_account_gets_403_on_every_user_admin_operation_and_changes_nothing(db, api_server) -> None:
    target = await make_user()
    other = bearer(api_server, await make_token(await make_user()))
    for method, path, body in [
        ("GET", "/api/admin/users", None),
        ("GET", "/api/admin/users?q=user", None),
        ("PATCH", f"/api/admin/users/{target.id}", {"disabled": True}),
        ("PATCH", f"/api/admin/users/{target.id}", {"is_staff": True}),
        ("PATCH", f"/api/admin/users/{PydanticObjectId()}", {"disabled": True}),
        ("GET", "/api/admin/settings", None),
        ("PATCH", "/api/admin/settings", {"signup_open": False}),
    ]:
        response = other.request(method, path, json=body)
        assert response.status_code == 403 and error_code(response) == "forbidden", (method, path)
        # The same reply whatever the id: nothing about accounts leaks into it.
        assert response.json()["error"]["params"] == {} and target.username not in response.text
    stored = await User.get(target.id)
    assert (stored.disabled, stored.is_staff) == (False, False)
    assert await AuditEntry.find({"target": str(target.id)}).count() == 0


async def test_staff_list_accounts_by_username_with_counts_and_a_prefix_search(
    db, api_server, server_env: dict[str, str]
) -> None:
    staff = staff_client(api_server, server_env)
    prefix = f"ls{secrets.token_hex(3)}"
    users = sorted([await make_user(prefix) for _ in range(3)], key=lambda u: u.username)
    with bearer(api_server, await make_token(users[1])) as owner:
        for _ in range(2):
            assert owner.post("/api/conversations/import", json=small_tree()).status_code == 201
        assert owner.patch("/api/auth/me", json={"exclude_from_training": True}).status_code == 200

    first = staff.get("/api/admin/users", params={"q": prefix.upper(), "limit": 2})
    assert first.status_code == 200, first.text
    second = staff.get("/api/admin/users", params={"q": prefix, "limit": 2, "cursor": first.json()["next_cursor"]})
    assert second.json()["next_cursor"] is None
    listed = first.json()["users"] + second.json()["users"]
    assert [u["username"] for u in listed] == [u.username for u in users]
    assert [u["conversations"] for u in listed] == [0, 2, 0]
    assert [u["exclude_from_training"] for u in listed] == [False, True, False]
    assert listed[0] == {
        "id": str(users[0].id),
        "username": users[0].username,
        "email": users[0].email,
        "is_staff": False,
        "disabled": False,
        "exclude_from_training": False,
        "created_at": listed[0]["created_at"],
        "conversations": 0,
    }
    everyone = staff.get("/api/admin/users", params={"limit": 100}).json()["users"]
    assert [u["username"] for u in everyone] == sorted(u["username"] for u in everyone)
    bad = staff.get("/api/admin/users", params={"cursor": "not-a-cursor!"})
    assert bad.status_code == 400 and error_code(bad) == "invalid_cursor"


async def test_disabling_ends_sessions_tokens_sockets_and_answers_on_every_process(
    db, start_server, server_env: dict[str, str], redis_url: str, fake_ollama
) -> None:
    fake_ollama.set_behaviour("slow-disabled", tokens=2000, tokens_per_s=20)
    env = {"OLLAMA_HOST": fake_ollama.url, "REDIS_URL": redis_url}
    server_a, server_b = await asyncio.gather(start_server.astart(**env), start_server.astart(**env))
    staff = staff_client(server_a, server_env)
    browser = Browser(server_a)
    credentials = register(browser)
    token = browser.post("/api/tokens", json={"name": "script"}).json()["token"]
    user_id = browser.get("/api/auth/me").json()["id"]
    bystander = await ChatClient.connect(server_b.ws_url, await make_token(await make_user()))
    on_a = await _cookie_socket(server_a, browser)
    on_b = await ChatClient.connect(server_b.ws_url, token)
    _, answer_id = await send_and_get_answer_id(on_b, conversation_id=None, content="hi", model="slow-disabled")
    await on_b.until(lambda f: f["type"] == "message.delta" and f["seq"] >= 2)

    disabled = staff.patch(f"/api/admin/users/{user_id}", json={"disabled": True})
    assert disabled.status_code == 200, disabled.text
    assert disabled.json()["disabled"] is True

    for socket in (on_a, on_b):  # one on this process, one on the other
        await _closed_as_disabled(socket)
    assert await _stored_status(answer_id, "stopped") == "stopped"  # stopped on B, its text kept
    assert await fake_ollama.hung_up("slow-disabled"), "Ollama's stream was not closed"
    await bystander.ping()
    for server in (server_a, server_b):
        with bearer(server, token) as script:
            refused = script.get("/api/auth/me")
            assert refused.status_code == 401 and error_code(refused) == "invalid_token"
    assert browser.get("/api/auth/me").status_code == 401
    login = _login(server_b, credentials)
    assert login.status_code == 401 and error_code(login) == "account_disabled"
    assert "administrator" in login.json()["error"]["message"]
    with pytest.raises(websockets.ConnectionClosed) as closed:
        again = await ChatClient.connect(server_b.ws_url, token)
        await again.recv(30)
        await again.recv(30)
    assert closed.value.rcvd.code == 4401

    enabled = staff.patch(f"/api/admin/users/{user_id}", json={"disabled": False})
    assert enabled.status_code == 200 and enabled.json()["disabled"] is False
    login = _login(server_b, credentials)
    assert login.status_code == 200, login.text
    with bearer(server_a, token) as script:
        assert script.get("/api/auth/me").status_code == 401  # tokens stay revoked: make new ones
    assert [e.action for e in await AuditEntry.find({"target": user_id}).sort("at").to_list()] == [
        "user.disable",
        "user.enable",
    ]
    await bystander.close()


def test_staff_cannot_disable_or_unstaff_themselves_and_one_staff_always_remains(
    start_server, server_env: dict[str, str]
) -> None:
    # A database of its own: how many staff there are is server-wide state.
    env = {"MONGODB_URI": isolated_db(server_env["MONGODB_URI"])}
    server = start_server(**env)
    first, second = staff_client(server, env), staff_client(server, env)
    ids = [client.get("/api/auth/me").json()["id"] for client in (first, second)]
    for body in ({"disabled": True}, {"is_staff": False}, {"disabled": True, "is_staff": False}):
        refused = first.patch(f"/api/admin/users/{ids[0]}", json=body)
        assert refused.status_code == 409 and error_code(refused) == "cannot_change_self", body
    assert first.patch(f"/api/admin/users/{ids[0]}", json={"is_staff": True}).status_code == 200  # no change
    empty = first.patch(f"/api/admin/users/{ids[1]}", json={})
    assert empty.status_code == 400 and error_code(empty) == "empty_patch"
    missing = first.patch(f"/api/admin/users/{PydanticObjectId()}", json={"disabled": True})
    assert missing.status_code == 404 and error_code(missing) == "not_found"

    # Two admins removing each other at the same moment: never both, so a staff account remains.
    refusals: set[str] = set()
    with ThreadPoolExecutor(2) as pool:
        for _ in range(6):
            replies = list(
                pool.map(
                    lambda pair: pair[0].patch(f"/api/admin/users/{pair[1]}", json={"is_staff": False}),
                    [(first, ids[1]), (second, ids[0])],
                )
            )
            assert [r.status_code for r in replies].count(200) <= 1, [r.text for r in replies]
            refusals |= {error_code(r) for r in replies if r.status_code != 200}
            assert refusals <= {"last_staff", "forbidden"}
            staff = [c for c in (first, second) if c.get("/api/auth/me").json()["is_staff"]]
            assert staff, "no staff account is left"
            for account_id in ids:  # the survivor makes the other staff again for the next round
                assert staff[0].patch(f"/api/admin/users/{account_id}", json={"is_staff": True}).status_code == 200


def test_closed_sign_up_refuses_new_accounts_but_make_staff_still_creates_them(
    start_server, server_env: dict[str, str]
) -> None:
    env = {"MONGODB_URI": isolated_db(server_env["MONGODB_URI"])}
    server = start_server(**env)
    staff = staff_client(server, env)
    assert staff.get("/api/admin/settings").json() == {"signup_open": True}
    assert staff.patch("/api/admin/settings", json={"signup_open": False}).json() == {"signup_open": False}
    assert staff.patch("/api/admin/settings", json={"signup_open": False}).status_code == 200  # no change
    assert staff.get("/api/admin/settings").json() == {"signup_open": False}

    refused = Browser(server).post("/api/auth/register", json=new_credentials())
    assert refused.status_code == 403 and error_code(refused) == "signup_closed"
    assert "administrator" in refused.json()["error"]["message"]
    operator_made = new_credentials("operator")
    assert "Created staff user" in create_staff(env, operator_made)
    assert _login(server, operator_made).status_code == 200

    assert staff.patch("/api/admin/settings", json={"signup_open": True}).json() == {"signup_open": True}
    register(Browser(server))
    client: MongoClient = MongoClient(env["MONGODB_URI"])
    try:
        actions = [e["action"] for e in client.get_default_database()["audit"].find({}).sort("at")]
    finally:
        client.close()
    assert actions == ["signup.close", "signup.open"]


async def test_a_user_excludes_their_conversations_from_training_and_includes_them_again(db, api_server) -> None:
    browser = Browser(api_server)
    register(browser)
    me = browser.get("/api/auth/me").json()
    assert me["exclude_from_training"] is False
    user_id = PydanticObjectId(me["id"])
    changed = browser.patch("/api/auth/me", json={"exclude_from_training": True})
    assert changed.status_code == 200 and changed.json()["exclude_from_training"] is True
    assert browser.get("/api/auth/me").json()["exclude_from_training"] is True
    assert user_id in await User.excluded_from_training_ids()
    assert browser.patch("/api/auth/me", json={"exclude_from_training": False}).json()["exclude_from_training"] is False
    assert user_id not in await User.excluded_from_training_ids()
    for body in ({"exclude_from_training": "yes"}, {"is_staff": True}):
        refused = browser.patch("/api/auth/me", json=body)
        assert refused.status_code == 400 and error_code(refused) == "invalid_body", body
    assert browser.get("/api/auth/me").json()["is_staff"] is False
