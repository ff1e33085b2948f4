"""The whole user journey through a real daphne: sign up, log out and in, chat over the WebSocket
with the session cookie (real CPU Ollama), read and switch branches, rename, rate, export, import,
tokens, delete, log out."""

from __future__ import annotations

import secrets
from typing import Any

import websockets

from models import Message
from tests.api.clients import Browser, bearer, error_code, register
from tests.support.ws import ChatClient, send_and_get_answer_id


async def _answer(client: ChatClient, answer_id: str) -> dict[str, Any]:
    done = await client.until_type("message.done", 120, message_id=answer_id)
    assert done["status"] == "complete", done
    return done


async def _chat_with_two_answers(server, browser: Browser) -> tuple[str, str, str, str]:
    """A conversation with one question and two answers (the second from regenerate), over a socket
    authenticated by the browser's session cookie."""
    ws = await websockets.connect(
        server.ws_url, origin=server.url, additional_headers={"Cookie": browser.session_cookie}
    )
    client = ChatClient(ws)
    try:
        conversation_id, first = await send_and_get_answer_id(client, content="Say hello.")
        question = next(f["message"]["id"] for f in client.of_type("message.created") if f["message"]["role"] == "user")
        await _answer(client, first)
        await client.send("chat.regenerate", message_id=first)
        created = await client.until(
            lambda f: (
                f["type"] == "message.created" and f["message"]["id"] != first and f["message"]["role"] == "assistant"
            )
        )
        second = created["message"]["id"]
        await _answer(client, second)
    finally:
        await client.close()
    return conversation_id, question, first, second


def _without_ids(doc: dict[str, Any]) -> dict[str, Any]:
    """An export with every id replaced by its position, so two exports of equal content compare equal."""
    position = {m["id"]: f"#{i}" for i, m in enumerate(doc["messages"])}
    messages = [
        {
            **m,
            "id": position[m["id"]],
            "parent_id": position.get(m["parent_id"]),
            "edited_from": position.get(m["edited_from"]),
        }
        for m in doc["messages"]
    ]
    conversation = {**doc["conversation"], "active_leaf_id": position.get(doc["conversation"]["active_leaf_id"])}
    return {**doc, "conversation": conversation, "messages": messages}


