"""An account's own settings (``/api/auth/me``): the interface language and theme, and the model
and system prompt new conversations start with, which ``chat.send`` uses; a pinned default model
that an admin retires gives way to the server's default, with a note saying so."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from beanie import PydanticObjectId

from models import Conversation
from tests.api.clients import Browser, bearer, error_code, register
from tests.api.versions import console, derived_models
from tests.support.servers import ServerStarter
from tests.support.ws import ChatClient, finished_answer

__all__ = ["derived_models"]  # the fixture, imported for pytest

RETIRED = "model_retired"


def _settings(me: dict[str, Any]) -> dict[str, Any]:
    keys = ("language", "theme", "default_model", "default_system_prompt", "default_model_notice")
    return {k: me[k] for k in keys} | {"exclude_from_training": me["exclude_from_training"]}


def test_settings_are_kept_on_the_account_and_checked(api_server) -> None:
    browser = Browser(api_server)
    register(browser)
    assert _settings(browser.get("/api/auth/me").json()) == {
        "language": None,
        "theme": "system",
        "default_model": None,
        "default_system_prompt": "",
        "default_model_notice": None,
        "exclude_from_training": False,
    }
    # Any subset changes; the rest stays as it was.
    changed = browser.patch("/api/auth/me", json={"language": "ar", "theme": "dark"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["language"], changed.json()["theme"]) == ("ar", "dark")
    browser.patch("/api/auth/me", json={"default_model": "tuned:v2", "default_system_prompt": "Réponds en darija."})
    browser.patch("/api/auth/me", json={"language": None})  # back to the browser's languages
    expected = {
        "language": None,
        "theme": "dark",
        "default_model": "tuned:v2",
        "default_system_prompt": "Réponds en darija.",
        "default_model_notice": None,
        "exclude_from_training": False,
    }
    assert _settings(browser.get("/api/auth/me").json()) == expected
    # The same account through a token sees the same settings.
    token = browser.post("/api/tokens", json={"name": "script"}).json()["token"]
    with bearer(api_server, token) as script:
        me = script.get("/api/auth/me").json()
        assert me["auth_method"] == "token" and _settings(me) == expected

    for body, code in [
        ({}, "empty_patch"),
        ({"language": "de"}, "invalid_body"),
        ({"theme": "blue"}, "invalid_body"),
        ({"theme": None}, "invalid_body"),
        ({"default_model": "no spaces allowed"}, "invalid_body"),
        ({"default_model": ""}, "invalid_body"),
        ({"default_system_prompt": "x" * 32_001}, "invalid_body"),
        ({"default_system_prompt": None}, "invalid_body"),
        ({"default_model_notice": None}, "invalid_body"),  # the server's to set, never the client's
        ({"theme": "light", "is_staff": True}, "invalid_body"),
    ]:
        refused = browser.patch("/api/auth/me", json=body)
        assert refused.status_code == 400 and error_code(refused) == code, (body, refused.text)
    assert _settings(browser.get("/api/auth/me").json()) == expected  # nothing refused was kept


async def test_new_chats_start_with_the_account_defaults_and_a_retired_default_falls_back(
    start_server: ServerStarter, server_env: dict[str, str], ollama_model: str, derived_models: list[str]
) -> None:
    c = await console(start_server, server_env)
    pinned = derived_models[0]
    version = c.register("pinned", pinned)
    # Opened before the settings change: the socket's account is read again for each new chat.
    user = await c.watcher()
    try:
        saved = c.user.patch("/api/auth/me", json={"default_model": pinned, "default_system_prompt": "Be brief."})
        assert saved.status_code == 200, saved.text

        conversation_id, answer_id, done = await finished_answer(user, 120, conversation_id=None, content="Hi")
        assert done["status"] == "complete", done
        started = _created(user, conversation_id)
        assert (started["model"], started["system_prompt"], started["model_note"]) == (pinned, "Be brief.", None)
        assert _answer_model(c.user, conversation_id, answer_id) == pinned

        # What the question asks for wins over the account's defaults (an empty prompt included).
        asked, asked_answer, _ = await finished_answer(
            user, 120, conversation_id=None, content="Hi", model=ollama_model, system_prompt=""
        )
        started = _created(user, asked)
        assert (started["model"], started["system_prompt"]) == (ollama_model, "")
        assert _answer_model(c.user, asked, asked_answer) == ollama_model

        # The admin retires the pinned model: the account goes back to the server's default, with a notice.
        assert c.staff.delete(f"/api/admin/model-versions/{version['id']}").json()["status"] == "retired"
        me = c.user.get("/api/auth/me").json()
        notice = {"code": RETIRED, "params": {"model": pinned}}
        assert (me["default_model"], me["default_model_notice"]) == (None, notice)
        assert me["default_system_prompt"] == "Be brief."
        entry = c.audit()[0]
        assert entry["action"] == "version.retire" and entry["details"]["accounts_moved"] == 1
        after, after_answer, done = await finished_answer(user, 120, conversation_id=None, content="Hi again")
        assert done["status"] == "complete", done
        assert _created(user, after)["model"] == ollama_model and _created(user, after)["model_note"] is None
        assert _answer_model(c.user, after, after_answer) == ollama_model

        # Choosing a default again clears the notice.
        cleared = c.user.patch("/api/auth/me", json={"default_model": None}).json()
        assert (cleared["default_model"], cleared["default_model_notice"]) == (None, None)

        # A default pinned to the retired model anyway (saved as it was being retired): the new
        # chat goes on the server's default, saying why, and the account goes back to it too.
        assert c.user.patch("/api/auth/me", json={"default_model": pinned}).status_code == 200
        fallen, fallen_answer, done = await finished_answer(user, 120, conversation_id=None, content="Still?")
        assert done["status"] == "complete", done
        started = _created(user, fallen)
        assert (started["model"], started["model_note"]) == (ollama_model, notice)
        assert _answer_model(c.user, fallen, fallen_answer) == ollama_model
        stored = c.user.get(f"/api/conversations/{fallen}").json()
        assert stored["model_note"] == notice and stored["system_prompt"] == "Be brief."
        me = c.user.get("/api/auth/me").json()
        assert (me["default_model"], me["default_model_notice"]) == (None, notice)
    finally:
        await user.close()


def _created(client: ChatClient, conversation_id: str) -> dict[str, Any]:
    """The conversation as its ``conversation.created`` frame announced it."""
    frames = [f for f in client.of_type("conversation.created") if f["conversation"]["id"] == conversation_id]
    assert len(frames) == 1, frames
    return frames[0]["conversation"]


def _answer_model(user: Browser, conversation_id: str, answer_id: str) -> str:
    messages = user.get(f"/api/conversations/{conversation_id}/messages").json()["messages"]
    return next(m["model"] for m in messages if m["id"] == answer_id)


async def test_model_notes_stored_as_sentences_read_as_codes(db, api_server) -> None:
    """Conversations moved off a retired model before notes had codes carry an English sentence."""
    browser = Browser(api_server)
    register(browser)
    user_id = PydanticObjectId(browser.get("/api/auth/me").json()["id"])
    sentences = {
        "named": "The model this conversation used (hadra-x:v1) was retired; it goes on with the default model.",
        "unnamed": "This chat's model was retired.",
        "empty": "",
    }
    for title, sentence in sentences.items():
        now = datetime.now(UTC)
        await Conversation.get_pymongo_collection().insert_one(
            {"user_id": user_id, "title": title, "system_prompt": "", "model": None, "model_note": sentence}
            | {"active_leaf_id": None, "generating_id": None, "created_at": now, "updated_at": now}
        )
    listed = browser.get("/api/conversations").json()["conversations"]
    assert {c["title"]: c["model_note"] for c in listed} == {
        "named": {"code": RETIRED, "params": {"model": "hadra-x:v1"}},
        "unnamed": {"code": RETIRED, "params": {"model": ""}},
        "empty": None,
    }
