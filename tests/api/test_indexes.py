"""Every query the server made while serving the API tests is answered from an index.

The server under test records each MongoDB command it sends (capture/sitecustomize.py); this test
asks MongoDB how it would run each distinct query (explain). The embedded server scans whole
collections without an index, and its planner needs one index holding every filter field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bson import json_util
from pymongo import MongoClient

from tests.api.clients import Browser, register, small_tree


def _queries(log: Path) -> dict[str, tuple[str, str, dict, dict | None]]:
    """Distinct (database, collection, filter, sort), keyed by their text."""
    found: dict[str, tuple[str, str, dict, dict | None]] = {}
    for line in log.read_text().splitlines():
        entry = json_util.loads(line)
        database, command = entry["db"], entry["command"]
        name = next(iter(command))
        collection = command[name]
        shapes: list[tuple[dict, dict | None]] = []
        if name == "find":
            shapes = [(command.get("filter", {}), command.get("sort"))]
        elif name in ("count", "distinct", "findAndModify"):
            shapes = [(command.get("query", {}), command.get("sort"))]
        elif name == "delete":
            shapes = [(d["q"], None) for d in command["deletes"]]
        elif name == "update":
            shapes = [(u["q"], None) for u in command["updates"]]
        elif name == "aggregate":
            first = command["pipeline"][0] if command["pipeline"] else {}
            shapes = [(first.get("$match", {}), None)]
        for filter_, sort in shapes:
            key = json_util.dumps([database, collection, _shape(filter_), sort])
            found[key] = (database, collection, filter_, sort)
    return found


def _shape(value: Any) -> Any:
    """The query with its values blanked: one explain per query shape."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return None


def _plan(client: MongoClient, database: str, collection: str, filter_: dict, sort: dict | None) -> str:
    command: dict[str, Any] = {"find": collection, "filter": filter_}
    if sort:
        command["sort"] = sort
    return str(client[database].command("explain", command)["queryPlanner"]["winningPlan"])


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

    queries = _queries(query_log)
    collections = {collection for _db, collection, _f, _s in queries.values()}
    assert {"users", "api_tokens", "conversations", "messages", "model_versions", "sessions"} <= collections
    client: MongoClient = MongoClient(mongo_uri)
    try:
        unindexed = [
            key
            for key, (database, collection, filter_, sort) in queries.items()
            if "COLLSCAN" in _plan(client, database, collection, filter_, sort)
        ]
    finally:
        client.close()
    assert not unindexed, "queries answered by a full collection scan:\n" + "\n".join(unindexed)
