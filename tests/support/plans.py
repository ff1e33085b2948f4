"""Ask the server how it would run a query: the embedded server scans whole collections slowly,
so every query the app makes must be answered from an index.

Measured on SecantusDB 0.7.0b3: its planner uses an index only when ONE index holds EVERY field of
the filter (``{_id, user_id}`` is a full scan without an (_id, user_id) index), and never for
``$regex`` or ``$or``. A range on the indexed sort field (a cursor) is fine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from beanie import Document
from bson import json_util
from pymongo import MongoClient


async def winning_stages(document: type[Document], filter_: dict[str, Any], sort: dict[str, int] | None = None) -> str:
    command: dict[str, Any] = {"find": document.get_collection_name(), "filter": filter_}
    if sort:
        command["sort"] = sort
    plan = await document.get_pymongo_collection().database.command("explain", command)
    return str(plan["queryPlanner"]["winningPlan"])


async def assert_indexed(document: type[Document], filter_: dict[str, Any], sort: dict[str, int] | None = None) -> None:
    stages = await winning_stages(document, filter_, sort)
    assert "IXSCAN" in stages and "COLLSCAN" not in stages, stages


def logged_queries(log: Path) -> dict[str, tuple[str, str, dict, dict | None]]:
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


def full_scans(mongo_uri: str, queries: dict[str, tuple[str, str, dict, dict | None]]) -> list[str]:
    """The keys of ``queries`` the server would answer by scanning a whole collection."""
    client: MongoClient = MongoClient(mongo_uri)
    try:
        return [
            key
            for key, (database, collection, filter_, sort) in queries.items()
            if "COLLSCAN" in _plan(client, database, collection, filter_, sort)
        ]
    finally:
        client.close()
