"""Browser sessions on the models' database client (access/sessions.py, models.Session) and the
async session middleware: what a browser's cookie gets it, over HTTP and on the socket, once a
session expires, ends at logout, or was stored by the earlier synchronous store."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.core import signing
from django.core.signing import JSONSerializer

from access.sessions import SessionStore
from models import Session, User
from tests.inprocess.api_client import BrowserClient, register
from tests.inprocess.chat_socket import OWN_ORIGIN
from tests.support.users import make_user

# What the earlier store wrote: Django's signed session data, salted with the store's class name.
OLD_STORE_SALT = "django.contrib.sessions.SessionStore"


def _key(browser: BrowserClient) -> str:
    return browser.django.cookies[settings.SESSION_COOKIE_NAME].value


async def _signed_in_user(browser: BrowserClient) -> str:
    answer = await browser.get("/api/auth/me")
    return answer.json()["username"] if answer.status_code == 200 else ""


async def _stored_by_the_old_store(user: User, *, with_user_id: bool) -> str:
    """A session document exactly as the synchronous store saved it (before sessions named their
    user, ``user_id`` was not there at all)."""
    key = secrets.token_hex(16)
    doc = {
        "_id": key,
        "data": signing.dumps(
            {"hadra_user_id": str(user.id)}, salt=OLD_STORE_SALT, serializer=JSONSerializer, compress=True
        ),
        "expire_at": datetime.now(UTC) + timedelta(days=1),
    }
    if with_user_id:
        doc["user_id"] = str(user.id)
    await Session.get_pymongo_collection().insert_one(doc)
    return key


async def _browser_with(key: str) -> BrowserClient:
    browser = await BrowserClient.open()
    browser.django.cookies[settings.SESSION_COOKIE_NAME] = key
    return browser


async def test_signing_up_sets_the_session_cookie_as_configured_and_stores_the_session() -> None:
    browser = await BrowserClient.open()
    assert settings.SESSION_COOKIE_NAME not in browser.django.cookies  # nothing stored for a visitor
    credentials = await register(browser)
    cookie = browser.django.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE
    stored = await Session.live(cookie.value)
    assert stored is not None and stored.user_id is not None
    assert await _signed_in_user(browser) == credentials["username"]


async def test_an_expired_session_is_refused_over_http_and_on_the_socket(connect) -> None:
    browser = await BrowserClient.open()
    await register(browser)
    key = _key(browser)
    await Session.find_one({"_id": key}).set({"expire_at": datetime.now(UTC) - timedelta(seconds=1)})
    assert (await browser.get("/api/auth/me")).status_code == 401
    socket = await connect(cookie=f"{settings.SESSION_COOKIE_NAME}={key}", origin=OWN_ORIGIN)
    first = await socket.recv(10)
    assert first["type"] == "error" and first["code"] == "unauthenticated", first


async def test_logging_out_ends_the_session_document_and_deletes_the_cookie() -> None:
    browser = await BrowserClient.open()
    await register(browser)
    key = _key(browser)
    answer = await browser.post("/api/auth/logout")
    assert answer.status_code < 300, answer.text
    assert await Session.find_one({"_id": key}) is None
    forget = browser.django.cookies[settings.SESSION_COOKIE_NAME]  # as the reply set it
    assert (forget.value, forget["max-age"]) == ("", 0), forget
    replayed = await _browser_with(key)
    assert (await replayed.get("/api/auth/me")).status_code == 401


async def test_signing_in_again_replaces_the_session_key() -> None:
    browser = await BrowserClient.open()
    credentials = await register(browser)
    before = _key(browser)
    login = {"username": credentials["username"], "password": credentials["password"]}
    assert (await browser.post("/api/auth/login", json=login)).status_code == 200
    assert _key(browser) != before
    assert await Session.find_one({"_id": before}) is None
    assert await _signed_in_user(browser) == credentials["username"]


async def test_sessions_stored_by_the_old_store_still_sign_in_over_http_and_on_the_socket(connect) -> None:
    owner = await make_user("old-session")
    for with_user_id in (True, False):
        key = await _stored_by_the_old_store(owner, with_user_id=with_user_id)
        browser = await _browser_with(key)
        assert await _signed_in_user(browser) == owner.username
        socket = await connect(cookie=f"{settings.SESSION_COOKIE_NAME}={key}", origin=OWN_ORIGIN)
        await socket.ping()


async def test_a_new_password_ends_every_session_of_the_user_also_ones_without_user_id() -> None:
    browser = await BrowserClient.open()
    credentials = await register(browser)
    owner = await User.find_one({"username": credentials["username"]})
    assert owner is not None
    legacy = await _browser_with(await _stored_by_the_old_store(owner, with_user_id=False))
    named = await _browser_with(await _stored_by_the_old_store(owner, with_user_id=True))
    changed = await browser.post(
        "/api/auth/password",
        json={"current_password": credentials["password"], "new_password": credentials["password"] + "-new"},
    )
    assert changed.status_code == 200, changed.text
    assert (await legacy.get("/api/auth/me")).status_code == 401
    assert (await named.get("/api/auth/me")).status_code == 401
    assert await _signed_in_user(browser) == credentials["username"]  # this one is signed in again


async def test_reading_the_session_neither_saves_it_nor_sets_the_cookie_again() -> None:
    browser = await BrowserClient.open()
    await register(browser)
    key = _key(browser)
    marked = datetime(2100, 1, 1, tzinfo=UTC)  # a save would replace it with now + the cookie age
    await Session.find_one({"_id": key}).set({"expire_at": marked})
    answer = await browser.get("/api/auth/me")
    assert answer.status_code == 200 and "Cookie" in answer.headers["Vary"]
    assert _key(browser) == key
    stored = await Session.live(key)
    assert stored is not None and stored.expire_at == marked


async def test_the_store_saves_loads_and_never_brings_back_a_session_ended_meanwhile() -> None:
    store = SessionStore()
    await store.aset("colour", "blue")
    await store.asave()
    assert store.session_key is not None
    assert await SessionStore(store.session_key).aget("colour") == "blue"
    await Session.end(store.session_key)  # a logout in another tab
    await store.aset("colour", "green")
    with pytest.raises(UpdateError):
        await store.asave()
    assert await Session.find_one({"_id": store.session_key}) is None


async def test_clearing_expired_sessions_keeps_the_live_ones() -> None:
    live, expired = SessionStore(), SessionStore()
    for store in (live, expired):
        await store.aset("colour", "blue")
        await store.asave()
    await Session.find_one({"_id": expired.session_key}).set({"expire_at": datetime.now(UTC) - timedelta(seconds=1)})
    await SessionStore.aclear_expired()
    assert await Session.find_one({"_id": expired.session_key}) is None
    assert await Session.live(live.session_key) is not None
