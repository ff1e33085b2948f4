"""Every query the server made while serving the API tests is answered from an index.

The server under test records each MongoDB command it sends (capture/sitecustomize.py); this test
asks MongoDB how it would run each distinct query (explain). The embedded server scans whole
collections without an index, and its planner needs one index holding every filter field."""

from __future__ import annotations

from pathlib import Path

from tests.api.clients import Browser, register, small_tree
from tests.support.plans import full_scans, logged_queries


def test_every_query_of_the_api_hits_an_index(api_server, mongo_uri: str, query_log: Path) -> None:
    # Make sure every resource was used at least once, whichever tests ran before.
    browser = Browser(api_server)
    register(browser)
    browser.post("/api/conversations/import", json=small_tree())
    conversation = browser.post("/api/conversations/import", json=small_tree()).json()["id"]
    answer = browser.get(f"/api/conversations/{conversation}/messages").json()["messages"][1]["id"]
    first_page = browser.get("/api/conversations", params={"q": "cats", "limit": 1}).json()
    browser.get("/api/conversations", params={"q": "cats", "limit": 1, "cursor": first_page["next_cursor"]})
    browser.patch(f"/api/conversations/{conversation}", json={"active_leaf_id": answer})
    browser.post(f"/api/messages/{answer}/feedback", json={"rating": "up"})
    browser.get(f"/api/conversations/{conversation}/export")
    token = browser.post("/api/tokens", json={"name": "x"}).json()
    browser.get("/api/tokens")
    browser.delete(f"/api/tokens/{token['id']}")
    browser.get("/api/models")
    browser.delete(f"/api/conversations/{conversation}")
    browser.get("/api/auth/me/export")
    browser.post("/api/auth/logout-everywhere")
    leaving = Browser(api_server)
    credentials = register(leaving)
    leaving.post("/api/conversations/import", json=small_tree())
    leaving.delete("/api/auth/me", json={"password": credentials["password"]})
    browser.post("/api/auth/logout")

    queries = logged_queries(query_log)
    collections = {collection for _db, collection, _f, _s in queries.values()}
    assert {"users", "api_tokens", "conversations", "messages", "model_versions", "sessions"} <= collections
    unindexed = full_scans(mongo_uri, queries)
    assert not unindexed, "queries answered by a full collection scan:\n" + "\n".join(unindexed)
