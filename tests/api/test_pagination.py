"""The sidebar list: newest first by last activity, cursor pages that neither skip nor repeat
(also among conversations updated in the same millisecond), title search across pages."""

from __future__ import annotations

from tests.api.clients import bearer, small_tree
from tests.support.users import make_token, make_user


def _import(client, title: str, updated_at: str) -> str:
    doc = small_tree()
    doc["conversation"] |= {"title": title, "updated_at": updated_at}
    response = client.post("/api/conversations/import", json=doc)
    assert response.status_code == 201
    return response.json()["id"]


def _walk(client, **params) -> list[str]:
    ids, cursor, pages = [], "", 0
    while True:
        page = client.get("/api/conversations", params={**params, "cursor": cursor}).json()
        ids += [c["id"] for c in page["conversations"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            return ids
        assert pages < 50


async def test_pages_walk_every_conversation_once_newest_first(db, api_server) -> None:
    client = bearer(api_server, await make_token(await make_user()))
    older = [_import(client, f"Cats {n}", f"2026-02-0{n + 1}T00:00:00Z") for n in range(4)]
    same_moment = [_import(client, f"Dogs {n}", "2026-03-01T00:00:00Z") for n in range(3)]
    # Newest activity first; within one millisecond, the newer id first.
    expected = sorted(same_moment, reverse=True) + list(reversed(older))
    assert _walk(client, limit=2) == expected
    assert _walk(client, limit=1) == expected
    assert _walk(client, limit=100) == expected
    assert _walk(client, limit=1, q="cats") == list(reversed(older))
    assert _walk(client, limit=2, q="DOGS 1") == [same_moment[1]]
