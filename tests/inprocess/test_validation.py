"""Bad input gets a clear JSON 4xx naming the problem, never a 500 or an HTML page, and changes nothing.

In process (tests/inprocess/conftest.py): Django's own request handling, middleware and views."""

from __future__ import annotations

import json

import pytest
from argon2 import PasswordHasher

from api.passwords import needs_rehash
from models import User
from tests.api.clients import error_code, export_doc, new_credentials, small_tree
from tests.inprocess.api_client import ApiClient, BrowserClient, register
from tests.support.users import make_token, make_user

OID = "0" * 24


@pytest.fixture
async def client(application):
    return ApiClient(await make_token(await make_user()))


BAD_REQUESTS = [
    # (method, path, JSON body, expected status, expected code)
    ("POST", "/api/tokens", {"name": {"$gt": ""}}, 400, "invalid_body"),
    ("POST", "/api/tokens", {"name": 42}, 400, "invalid_body"),
    ("POST", "/api/tokens", {"name": "ok", "admin": True}, 400, "invalid_body"),
    ("POST", "/api/tokens", {}, 400, "invalid_body"),
    ("POST", "/api/tokens", ["name"], 400, "invalid_body"),
    ("POST", "/api/auth/login", {"username": {"$ne": None}, "password": "x"}, 400, "invalid_body"),
    (
        "POST",
        "/api/auth/register",
        {"username": "a b", "email": "x@example.com", "password": "p" * 8},
        400,
        "invalid_body",
    ),
    (
        "POST",
        "/api/auth/register",
        {"username": "abc", "email": "not-an-email", "password": "p" * 8},
        400,
        "invalid_body",
    ),
    ("GET", "/api/conversations?q[$regex]=.*", None, 400, "invalid_query"),
    ("GET", "/api/conversations?limit=0", None, 400, "invalid_query"),
    ("GET", "/api/conversations?limit=ten", None, 400, "invalid_query"),
    ("GET", "/api/conversations?q=a&q=b", None, 400, "invalid_query"),
    ("GET", "/api/conversations?cursor=bm90LWEtY3Vyc29y", None, 400, "invalid_cursor"),
    ("GET", "/api/tokens?user_id=" + OID, None, 400, "invalid_query"),
    ("GET", "/api/conversations/not-an-id", None, 400, "invalid_id"),
    ("GET", '/api/conversations/{"$gt":""}', None, 400, "invalid_id"),
    ("DELETE", "/api/tokens/" + "g" * 24, None, 400, "invalid_id"),
    ("PATCH", "/api/conversations/" + OID, {"title": None}, 400, "invalid_body"),
    ("POST", "/api/messages/" + OID + "/feedback", {"rating": "meh"}, 400, "invalid_body"),
    ("GET", "/api/conversations/" + OID + "/export?format=pdf", None, 400, "invalid_query"),
    ("GET", "/api/admin/model-versions", None, 403, "forbidden"),
    ("GET", "/api/no/such/endpoint", None, 404, "no_such_endpoint"),
    ("GET", "/api/tokens/", None, 404, "no_such_endpoint"),
    ("PUT", "/api/tokens", {"name": "x"}, 405, "method_not_allowed"),
]


@pytest.mark.parametrize(("method", "path", "body", "status", "code"), BAD_REQUESTS)
async def test_bad_requests_get_a_clear_json_error(client, method, path, body, status, code) -> None:
    response = await client.request(method, path, json=body)
    assert (response.status_code, error_code(response)) == (status, code), response.text
    assert response.headers["content-type"] == "application/json"


async def test_the_error_names_the_field_and_the_fix(client) -> None:
    message = (await client.post("/api/tokens", json={"name": "ok", "admin": True})).json()["error"]["message"]
    assert "`admin` is not a field" in message and "remove it" in message
    message = (await client.get("/api/conversations/xyz")).json()["error"]["message"]
    assert "24-character hexadecimal" in message