async def test_the_whole_journey(db, api_server, ollama_model: str) -> None:
    browser = Browser(api_server)
    credentials = register(browser)
    me = browser.get("/api/auth/me").json()
    assert me["username"] == credentials["username"] and me["auth_method"] == "session"
    assert credentials["password"] not in str(me) and "password" not in str(me)

    # Log out: the session ends; wrong password refused; the username is case-insensitive.
    assert browser.post("/api/auth/logout").status_code == 204
    assert error_code(browser.get("/api/auth/me")) == "unauthenticated"
    wrong = browser.post("/api/auth/login", json={"username": credentials["username"], "password": "not-it"})
    assert wrong.status_code == 401 and error_code(wrong) == "invalid_credentials"
    login = browser.post(
        "/api/auth/login", json={"username": credentials["username"].upper(), "password": credentials["password"]}
    )
    assert login.status_code == 200 and login.json()["id"] == me["id"]

    # Chat (WebSocket, session cookie), then read the active branch over HTTP.
    conversation_id, question, first, second = await _chat_with_two_answers(api_server, browser)
    branch = browser.get(f"/api/conversations/{conversation_id}/messages").json()
    assert [m["id"] for m in branch["messages"]] == [question, second]
    assert branch["messages"][0]["sibling_ids"] == [question] and branch["messages"][0]["sibling_index"] == 0
    assert branch["messages"][1]["sibling_ids"] == [first, second] and branch["messages"][1]["sibling_index"] == 1
    answer = branch["messages"][1]
    stored = await Message.get(answer["id"])
    assert answer["content"] == stored.content and answer["content"].strip()
    assert answer["stats"]["eval_count"] > 0 and answer["model"] == ollama_model

    # Switch branch: to the first answer, then "to the question", which lands on its newest answer.
    switched = browser.patch(f"/api/conversations/{conversation_id}", json={"active_leaf_id": first}).json()
    assert switched["active_leaf_id"] == first
    branch = browser.get(f"/api/conversations/{conversation_id}/messages").json()
    assert [m["id"] for m in branch["messages"]] == [question, first] and branch["messages"][1]["sibling_index"] == 0
    switched = browser.patch(f"/api/conversations/{conversation_id}", json={"active_leaf_id": question}).json()
    assert switched["active_leaf_id"] == second

    # Rename, system prompt, model; each change is kept.
    patched = browser.patch(
        f"/api/conversations/{conversation_id}",
        json={"title": "  Greetings  ", "system_prompt": "Answer briefly.", "model": ollama_model},
    ).json()
    assert (patched["title"], patched["system_prompt"], patched["model"]) == (
        "Greetings",
        "Answer briefly.",
        ollama_model,
    )
    assert browser.get(f"/api/conversations/{conversation_id}").json() == patched
    reset = browser.patch(f"/api/conversations/{conversation_id}", json={"model": None}).json()
    assert reset["model"] is None and reset["title"] == "Greetings"

    # Rate the answer; rating a question is refused.
    rated = browser.post(f"/api/messages/{second}/feedback", json={"rating": "down", "note": "too short"})
    assert rated.status_code == 200 and rated.json()["feedback"]["rating"] == "down"
    assert (await Message.get(second)).feedback.note == "too short"
    refused = browser.post(f"/api/messages/{question}/feedback", json={"rating": "up"})
    assert refused.status_code == 409 and error_code(refused) == "not_an_answer"

    # The sidebar finds it by title, case-insensitively.
    found = browser.get("/api/conversations", params={"q": "GREET"}).json()["conversations"]
    assert [c["id"] for c in found] == [conversation_id]
    assert browser.get("/api/conversations", params={"q": "no such title " + secrets.token_hex(4)}).json() == {
        "conversations": [],
        "next_cursor": None,
    }

    # Export (JSON: every branch; Markdown: the active branch) and import: a faithful copy with new ids.
    exported = browser.get(f"/api/conversations/{conversation_id}/export")
    assert exported.headers["content-disposition"] == 'attachment; filename="greetings.json"'
    doc = exported.json()
    assert {m["id"] for m in doc["messages"]} == {question, first, second}
    markdown = browser.get(f"/api/conversations/{conversation_id}/export", params={"format": "md"})
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text.startswith("# Greetings\n") and answer["content"].strip() in markdown.text
    imported = browser.post("/api/conversations/import", json=doc)
    assert imported.status_code == 201
    copy_id = imported.json()["id"]
    copy = browser.get(f"/api/conversations/{copy_id}/export").json()
    assert copy_id != conversation_id and not {m["id"] for m in copy["messages"]} & {question, first, second}
    assert _without_ids(copy) == _without_ids(doc)

    # An API token works like the session for a script, until it is revoked.
    created = browser.post("/api/tokens", json={"name": "my script"})
    assert created.status_code == 201
    token = created.json()["token"]
    script = bearer(api_server, token)
    assert script.get("/api/auth/me").json()["auth_method"] == "token"
    assert script.get(f"/api/conversations/{conversation_id}").status_code == 200
    listed = browser.get("/api/tokens").json()["tokens"]
    assert [t["name"] for t in listed] == ["my script"] and token not in str(listed)
    assert browser.delete(f"/api/tokens/{created.json()['id']}").status_code == 204
    assert error_code(script.get("/api/auth/me")) == "invalid_token"

    # Delete: the conversation and every message of it are gone; the copy is untouched.
    assert browser.delete(f"/api/conversations/{conversation_id}").status_code == 204
    assert error_code(browser.get(f"/api/conversations/{conversation_id}")) == "not_found"
    assert await Message.find({"conversation_id": stored.conversation_id}).count() == 0
    assert len(browser.get(f"/api/conversations/{copy_id}/messages").json()["messages"]) == 2

    # Models for the picker: what Ollama serves, and the default.
    models = browser.get("/api/models").json()
    assert models["default_model"] == ollama_model and models["ollama_error"] is None
    assert any(name.split(":")[0] == ollama_model.split(":")[0] for name in models["models"])

    assert browser.post("/api/auth/logout").status_code == 204
    assert browser.get(f"/api/conversations/{copy_id}").status_code == 401
