"""Ask the server how it would run a query: the embedded server scans whole collections slowly,
so every query the app makes must be answered from an index.

Measured on SecantusDB 0.7.0b3: its planner uses an index only when ONE index holds EVERY field of
the filter (``{_id, user_id}`` is a full scan without an (_id, user_id) index), and never for
``$regex`` or ``$or``. A range on the indexed sort field (a cursor) is fine.
"""

from __future__ import annotations

from typing import Any

from beanie import Document


async def winning_stages(document: type[Document], filter_: dict[str, Any], sort: dict[str, int] | None = None) -> str:
    command: dict[str, Any] = {"find": document.get_collection_name(), "filter": filter_}
    if sort:
        command["sort"] = sort
    plan = await document.get_pymongo_collection().database.command("explain", command)
    return str(plan["queryPlanner"]["winningPlan"])


async def assert_indexed(document: type[Document], filter_: dict[str, Any], sort: dict[str, int] | None = None) -> None:
    stages = await winning_stages(document, filter_, sort)
    assert "IXSCAN" in stages and "COLLSCAN" not in stages, stages
