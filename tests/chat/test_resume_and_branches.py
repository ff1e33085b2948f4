"""Reconnecting mid-answer, two tabs on one conversation, and the message tree (regenerate, edit)."""

from __future__ import annotations

from beanie import PydanticObjectId

from models import Conversation, Message
from tests.support.users import make_token, make_user
from tests.support.ws import ChatClient, deltas_text, finished_answer, send_and_get_answer_id


def assemble(frames: list[dict], message_id: str) -> str:
    """What a client shows (web/src/stream/reducer.ts): the text of the sync, then the deltas after
    it in seq order. The server sends a sync in order with the deltas, also through Redis: a delta
    newer than a sync never arrives before it, and none goes missing after it."""
    text, seq, newest_seen = None, 0, 0
    for frame in frames:
        if frame.get("message_id") != message_id:
            continue
        if frame["type"] == "message.sync":
            assert frame["seq"] is None or frame["seq"] >= newest_seen, "a newer delta overtook the sync"
            text, seq = frame["text"], frame["seq"] or 0
        elif frame["type"] == "message.delta":
            newest_seen = max(newest_seen, frame["seq"])
            if text is not None and frame["seq"] > seq:
                assert frame["seq"] == seq + 1, f"delta {seq + 1} is missing"
                text, seq = text + frame["text"], frame["seq"]
        elif frame["type"] == "message.done":
            assert text is None or frame["content"].startswith(text)
    return text or ""


def last_chat_request(fake_ollama) -> dict:
    return [r for r in fake_ollama.requests if r["path"] == "/api/chat"][-1]


async def test_reconnect_mid_answer_resumes_and_ends_equal_to_the_database(db, fake_server, fake_ollama) -> None:
    # Slow, so the answer is still in flight however long the reconnect takes; sped up once resumed.
    behaviour = fake_ollama.set_behaviour("slow-resume", tokens=1000, tokens_per_s=40)
    token = await make_token(await make_user())
    first = await ChatClient.connect(fake_server.ws_url, token)
    conversation_id, answer_id = await send_and_get_answer_id(
        first, conversation_id=None, content="tell me", model="slow-resume"
    )
    await first.until(lambda f: f["type"] == "message.delta" and f["seq"] >= 5)
    await first.close()  # the tab is closed; the answer goes on

    second = await ChatClient.connect(fake_server.ws_url, token)
    await second.send("conversation.open", conversation_id=conversation_id, request_id="open")
    snapshot = await second.until_type("conversation.snapshot", 10)
    assert [m["role"] for m in snapshot["messages"]] == ["user", "assistant"]
    assert snapshot["messages"][1]["status"] == "streaming"
    sync = await second.until_type("message.sync", 10, message_id=answer_id)
    assert sync["seq"] >= 5 and sync["text"].startswith(deltas_text(first.frames, answer_id))
    behaviour.tokens_per_s = 2000
    done = await second.until_type("message.done", 30, message_id=answer_id)
    assert done["status"] == "complete"
    assert assemble(second.frames, answer_id) == done["content"] == behaviour.reply()
    assert (await Message.get(PydanticObjectId(answer_id))).content == done["content"]
    await second.close()


async def test_two_tabs_see_the_same_stream_and_either_can_stop_it(db, fake_server, fake_ollama) -> None:
    fake_ollama.set_behaviour("slow-tabs", tokens=400, tokens_per_s=40)
    token = await make_token(await make_user())
    tab_a = await ChatClient.connect(fake_server.ws_url, token)
    tab_b = await ChatClient.connect(fake_server.ws_url, token)
    conversation_id, answer_id = await send_and_get_answer_id(
        tab_a, conversation_id=None, content="hello", model="slow-tabs"
    )
    created = await tab_b.until_type("conversation.created", 10)  # the sidebar of tab B learns of it
    assert created["conversation"]["id"] == conversation_id
    await tab_b.send("conversation.open", conversation_id=conversation_id)
    await tab_b.until_type("message.sync", 10, message_id=answer_id)
    await tab_b.until(lambda f: f["type"] == "message.delta" and f["seq"] >= 5)
    await tab_b.send("chat.stop", message_id=answer_id)
    done_a = await tab_a.until_type("message.done", 10, message_id=answer_id)
    done_b = await tab_b.until_type("message.done", 10, message_id=answer_id)
    assert done_a["status"] == done_b["status"] == "stopped"
    assert deltas_text(tab_a.frames, answer_id) == assemble(tab_b.frames, answer_id) == done_a["content"]
    await tab_a.close()
    await tab_b.close()


