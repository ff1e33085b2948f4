"""What a person does in the browser, in real headless Chromium against the real server, the
embedded MongoDB-protocol server and the CPU Ollama: register, chat, watch the text grow, stop,
reload mid-answer, follow the same stream in a second tab, lose the network and come back,
write Arabic (laid out right-to-left in an Arabic font), use a phone-width screen, delete.

The small base model rambles for a long time, which is what a streaming test wants: every
answer here is stopped by the test, so none runs on after it.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.netcut import NetCut

LONG_PROMPT = "Write a long story about a cat who travels around the world."
ARABIC_PROMPT = "مرحبا! كيف حالك اليوم؟ اكتب لي قصة طويلة عن قطة تسافر."
STREAM_TIMEOUT_MS = 120_000  # cold model load on a busy 2-core machine
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def text_of(locator: Locator) -> str:
    return locator.locator(".bubble").inner_text()


def wait_longer_than(page: Page, message: Locator, length: int) -> str:
    """Wait until the message's text is longer than ``length`` characters; return it."""
    page.wait_for_function(
        "([el, n]) => el.querySelector('.bubble').innerText.length > n",
        arg=[message.element_handle(), length],
        timeout=STREAM_TIMEOUT_MS,
    )
    return text_of(message)


def send(page: Page, text: str) -> None:
    box = page.get_by_label("Message")
    expect(box).to_be_enabled()
    box.fill(text)
    box.press("Enter")


def last_answer(page: Page, count: int) -> Locator:
    answers = page.locator("article.msg.assistant")
    expect(answers).to_have_count(count, timeout=30_000)
    return answers.nth(count - 1)


def register(page: Page, base_url: str) -> str:
    name = f"e2e-{secrets.token_hex(4)}"
    page.goto(base_url + "/")
    page.get_by_role("button", name="No account? Register").click()
    page.get_by_label("Username").fill(name)
    page.get_by_label("Email").fill(f"{name}@example.test")
    page.get_by_label("Password").fill("pw-" + secrets.token_urlsafe(12))
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_label("Message")).to_be_enabled(timeout=20_000)
    expect(page.get_by_text(name)).to_be_visible()
    return name


def computed_direction(locator: Locator) -> str:
    return locator.evaluate("el => getComputedStyle(el).direction")


