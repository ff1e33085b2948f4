"""The training data on the admin page (staff only): counts by source, rows without account names,
exclusions that every later dataset build honours, and revealing a row's account on purpose (audited)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from beanie import PydanticObjectId

from tests.api.clients import bearer, error_code, staff_client
from tests.support.users import make_token, make_user


async def test_only_staff_may_see_or_change_the_dataset(db, api_server) -> None:
    user = bearer(api_server, await make_token(await make_user()))
    some_id = str(PydanticObjectId())
    for method, path in [
        ("GET", "/api/admin/dataset"),
        ("GET", "/api/admin/dataset/rows"),
        ("PUT", f"/api/admin/dataset/rows/{some_id}/exclusion"),
        ("DELETE", f"/api/admin/dataset/rows/{some_id}/exclusion"),
        ("GET", f"/api/admin/dataset/rows/{some_id}/account"),
    ]:
        response = user.request(method, path)
        assert response.status_code == 403 and error_code(response) == "forbidden", (method, path)


async def _chat(tag: str):
    """A user's conversation: a 👍 answer, a corrected one, and a 👎 answer beside a 👍 one."""
    from models import Conversation, Message
    from models.message import Feedback

    owner = await make_user(f"owner{tag}")
    conversation = await Conversation(user_id=owner.id).insert()

    async def say(role: str, content: str, parent=None, rating: str | None = None, **fields: object) -> Message:
        return await Message(
            conversation_id=conversation.id,
            user_id=owner.id,
            role=role,
            content=f"{content} {tag}",
            parent_id=parent.id if parent else None,
            feedback=Feedback(rating=rating) if rating else None,
            **fields,
        ).insert()

    question = await say("user", "liked question")
    liked = await say("assistant", "liked answer", question, rating="up")
    question = await say("user", "corrected question", liked)
    wrong = await say("assistant", "wrong answer", question)
    fixed = await say("assistant", "corrected answer", question, edited_from=wrong.id)
    question = await say("user", "disliked question", fixed)
    bad = await say("assistant", "bad answer", question, rating="down")
    good = await say("assistant", "good answer", question, rating="up")
    return owner, {"liked": liked, "fixed": fixed, "bad": bad, "good": good}


def _all_rows(staff, source: str) -> list[dict]:
    rows, cursor = [], ""
    while True:
        page = staff.get("/api/admin/dataset/rows", params={"source": source, "cursor": cursor, "limit": 2}).json()
        rows += page["rows"]
        if page["next_cursor"] is None:
            return rows
        cursor = page["next_cursor"]


async def test_counts_rows_exclusions_and_a_revealed_account(db, api_server, server_env: dict[str, str]) -> None:
    from models import AuditEntry

    staff = staff_client(api_server, server_env)
    before = staff.get("/api/admin/dataset").json()
    tag = secrets.token_hex(4)
    owner, answers = await _chat(tag)

    counts = staff.get("/api/admin/dataset").json()
    assert counts["chat_rated"] == before["chat_rated"] + 2  # the liked and the good answer
    assert counts["chat_edited"] == before["chat_edited"] + 1
    assert counts["preference_pairs"] == before["preference_pairs"] + 1
    assert counts["translations_folder"]
    hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    in_an_hour = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert staff.get("/api/admin/dataset", params={"since": hour_ago}).json()["new"] >= 4
    assert staff.get("/api/admin/dataset", params={"since": in_an_hour}).json()["new"] == 0

    rated = {r["message_id"]: r for r in _all_rows(staff, "chat_rated")}
    liked = rated[str(answers["liked"].id)]
    assert liked["prompt"] == [{"role": "user", "content": f"liked question {tag}"}]
    assert liked["answer"] == f"liked answer {tag}" and liked["excluded"] is False
    good = rated[str(answers["good"].id)]
    assert [turn["content"] for turn in good["prompt"]] == [  # the branch from the root
        f"liked question {tag}",
        f"liked answer {tag}",
        f"corrected question {tag}",
        f"corrected answer {tag}",
        f"disliked question {tag}",
    ]
    pairs = {r["message_id"]: r for r in _all_rows(staff, "preference_pairs")}
    pair = pairs[str(answers["bad"].id)]
    assert (pair["answer"], pair["rejected"]) == (f"good answer {tag}", f"bad answer {tag}")
    listing = staff.get("/api/admin/dataset/rows", params={"limit": 200}).text
    assert owner.username not in listing and str(owner.id) not in listing  # no account in the rows

    liked_id = str(answers["liked"].id)
    excluded = staff.put(f"/api/admin/dataset/rows/{liked_id}/exclusion")
    assert excluded.status_code == 200 and excluded.json() == {"message_id": liked_id, "excluded": True}
    assert staff.put(f"/api/admin/dataset/rows/{liked_id}/exclusion").json()["excluded"] is True  # remembered once
    after = staff.get("/api/admin/dataset").json()
    assert after["chat_rated"] == counts["chat_rated"] - 1 and after["excluded"] == counts["excluded"] + 1
    assert {r["message_id"]: r for r in _all_rows(staff, "chat_rated")}[liked_id]["excluded"] is True

    from finetune.chat_selection import select

    assert liked_id not in {e.origin for e in (await select()).rated.examples}  # what a run would train on

    included = staff.delete(f"/api/admin/dataset/rows/{liked_id}/exclusion")
    assert included.status_code == 200 and included.json()["excluded"] is False
    assert staff.get("/api/admin/dataset").json()["chat_rated"] == counts["chat_rated"]

    revealed = staff.get(f"/api/admin/dataset/rows/{liked_id}/account")
    assert revealed.json() == {"message_id": liked_id, "user_id": str(owner.id), "username": owner.username}
    actions = [e.action for e in await AuditEntry.find({"target": liked_id}).sort([("at", 1), ("_id", 1)]).to_list()]
    assert actions == ["dataset.exclude", "dataset.include", "dataset.reveal_account"]


def test_a_cursor_the_api_never_gave_is_refused(api_server, server_env: dict[str, str]) -> None:
    staff = staff_client(api_server, server_env)
    response = staff.get("/api/admin/dataset/rows", params={"cursor": "not-a-cursor"})
    assert response.status_code == 400 and error_code(response) == "invalid_cursor"
    missing = staff.put(f"/api/admin/dataset/rows/{PydanticObjectId()}/exclusion")
    assert missing.status_code == 404 and error_code(missing) == "not_found"
