"""Every response carries the browser security headers (no framing, no referrer to other sites, no
MIME sniffing, a Content-Security-Policy that loads nothing from other origins), and a form or
multipart body sent to the JSON API is a JSON 415, whatever its size and however it is signed in.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.api.clients import Browser, bearer, error_code, register
from tests.support.servers import LiveServer

BIG_FORM = {"note": "x" * 3_000_000}  # over Django's 2.5 MB in-memory limit for form bodies
MANY_FIELDS = {f"field{n}": "x" for n in range(1_200)}  # over Django's 1,000 fields


def _csp(response: httpx.Response) -> dict[str, list[str]]:
    directives = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def _assert_secured(response: httpx.Response, host: str) -> None:
    what = f"{response.request.method} {response.request.url.path} -> {response.status_code}"
    assert response.headers.get("X-Frame-Options") == "DENY", what
    assert response.headers.get("X-Content-Type-Options") == "nosniff", what
    assert response.headers.get("Referrer-Policy") in {"same-origin", "no-referrer"}, what
    csp = _csp(response)
    assert csp["default-src"] == ["'self'"], what
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"], what
    assert csp["img-src"] == ["'self'", "data:"], what  # a markdown image on another site is never fetched
    assert csp["frame-ancestors"] == ["'none'"], what
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"], what
    assert set(csp["connect-src"]) == {"'self'", f"ws://{host}", f"wss://{host}"}, what


@pytest.fixture(scope="module")
def web_server(server_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> LiveServer:
    """A server whose web app is a small stand-in build: the same views serve it as the real one."""
    dist = tmp_path_factory.mktemp("dist")
    (dist / "index.html").write_text('<!doctype html><script type="module" src="/assets/app.js"></script>')
    (dist / "assets").mkdir()
    (dist / "assets" / "app.js").write_text("console.log('hadra');")
    server = LiveServer(
        env={**server_env, "HADRA_WEB_DIST": str(dist)}, log_path=tmp_path_factory.mktemp("log") / "daphne-headers.log"
    ).start()
    yield server
    server.stop()


def test_every_kind_of_response_has_the_headers(web_server: LiveServer) -> None:
    browser = Browser(web_server)
    host = f"127.0.0.1:{web_server.port}"
    responses = {
        "web app page": browser.get("/"),
        "web app route": browser.get("/c/some-conversation"),
        "asset": browser.get("/assets/app.js"),
        "missing asset": browser.get("/assets/nothing.js"),
        "health": browser.get("/healthz"),
        "api error": browser.get("/api/auth/me"),
        "api 404": browser.get("/api/no/such/thing"),
        "html 404": browser.get("/ws/chat/"),
    }
    register(browser)
    responses["api json"] = browser.get("/api/auth/me")
    responses["api 405"] = browser.request("PUT", "/api/tokens", json={"name": "x"})
    responses["api 415"] = browser.post("/api/tokens", data={"name": "x"})
    expected = {
        "web app page": 200,
        "web app route": 200,
        "asset": 200,
        "missing asset": 404,
        "api error": 401,
        "api 404": 404,
        "html 404": 404,
        "api json": 200,
        "api 405": 405,
        "api 415": 415,
    }
    assert {k: r.status_code for k, r in responses.items() if k in expected} == expected
    for response in responses.values():
        _assert_secured(response, host)


def _form_bodies() -> dict[str, dict]:
    return {
        "form": {"data": {"name": "x"}},
        "multipart": {"data": {"name": "x"}, "files": {"file": ("notes.txt", b"hello")}},
        "big form": {"data": BIG_FORM},
        "form with many fields": {"data": MANY_FIELDS},
        "big multipart": {"data": BIG_FORM, "files": {"file": ("notes.txt", b"hello")}},
        "multipart with many fields": {"data": MANY_FIELDS, "files": {"file": ("notes.txt", b"hello")}},
    }


@pytest.mark.parametrize("signed_in", ["session", "session without csrf header", "bearer"])
def test_form_and_multipart_bodies_get_a_json_415(api_server: LiveServer, signed_in: str) -> None:
    browser = Browser(api_server)
    register(browser)
    script = bearer(api_server, browser.post("/api/tokens", json={"name": "script"}).json()["token"])
    send: Callable[..., httpx.Response] = {
        "session": browser.post,
        "session without csrf header": browser.http.post,
        "bearer": script.post,
    }[signed_in]
    for what, body in _form_bodies().items():
        for path in ("/api/tokens", "/api/conversations/import", "/api/auth/login"):
            response = send(path, **body)
            assert response.status_code == 415, (what, path, response.status_code, response.text[:200])
            assert response.headers["content-type"] == "application/json", (what, path)
            assert error_code(response) == "unsupported_media_type", (what, path)
    # Nothing was created by any of them, and the session still works.
    assert [t["name"] for t in browser.get("/api/tokens").json()["tokens"]] == ["script"]


def test_a_form_body_on_an_endpoint_that_takes_none_is_a_json_415(api_server: LiveServer) -> None:
    browser = Browser(api_server)
    register(browser)
    response = browser.post("/api/auth/logout", data=MANY_FIELDS)
    assert response.status_code == 415 and error_code(response) == "unsupported_media_type", response.text[:200]
    assert browser.get("/api/auth/me").status_code == 200  # still signed in: nothing ran
