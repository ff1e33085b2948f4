"""What the page does around a person's session and their conversations, in headless Chromium
against the live server: renaming another chat from the "New chat" screen leaves the new chat new;
a session that ends in another tab brings up the sign-in screen and, after signing in, the same
conversation with the unsent text; an answer's image from another site is a link, never fetched.
Conversations are made through the import API, so no test here waits for the model, except the
one message sent in a new chat."""

from __future__ import annotations

import re
import secrets
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.e2e.ui import STREAM_TIMEOUT_MS, import_conversation, last_answer, log_in, register, send

DESKTOP = {"width": 1280, "height": 800}
OLD_CHAT = [
    {"id": "q", "role": "user", "content": "An old question"},
    {"id": "a", "parent_id": "q", "role": "assistant", "content": "An old answer."},
]


def api_get(page: Page, base_url: str, path: str) -> Any:
    """GET an API path with the page's session (the server's view, not the page's)."""
    response = page.request.get(base_url + path)
    assert response.status == 200, response.text()
    return response.json()


def test_renaming_another_chat_from_the_new_chat_screen_keeps_the_new_chat(live_server, browser: Browser) -> None:
    url = live_server.url
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        register(page, url)
        old_id = import_conversation(page, url, "Old chat", OLD_CHAT)
        page.reload()  # the sidebar lists it
        item = page.locator(f'.sidebar .conv[data-conversation-id="{old_id}"]')
        expect(item).to_contain_text("Old chat")
        item.get_by_role("button", name="Actions for Old chat").click()  # the row's ⋯ menu
        page.get_by_role("menuitem", name="✎ Rename").click()
        title = page.get_by_label("Conversation title")
        title.fill("Renamed chat")
        title.press("Enter")
        expect(page.locator(f'.sidebar .conv[data-conversation-id="{old_id}"]')).to_contain_text("Renamed chat")
        # Still the New chat screen: its title, nothing marked open, nothing shown.
        expect(page.locator(".chathead h2")).to_have_text("New chat")
        expect(page.locator(".sidebar .conv.active")).to_have_count(0)
        expect(page.locator("article.msg")).to_have_count(0)

        # A system prompt typed now, and the next message, are the new chat's.
        page.get_by_role("button", name="Conversation settings").click()
        page.get_by_placeholder(re.compile("Answer briefly")).fill("Answer in one short sentence.")
        page.get_by_role("button", name="Save").click()
        send(page, "A fresh question")
        expect(page).to_have_url(re.compile(r"/c/[0-9a-f]{24}$"))
        new_id = page.url.rsplit("/", 1)[1]
        assert new_id != old_id
        expect(page.locator("article.msg.user .plain")).to_have_text(["A fresh question"])
        answer = last_answer(page, 1)
        expect(answer).not_to_have_attribute("data-status", "streaming", timeout=STREAM_TIMEOUT_MS)

        new = api_get(page, url, f"/api/conversations/{new_id}/messages")
        assert new["conversation"]["system_prompt"] == "Answer in one short sentence."
        assert [m["content"] for m in new["messages"]][:1] == ["A fresh question"]
        old = api_get(page, url, f"/api/conversations/{old_id}/messages")
        assert old["conversation"]["title"] == "Renamed chat"
        assert old["conversation"]["system_prompt"] == ""
        assert [(m["role"], m["content"]) for m in old["messages"]] == [
            ("user", "An old question"),
            ("assistant", "An old answer."),
        ]
    finally:
        context.close()


def test_signed_out_in_another_tab_signs_in_back_to_the_same_chat_and_text(live_server, browser: Browser) -> None:
    url = live_server.url
    password = "pw-" + secrets.token_urlsafe(12)
    context = browser.new_context(viewport=DESKTOP)
    refused: list[str] = []
    context.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    first = context.new_page()
    try:
        name = register(first, url, password)
        chat_id = import_conversation(first, url, "Kept chat", OLD_CHAT)
        second = context.new_page()
        second.goto(f"{url}/c/{chat_id}")
        expect(second.locator("article.msg.user .plain")).to_have_text(["An old question"], timeout=20_000)
        expect(second.locator(".conn")).to_have_count(0, timeout=20_000)  # its socket is open
        second.get_by_label("Message").fill("Words typed but not sent")

        first.bring_to_front()
        first.get_by_role("button", name="Log out").click()
        expect(first.get_by_label("Username")).to_be_visible()

        # The other tab: the server closes its socket, the page finds the session gone and shows
        # the sign-in screen itself, not a banner filling the chat pane.
        expect(second.get_by_label("Username")).to_be_visible(timeout=30_000)
        expect(second.locator(".banner")).to_have_count(0)
        expect(second.locator(".chat")).to_have_count(0)
        expect(second.get_by_role("status")).to_contain_text("You were signed out")

        second.bring_to_front()
        log_in(second, name, password)
        expect(second).to_have_url(f"{url}/c/{chat_id}")
        expect(second.locator("article.msg.user .plain")).to_have_text(["An old question"], timeout=20_000)
        expect(second.get_by_label("Message")).to_have_value("Words typed but not sent")
        assert refused == []  # the sign-in screens and the chat keep to the server's policy
    finally:
        context.close()


def test_an_answers_image_from_another_site_is_a_link_and_never_fetched(live_server, browser: Browser) -> None:
    url = live_server.url
    elsewhere = "http://elsewhere.invalid/pixel.png?leak=secret"
    answer_text = (
        f"Here it is: ![a cat]({elsewhere})\n\n"
        "| left | right |\n|:---|---:|\n| a | 1 |\n\n"  # aligned cells: React sets their style
        "```python\nprint('highlighted')\n```"  # the lazily loaded highlighter
    )
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    requested: list[str] = []
    refused: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        register(page, url)
        chat_id = import_conversation(
            page,
            url,
            "Images",
            [
                {"id": "q", "role": "user", "content": "Show me a picture"},
                {"id": "a", "parent_id": "q", "role": "assistant", "content": answer_text},
            ],
        )
        page.goto(f"{url}/c/{chat_id}")
        answer = last_answer(page, 1)
        link = answer.locator("a.imagelink")
        expect(link).to_have_attribute("href", elsewhere)
        expect(link).to_have_text(f"a cat ({elsewhere})")
        expect(answer.locator("img")).to_have_count(0)
        expect(answer.locator("pre code .hljs-built_in, pre code .hljs-string").first).to_be_visible(timeout=20_000)
        assert answer.locator("td").last.evaluate("el => getComputedStyle(el).textAlign") == "right"
        page.wait_for_load_state("networkidle")
        assert [u for u in requested if "elsewhere.invalid" in u] == []
        # The built app keeps to the server's Content-Security-Policy (no inline script or style).
        assert refused == []
    finally:
        context.close()
