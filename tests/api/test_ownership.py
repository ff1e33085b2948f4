"""Two users: every endpoint that takes an id answers another user's id exactly as it answers an id
that does not exist (404, same body), and changes nothing of the owner's."""

from __future__ import annotations

from typing import Any

import httpx
from beanie import PydanticObjectId

from api.openapi import spec
from tests.api.clients import bearer, small_tree
from tests.support.users import make_token, make_user

# What is under /api/admin/ is the server's, not a user's: staff-only, every route tested in test_admin.py.
ADMIN = "/api/admin/"


def _cases(owner: dict[str, str]) -> dict[tuple[str, str], tuple[str, dict[str, Any] | None]]:
    """(method, path template) → (the owner's id to put in the path, JSON body)."""
    conversation = owner["conversation"]
    return {
        ("GET", "/api/conversations/{conversation_id}"): (conversation, None),
        ("PATCH", "/api/conversations/{conversation_id}"): (conversation, {"title": "taken over"}),
        ("DELETE", "/api/conversations/{conversation_id}"): (conversation, None),
        ("GET", "/api/conversations/{conversation_id}/messages"): (conversation, None),
        ("GET", "/api/conversations/{conversation_id}/export"): (conversation, None),
        ("POST", "/api/messages/{message_id}/feedback"): (owner["answer"], {"rating": "down"}),
        ("DELETE", "/api/tokens/{token_id}"): (owner["token_id"], None),
    }


def _with_id(template: str, value: str) -> str:
    return template.split("{")[0] + value + template.split("}")[1]


def _snapshot(owner_client: httpx.Client, owner: dict[str, str]) -> dict[str, Any]:
    return {
        "export": owner_client.get(f"/api/conversations/{owner['conversation']}/export").json(),
        # last_used_at moves with the owner's own requests; the rest must not.
        "tokens": [(t["id"], t["name"]) for t in owner_client.get("/api/tokens").json()["tokens"]],
        "list": owner_client.get("/api/conversations").json(),
    }


async def test_another_users_ids_look_missing_and_change_nothing(db, api_server) -> None:
    alice, bob = await make_user("alice"), await make_user("bob")
    alice_token, bob_token = await make_token(alice), await make_token(bob)
    as_alice, as_bob = bearer(api_server, alice_token), bearer(api_server, bob_token)
    conversation = as_alice.post("/api/conversations/import", json=small_tree()).json()["id"]
    answer = as_alice.get(f"/api/conversations/{conversation}/messages").json()["messages"][1]["id"]
    token_id = as_alice.get("/api/tokens").json()["tokens"][0]["id"]
    owner = {"conversation": conversation, "answer": answer, "token_id": token_id}
    before = _snapshot(as_alice, owner)

    cases = _cases(owner)
    with_ids = {
        (method.upper(), path)
        for path, ops in spec()["paths"].items()
        if "{" in path and not path.startswith(ADMIN)
        for method in ops
    }
    assert set(cases) == with_ids, "every endpoint that takes an id needs an ownership case here"

    for (method, template), (owned_id, body) in cases.items():
        theirs = as_bob.request(method, _with_id(template, owned_id), json=body)
        missing = as_bob.request(method, _with_id(template, str(PydanticObjectId())), json=body)
        assert theirs.status_code == missing.status_code == 404, (method, template, theirs.text)
        assert theirs.json() == missing.json(), (method, template)

    assert _snapshot(as_alice, owner) == before
    assert as_alice.get("/api/auth/me").status_code == 200  # Bob could not revoke Alice's token


async def test_lists_search_and_branch_switch_stay_within_the_owner(db, api_server) -> None:
    alice, bob = await make_user("alice"), await make_user("bob")
    as_alice, as_bob = bearer(api_server, await make_token(alice)), bearer(api_server, await make_token(bob))
    alices = as_alice.post("/api/conversations/import", json=small_tree()).json()["id"]
    alices_answer = as_alice.get(f"/api/conversations/{alices}/messages").json()["messages"][1]["id"]
    bobs = as_bob.post("/api/conversations/import", json=small_tree()).json()["id"]

    assert [c["id"] for c in as_bob.get("/api/conversations", params={"q": "cats"}).json()["conversations"]] == [bobs]
    assert as_bob.get("/api/tokens").json()["tokens"][0]["id"] not in str(as_alice.get("/api/tokens").json())
    # Alice's message id on Bob's own conversation: no such message there.
    switch = as_bob.patch(f"/api/conversations/{bobs}", json={"active_leaf_id": alices_answer})
    assert switch.status_code == 404
    assert as_alice.get(f"/api/conversations/{alices}/messages").json()["messages"][1]["id"] == alices_answer


async def test_an_import_naming_someone_elses_ids_touches_nothing_of_theirs(db, api_server) -> None:
    alice, bob = await make_user("alice"), await make_user("bob")
    as_alice, as_bob = bearer(api_server, await make_token(alice)), bearer(api_server, await make_token(bob))
    alices = as_alice.post("/api/conversations/import", json=small_tree()).json()["id"]
    doc = as_alice.get(f"/api/conversations/{alices}/export").json()
    before = as_alice.get(f"/api/conversations/{alices}/export").json()

    doc["conversation"]["title"] = "Bob's copy"
    for message in doc["messages"]:
        message["content"] = "overwritten?"
    copy = as_bob.post("/api/conversations/import", json=doc)
    assert copy.status_code == 201
    assert as_alice.get(f"/api/conversations/{alices}/export").json() == before
    bobs_ids = {m["id"] for m in as_bob.get(f"/api/conversations/{copy.json()['id']}/export").json()["messages"]}
    assert not bobs_ids & {m["id"] for m in before["messages"]}
