"""API tokens: shown once, stored as sha256 only, and a revoked token stops working at once on
HTTP and on new WebSocket connections. Creating them has a limit per user."""

from __future__ import annotations

import hashlib
import json

import pytest
import websockets

from models import ApiToken
from tests.api.clients import Browser, bearer, error_code, register


async def test_a_revoked_token_stops_working_on_http_and_websocket(db, api_server) -> None:
    browser = Browser(api_server)
    register(browser)
    created = browser.post("/api/tokens", json={"name": "laptop"}).json()
    token = created["token"]
    stored = await ApiToken.get(created["id"])
    assert stored.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored.model_dump_json()

    script = bearer(api_server, token)
    assert script.get("/api/tokens").status_code == 200
    async with websockets.connect(api_server.ws_url, additional_headers={"Authorization": f"Bearer {token}"}) as ws:
        await ws.send(json.dumps({"type": "ping", "request_id": "p"}))
        assert json.loads(await ws.recv()) == {"type": "pong", "request_id": "p"}

    # Revoked by the script itself (a token may revoke tokens of its owner, itself included).
    assert script.delete(f"/api/tokens/{created['id']}").status_code == 204
    refused = script.get("/api/tokens")
    assert refused.status_code == 401 and error_code(refused) == "invalid_token"
    async with websockets.connect(api_server.ws_url, additional_headers={"Authorization": f"Bearer {token}"}) as ws:
        frame = json.loads(await ws.recv())
        assert frame["type"] == "error" and frame["code"] == "unauthenticated"
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd.code == 4401
    # Gone from the list, and revoking it again finds nothing.
    assert browser.get("/api/tokens").json() == {"tokens": []}
    assert browser.delete(f"/api/tokens/{created['id']}").status_code == 404


def test_a_bad_bearer_is_an_error_not_a_fallback_to_the_session(api_server) -> None:
    browser = Browser(api_server)
    register(browser)
    response = browser.get("/api/auth/me", headers={"Authorization": "Bearer hadra_" + "x" * 20})
    assert response.status_code == 401 and error_code(response) == "invalid_token"
    assert browser.get("/api/auth/me").status_code == 200


def test_token_creation_has_a_limit_per_user(start_server) -> None:
    server = start_server(HADRA_TOKEN_CREATIONS_PER_MINUTE="3")
    browser, other = Browser(server), Browser(server)
    register(browser)
    register(other)
    made = [browser.post("/api/tokens", json={"name": f"t{n}"}) for n in range(3)]
    assert [r.status_code for r in made] == [201, 201, 201]

    # The fourth in a minute is refused, through the session and through one of the user's tokens.
    for client in (browser, bearer(server, made[0].json()["token"])):
        refused = client.post("/api/tokens", json={"name": "one more"})
        assert refused.status_code == 429 and error_code(refused) == "rate_limited", refused.text
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert "Try again in" in refused.json()["error"]["message"]
    assert sorted(t["name"] for t in browser.get("/api/tokens").json()["tokens"]) == ["t0", "t1", "t2"]
    # Another user is not affected.
    assert other.post("/api/tokens", json={"name": "mine"}).status_code == 201