def fonts_used(page: Page, selector: str) -> list[str]:
    """The fonts Chromium actually drew the element's text with (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return [f["familyName"] for f in fonts if f["glyphCount"] > 0]


def test_chat_in_the_browser(live_server, browser: Browser, screenshot_dir: Path) -> None:
    net = NetCut(live_server.port).start()
    context = browser.new_context(viewport=DESKTOP, locale="en-US")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the delete confirmation
    try:
        # Register → the chat opens with a live socket.
        register(page, net.url)

        # Chat: the answer streams in and its text grows while it is being written.
        send(page, LONG_PROMPT)
        expect(page).to_have_url(re.compile(r"/c/[0-9a-f]{24}$"))
        question = page.locator("article.msg.user").first
        expect(question).to_contain_text(LONG_PROMPT)
        answer = last_answer(page, 1)
        expect(answer).to_have_attribute("data-status", "streaming")
        early = wait_longer_than(page, answer, 0)
        later = wait_longer_than(page, answer, len(early) + 40)
        expect(answer).to_have_attribute("data-status", "streaming")
        assert len(later) > len(early)

        # Stop with the button: the answer ends "stopped", keeps its text, shows its stats.
        page.get_by_role("button", name="Stop generating").click()
        expect(answer).to_have_attribute("data-status", "stopped", timeout=30_000)
        expect(answer.locator(".msgstatus")).to_have_text("Stopped")
        expect(answer.locator(".stats")).to_contain_text("TTFT")
        stopped_text = text_of(answer)
        assert len(stopped_text) >= len(later)
        page.wait_for_timeout(1500)
        assert text_of(answer) == stopped_text, "text kept coming after stop"
        expect(page.get_by_label("Send")).to_be_visible()
        expect(page.locator(".sidebar .conv.active")).to_have_count(1)
        page.screenshot(path=screenshot_dir / "desktop-latin.png")

        # Reload mid-answer: the answer comes back with all its text so far and keeps streaming.
        send(page, "Now tell me a long story about a dog who learns to swim.")
        answer = last_answer(page, 2)
        answer_id = answer.get_attribute("data-message-id")
        before = wait_longer_than(page, answer, 60)
        page.reload()
        answer = page.locator(f'article[data-message-id="{answer_id}"]')
        expect(answer).to_have_attribute("data-status", "streaming", timeout=30_000)
        resumed = wait_longer_than(page, answer, len(before) - 1)
        assert resumed[:40] == before[:40]
        wait_longer_than(page, answer, len(before) + 30)

        # A second tab on the same conversation shows the same stream live.
        second = context.new_page()
        second.goto(page.url)
        mirror = second.locator(f'article[data-message-id="{answer_id}"]')
        expect(mirror).to_have_attribute("data-status", "streaming", timeout=30_000)
        seen = wait_longer_than(second, mirror, len(text_of(answer)) + 20)
        assert seen[:40] == before[:40]

        # Lose the network mid-answer: the indicator shows, the page reconnects by itself and
        # the answer continues from where it was.
        net.cut()
        expect(page.locator(".conn")).to_contain_text("Connection lost", timeout=15_000)
        cut_at = len(text_of(answer))
        net.restore()
        expect(page.locator(".conn")).to_have_count(0, timeout=30_000)
        wait_longer_than(page, answer, cut_at + 20)

        # Esc stops it; both tabs end with the same, complete text.
        page.keyboard.press("Escape")
        expect(answer).to_have_attribute("data-status", "stopped", timeout=30_000)
        expect(mirror).to_have_attribute("data-status", "stopped", timeout=30_000)
        expect(mirror.locator(".bubble")).to_have_text(text_of(answer), use_inner_text=True)
        second.close()

        # Arabic: the question and the input lay out right-to-left, drawn with an Arabic font,
        # while the Latin messages of the first chat stay left-to-right.
        latin_direction = computed_direction(page.locator("article.msg.user .plain").first)
        assert latin_direction == "ltr"
        page.get_by_role("button", name="+ New chat").click()
        box = page.get_by_label("Message")
        box.fill(ARABIC_PROMPT)
        assert computed_direction(box) == "rtl"
        box.press("Enter")
        expect(page).to_have_url(re.compile(r"/c/[0-9a-f]{24}$"))
        arabic = page.locator("article.msg.user .plain").first
        expect(arabic).to_have_text(ARABIC_PROMPT)
        assert arabic.get_attribute("dir") == "auto"
        assert computed_direction(arabic) == "rtl"
        assert any("Arabic" in family for family in fonts_used(page, "article.msg.user .plain")), fonts_used(
            page, "article.msg.user .plain"
        )
        answer = last_answer(page, 1)
        wait_longer_than(page, answer, 80)
        page.keyboard.press("Escape")
        expect(answer).to_have_attribute("data-status", "stopped", timeout=30_000)
        page.screenshot(path=screenshot_dir / "desktop-arabic.png")

        # Phone width: the sidebar folds into a drawer; both chats still read well.
        page.set_viewport_size(PHONE)
        expect(page.locator(".sidebar")).not_to_be_in_viewport()
        page.screenshot(path=screenshot_dir / "phone-arabic.png")
        page.get_by_role("button", name="Conversations").click()
        expect(page.locator(".sidebar")).to_be_in_viewport()
        page.locator(".sidebar .conv a").nth(1).click()
        expect(page.locator("article.msg.user .plain").first).to_contain_text(LONG_PROMPT)
        page.screenshot(path=screenshot_dir / "phone-latin.png")

        # Delete the Arabic conversation: gone from the list, also after a reload.
        page.get_by_role("button", name="Conversations").click()
        arabic_item = page.locator(".sidebar .conv").first
        arabic_id = arabic_item.get_attribute("data-conversation-id")
        arabic_item.get_by_role("button", name=re.compile("^Delete")).click()
        expect(page.locator(f'.conv[data-conversation-id="{arabic_id}"]')).to_have_count(0)
        page.reload()
        expect(page.locator(".sidebar .conv")).to_have_count(1)
        expect(page.locator(f'.conv[data-conversation-id="{arabic_id}"]')).to_have_count(0)
    finally:
        context.close()
        net.stop()