async def test_regenerate_and_edit_make_sibling_branches(db, fake_server, fake_ollama) -> None:
    fake_ollama.set_behaviour("fast-branch", tokens=3, tokens_per_s=500)
    client = await ChatClient.connect(fake_server.ws_url, await make_token(await make_user()))
    conversation_id, first_answer, _ = await finished_answer(
        client, 10, conversation_id=None, content="Q1", model="fast-branch"
    )
    question_id = next(f["message"]["id"] for f in client.of_type("message.created") if f["message"]["role"] == "user")

    await client.send("chat.regenerate", message_id=first_answer)
    regenerated = await client.until(lambda f: f["type"] == "message.created")
    second_answer = regenerated["message"]["id"]
    assert regenerated["message"]["parent_id"] == question_id and regenerated["message"]["role"] == "assistant"
    await client.until_type("message.done", 10, message_id=second_answer)

    await client.send("chat.edit", message_id=question_id, content="Q1, edited")
    edited = await client.until(lambda f: f["type"] == "message.created" and f["message"]["role"] == "user")
    assert edited["message"]["parent_id"] is None and edited["message"]["content"] == "Q1, edited"
    edited_answer = (await client.until(lambda f: f["type"] == "message.created"))["message"]["id"]
    await client.until_type("message.done", 10, message_id=edited_answer)

    await client.send("conversation.open", conversation_id=conversation_id)
    snapshot = await client.until_type("conversation.snapshot", 10)
    question, answer = snapshot["messages"]
    assert question["content"] == "Q1, edited" and question["sibling_index"] == 1
    assert question["sibling_ids"] == [question_id, edited["message"]["id"]]
    assert answer["id"] == edited_answer
    conversation = await Conversation.get(PydanticObjectId(conversation_id))
    assert str(conversation.active_leaf_id) == edited_answer
    # The old branch is still there: both answers to the first question survive.
    old_answers = await Message.find({"parent_id": PydanticObjectId(question_id)}).to_list()
    assert sorted(str(m.id) for m in old_answers) == sorted([first_answer, second_answer])
    # The prompt of the edited branch held only the edited question.
    last = last_chat_request(fake_ollama)
    assert [m["content"] for m in last["body"]["messages"]] == ["Q1, edited"]
    await client.close()


async def test_a_follow_up_sends_the_branch_history(db, fake_server, fake_ollama) -> None:
    fake_ollama.set_behaviour("fast-history", tokens=2, tokens_per_s=500)
    client = await ChatClient.connect(fake_server.ws_url, await make_token(await make_user()))
    conversation_id, _, _ = await finished_answer(
        client, 10, conversation_id=None, content="first", model="fast-history", system_prompt="Answer in Darija."
    )
    await finished_answer(client, 10, conversation_id=conversation_id, content="second")
    body = last_chat_request(fake_ollama)["body"]
    assert body["model"] == "fast-history"
    assert [(m["role"], m["content"]) for m in body["messages"]] == [
        ("system", "Answer in Darija."),
        ("user", "first"),
        ("assistant", "tok0 tok1 "),
        ("user", "second"),
    ]
    await client.close()


async def test_correcting_an_answer_by_hand_makes_a_finished_sibling(db, fake_server, fake_ollama) -> None:
    fake_ollama.set_behaviour("fast-correct", tokens=2, tokens_per_s=500)
    client = await ChatClient.connect(fake_server.ws_url, await make_token(await make_user()))
    conversation_id, answer_id, _ = await finished_answer(
        client, 10, conversation_id=None, content="wach rak?", model="fast-correct"
    )
    chats_before = len([r for r in fake_ollama.requests if r["path"] == "/api/chat"])
    await client.send("chat.edit", message_id=answer_id, content="labas, hamdoulah.")
    created = (await client.until_type("message.created", 10))["message"]
    assert created["role"] == "assistant" and created["status"] == "complete"
    assert created["content"] == "labas, hamdoulah." and created["parent_id"] is not None
    stored = await Message.get(PydanticObjectId(created["id"]))
    assert str(stored.edited_from) == answer_id
    assert str((await Conversation.get(PydanticObjectId(conversation_id))).active_leaf_id) == created["id"]
    await client.ping()
    assert len([r for r in fake_ollama.requests if r["path"] == "/api/chat"]) == chats_before  # nothing generated
    await client.close()


async def test_siblings_saved_in_the_same_millisecond_keep_one_order(db) -> None:
    """MongoDB keeps milliseconds: two answers saved in the same one are ordered by id, so their
    positions (1/2, 2/2) and "the newest answer" are the same on every read."""
    from chat.branches import Tree
    from models.clock import utcnow

    user = await make_user()
    conversation = await Conversation(user_id=user.id).insert()
    moment = utcnow()
    question = await Message(
        conversation_id=conversation.id, user_id=user.id, role="user", content="Q", created_at=moment
    ).insert()
    older, newer = PydanticObjectId(), PydanticObjectId()
    for answer_id in (newer, older):  # stored in the other order than their ids
        await Message(
            id=answer_id,
            conversation_id=conversation.id,
            user_id=user.id,
            parent_id=question.id,
            role="assistant",
            content="A",
            created_at=moment,
        ).insert()
    tree = await Tree.load(conversation.id)
    assert [m.id for m in tree.children[question.id]] == [older, newer]
    assert tree.newest_leaf_under(question).id == newer
