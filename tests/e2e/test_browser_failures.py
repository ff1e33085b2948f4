"""A failed answer reaches the browser with its error code, and the page says what happened in the
sentence for that code (web/src/errorText.ts), never the server's English ``message`` up front:
the conversation's model is not in Ollama (the real CPU Ollama), Ollama is down (nothing listens
at OLLAMA_HOST), and the database goes away while the answer is being written (the fake Ollama
holds the answer open; the server's own database is stopped under it, then started again).

Each test reads the ``message.done`` frame the page received (its ``error.code``) and the sentence
shown under the answer.
"""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

from bson import ObjectId
from playwright.sync_api import Browser, Locator, Page, WebSocket, expect
from pymongo import MongoClient

from embedded import mongo, process
from embedded.process import free_port
from tests.conftest import SESSION_VAR
from tests.e2e.ui import last_answer, register, send, wait_longer_than

DESKTOP = {"width": 1280, "height": 800}
ANSWER_TIMEOUT_MS = 90_000  # a busy 2-core machine; the failures themselves come at once


def record_frames(page: Page) -> list[dict]:
    """Every JSON frame the page's sockets receive from now on (reconnects included)."""
    frames: list[dict] = []

    def watch(socket: WebSocket) -> None:
        socket.on(
            "framereceived", lambda payload: frames.append(json.loads(payload)) if isinstance(payload, str) else None
        )

    page.on("websocket", watch)
    return frames


def done_frame(page: Page, frames: list[dict], answer_id: str) -> dict:
    """The ``message.done`` the page received for ``answer_id``: it has come once the page shows
    the end; Playwright hands its event over while this waits."""
    for _ in range(100):
        done = [f for f in frames if f.get("type") == "message.done" and f.get("message_id") == answer_id]
        if done:
            return done[-1]
        page.wait_for_timeout(100)
    raise AssertionError(f"no message.done for {answer_id} among {[f.get('type') for f in frames]}")


def failed_answer(page: Page) -> Locator:
    """The first answer, once it has ended failed."""
    answer = last_answer(page, 1)
    expect(answer).to_have_attribute("data-status", "failed", timeout=ANSWER_TIMEOUT_MS)
    return answer


def expect_sentence(answer: Locator, code: str, title: str, advice: str) -> None:
    """The answer's error box names ``code`` and shows its sentence as the main, visible text."""
    error = answer.locator(".msgerror")
    expect(error).to_have_attribute("data-error-code", code)
    expect(error.locator("strong")).to_have_text(title)
    expect(error).to_contain_text(advice)
    expect(error.locator("details")).not_to_have_attribute("open", "")  # the server's words stay folded


def test_a_model_ollama_does_not_have(live_server, browser: Browser, screenshot_dir: Path) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    frames = record_frames(page)
    try:
        register(page, live_server.url)
        # A conversation that names a model the real Ollama does not have (an admin removed it, say).
        csrf = next(c["value"] for c in context.cookies(live_server.url) if c["name"] == "csrftoken")
        now = "2026-01-01T12:00:00Z"
        created = page.request.post(
            f"{live_server.url}/api/conversations/import",
            data={
                "format": "hadra.conversation",
                "version": 1,
                "conversation": {"title": "Gone model", "model": "hadra-missing", "created_at": now, "updated_at": now},
                "messages": [],
            },
            headers={"X-CSRFToken": csrf},
        )
        assert created.status == 201, created.text()
        page.goto(f"{live_server.url}/c/{created.json()['id']}")
        expect(page.locator(".modelchip")).to_have_text("hadra-missing")

        send(page, "Hello?")
        answer = failed_answer(page)
        done = done_frame(page, frames, answer.get_attribute("data-message-id"))
        assert done["status"] == "failed" and done["error"]["code"] == "model_not_found", done
        expect_sentence(
            answer,
            "model_not_found",
            "The model “hadra-missing” is not available.",
            "Pick another model in the conversation settings (⚙), or ask an admin to install it",
        )
        page.screenshot(path=screenshot_dir / "desktop-model-not-found.png")
    finally:
        context.close()


def test_ollama_down(start_server, browser: Browser) -> None:
    dead_ollama = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    server = start_server(OLLAMA_HOST=dead_ollama)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    frames = record_frames(page)
    try:
        register(page, server.url)
        send(page, "Is anyone there?")
        answer = failed_answer(page)
        done = done_frame(page, frames, answer.get_attribute("data-message-id"))
        assert done["error"]["code"] == "model_server_unavailable", done
        expect_sentence(
            answer,
            "model_server_unavailable",
            "The model server is not answering.",
            "Make sure Ollama is running (make run starts one) or that OLLAMA_HOST points at it",
        )
    finally:
        context.close()


OUTAGE = "mongo-browser-outage"


def _stored_status(uri: str, message_id: str) -> str | None:
    with MongoClient(uri, serverSelectionTimeoutMS=2000) as client:
        stored = client.get_default_database().messages.find_one({"_id": ObjectId(message_id)})
    return stored["status"] if stored else None


def test_database_gone_while_answering(start_server, fake_ollama, browser: Browser) -> None:
    # Slow, so the answer is still being written however long stopping the database takes.
    behaviour = fake_ollama.set_behaviour("slow-browser-outage", tokens=1000, tokens_per_s=40)
    port = process.free_port()
    uri = mongo.uri(port)
    database = dataclasses.replace(mongo.service(port, SESSION_VAR, storage=str(SESSION_VAR / OUTAGE)), name=OUTAGE)
    process.start(database, SESSION_VAR)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    frames = record_frames(page)
    try:
        server = start_server(MONGODB_URI=uri, OLLAMA_HOST=fake_ollama.url, DEFAULT_MODEL="slow-browser-outage")
        register(page, server.url)
        send(page, "Tell me a long story.")
        answer = last_answer(page, 1)
        wait_longer_than(page, answer, 20)  # streaming, its text already on screen
        process.stop(OUTAGE, SESSION_VAR)
        behaviour.tokens_per_s = 2000  # let it end now, with nowhere to save it

        answer_id = answer.get_attribute("data-message-id")
        expect(answer).to_have_attribute("data-status", "failed", timeout=ANSWER_TIMEOUT_MS)
        assert done_frame(page, frames, answer_id)["error"]["code"] == "database_gone"
        sentence = ("The answer could not be saved.", "The server lost its database while answering")
        expect_sentence(answer, "database_gone", *sentence)
        expect(answer.locator(".bubble")).to_contain_text(behaviour.reply().strip()[:40])  # the text is kept

        # Once the database is back the answer is stored failed with its code: a reload says the same.
        process.start(database, SESSION_VAR)
        deadline = time.monotonic() + 60
        while _stored_status(uri, answer_id) == "streaming" and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _stored_status(uri, answer_id) == "failed"
        page.reload()
        expect_sentence(last_answer(page, 1), "database_gone", *sentence)
    finally:
        context.close()
        process.stop(OUTAGE, SESSION_VAR)
