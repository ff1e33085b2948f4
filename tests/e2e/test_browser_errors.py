"""When things go wrong the page says what happened and what to do, and keeps what was typed:
the model server is down (banner up front, then a failed answer that explains itself) and the
user sends faster than the limit (banner, text back in the box, nothing stored)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from embedded.process import free_port
from tests.e2e.ui import last_answer, register, send


def test_model_server_down_and_rate_limit_are_explained(start_server, browser: Browser, screenshot_dir: Path) -> None:
    dead_ollama = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    server = start_server(OLLAMA_HOST=dead_ollama, HADRA_MESSAGES_PER_MINUTE="1")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        register(page, server.url)
        banner = page.locator(".banner")
        expect(banner).to_contain_text("The model server is not answering")
        expect(banner).to_contain_text("OLLAMA_HOST")

        send(page, "Hello, is anyone there?")
        answer = last_answer(page, 1)
        expect(answer).to_have_attribute("data-status", "failed", timeout=60_000)
        error = answer.locator(".msgerror")
        expect(error).to_contain_text("The model server is not answering")
        expect(error).to_contain_text(dead_ollama)  # the server's own words name the address it tried
        page.screenshot(path=screenshot_dir / "desktop-model-down.png")

        send(page, "Are you there now?")
        expect(banner).to_contain_text("You are sending messages too fast")
        # As long as the server's retry_after_s says.
        expect(banner).to_contain_text(re.compile(r"Wait (a minute|\d+ seconds), then send again"))
        expect(banner).not_to_contain_text("1 message a minute")  # the server's own words are for programs
        expect(page.get_by_label("Message")).to_have_value("Are you there now?")
        expect(page.locator("article.msg.user")).to_have_count(1)
    finally:
        context.close()
