"""A busy model in the browser: with the host's limit at one answer, a third person's answer
waits behind two, and the page says so ("1 answer ahead of yours"), also after a reload, until
its text comes. The fake Ollama holds the answers open, then lets them all run."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.e2e.ui import last_answer, register, send, wait_longer_than

DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 60_000


def test_a_queued_answer_shows_its_place_then_its_text(start_server, fake_ollama, browser: Browser) -> None:
    model = "browser-queue"
    hold = fake_ollama.set_behaviour(model, tokens=30, tokens_per_s=4)
    server = start_server(OLLAMA_HOST=fake_ollama.url, DEFAULT_MODEL=model, HADRA_OLLAMA_MAX_PARALLEL="1")
    contexts = [browser.new_context(viewport=DESKTOP, locale="en-US") for _ in range(3)]
    first, second, third = (context.new_page() for context in contexts)
    try:
        for page in (first, second, third):
            register(page, server.url)
        send(first, "Who goes first?")
        wait_longer_than(first, last_answer(first, 1), 0)  # streaming: it holds the model
        send(second, "Who goes second?")
        expect(_answer(second).get_by_role("status")).to_have_text("Starting…", timeout=TIMEOUT_MS)
        send(third, "Who goes third?")
        place = _answer(third).get_by_role("status")
        expect(place).to_have_text("1 answer ahead of yours", timeout=TIMEOUT_MS)
        expect(_answer(third)).to_have_attribute("data-status", "queued")

        third.reload()  # the place is shown again from the snapshot and the queue
        expect(_answer(third).get_by_role("status")).to_have_text("1 answer ahead of yours", timeout=TIMEOUT_MS)

        hold.tokens_per_s = 200
        for page in (first, second, third):
            expect(_answer(page)).to_have_attribute("data-status", "complete", timeout=TIMEOUT_MS)
        expect(_answer(third).get_by_role("status")).to_have_count(0)
        expect(_answer(third).locator(".bubble")).to_have_text(hold.reply().strip())
    finally:
        for context in contexts:
            context.close()


def _answer(page: Page):
    return last_answer(page, 1)