async def test_not_json_wrong_type_and_too_large_bodies(client) -> None:
    not_json = await client.post("/api/tokens", content=b"{name: 1", headers={"Content-Type": "application/json"})
    assert not_json.status_code == 400 and "not valid JSON" in not_json.json()["error"]["message"]
    form = await client.post("/api/tokens", data={"name": "x"})
    assert form.status_code == 415 and error_code(form) == "unsupported_media_type"
    huge = await client.patch("/api/conversations/" + OID, json={"system_prompt": "x" * 300_000})
    assert huge.status_code == 413 and error_code(huge) == "body_too_large"


async def test_broken_imports_are_refused_whole(client) -> None:
    before = (await client.get("/api/conversations")).json()
    cases = [
        export_doc([{"id": "a", "parent_id": "nowhere", "role": "user", "content": "x"}]),
        export_doc([{"id": "a", "role": "user", "content": "x"}, {"id": "a", "role": "user", "content": "y"}]),
        export_doc(
            [
                {"id": "b", "parent_id": "a", "role": "assistant", "content": "x"},
                {"id": "a", "role": "user", "content": "y"},
            ]
        ),  # a reply before its question
        export_doc([{"id": "a", "role": "user", "content": "x"}], leaf="zzz"),
        export_doc([{"id": "a", "role": "wizard", "content": "x"}]),
        {**small_tree(), "version": 2},
        {**small_tree(), "conversation": {**small_tree()["conversation"], "title": {"$gt": ""}}},
    ]
    for doc in cases:
        response = await client.post("/api/conversations/import", json=doc)
        assert response.status_code == 400, (doc, response.text)
        assert error_code(response) in {"invalid_import", "invalid_body"}
    assert (await client.get("/api/conversations")).json() == before


async def test_session_posts_need_the_csrf_token_and_bearer_ones_do_not(application) -> None:
    browser = await BrowserClient.open()
    await register(browser)
    without = await browser.without_csrf("POST", "/api/tokens", json={"name": "x"})  # no X-CSRFToken header
    assert without.status_code == 403 and error_code(without) == "csrf_failed"
    with_it = await browser.post("/api/tokens", json={"name": "x"})
    assert with_it.status_code == 201
    script = ApiClient(with_it.json()["token"])
    assert (await script.post("/api/tokens", json={"name": "y"})).status_code == 201
    # Login needs it too (no logging a victim into an attacker's account from another site).
    fresh = await BrowserClient.open()
    credentials = new_credentials()
    assert (await fresh.without_csrf("POST", "/api/auth/register", json=credentials)).status_code == 403


async def test_taken_usernames_and_emails(application) -> None:
    credentials = await register(await BrowserClient.open())
    again = await (await BrowserClient.open()).post(
        "/api/auth/register",
        json={**credentials, "email": "other@example.com", "username": credentials["username"].upper()},
    )
    assert again.status_code == 409 and error_code(again) == "username_taken"
    same_email = await (await BrowserClient.open()).post(
        "/api/auth/register", json={**new_credentials(), "email": credentials["email"]}
    )
    assert same_email.status_code == 409 and error_code(same_email) == "email_taken"


async def test_login_upgrades_an_old_password_hash(application) -> None:
    credentials = new_credentials()
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(credentials["password"])
    user = await User(username=credentials["username"], email=credentials["email"], password_hash=weak).insert()
    assert needs_rehash(weak)
    browser = await BrowserClient.open()
    login = {k: credentials[k] for k in ("username", "password")}
    assert (await browser.post("/api/auth/login", json=login)).status_code == 200
    upgraded = (await User.get(user.id)).password_hash
    assert upgraded != weak and upgraded.startswith("$argon2id$") and not needs_rehash(upgraded)


async def test_passwords_never_come_back(application) -> None:
    browser = await BrowserClient.open()
    credentials = await register(browser)
    for path in ("/api/auth/me", "/api/tokens", "/api/conversations"):
        text = (await browser.get(path)).text
        assert credentials["password"] not in text and "argon2" not in text and "password" not in json.loads(text)
