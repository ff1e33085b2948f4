"""What a person does in the browser, in real headless Chromium against the real server, the
embedded MongoDB-protocol server and the CPU Ollama: register, chat, watch the text grow, stop,
reload mid-answer, follow the same stream in a second tab, lose the network and come back,
write Arabic (laid out right-to-left in an Arabic font), use a phone-width screen, delete.

Answers come from a greedy (temperature 0) copy of the small gemma3 model, picked per
conversation in the settings: each question here is the first of its chat, so its answer is the
same every run and runs for hundreds of tokens, long enough to stop, reload and cut mid-way.
Every answer is stopped by the test, so none runs on after it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.netcut import NetCut
from tests.e2e.ui import (
    STREAM_TIMEOUT_MS,
    block_directions,
    computed_direction,
    fonts_used,
    import_conversation,
    last_answer,
    model_copy,
    new_chat_with,
    register,
    send,
    text_of,
    wait_longer_than,
)

LONG_PROMPT = "Write a long story about a cat who travels around the world."
COUNT_PROMPT = "Count from 1 to 300, one number per line."
ARABIC_PROMPT = "مرحبا! كيف حالك اليوم؟ اكتب لي قصة طويلة عن قطة تسافر."
CODE = (
    "from pathlib import Path\n\n"
    "def count_lines(path: str) -> int:\n"
    '    """Count lines lazily."""\n'
    '    with open(path, encoding="utf-8") as handle:\n'
    "        return sum(1 for _ in handle)"
)
RICH_ANSWER = f"""Here are **three ways**, simplest first:

1. Loop over the file object: it reads one line at a time.
2. `readlines()` when the file is small.
3. `Path.read_text()` for one-liners.

```python
{CODE}
```

| method | memory | when |
|---|---|---|
| `for line in f` | constant | large files |
| `f.readlines()` | whole file | small files |

بالعربية: الطريقة الأولى هي الأفضل للملفات الكبيرة، لأنها تقرأ سطراً واحداً في كل مرة (line by line).

1. افتح الملف بـ `open`.
2. اقرأه سطراً سطراً.
"""
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def import_rich_conversation(page: Page, base_url: str) -> str:
    """A conversation with a markdown-rich, mixed Arabic/Latin answer, through the import API (the tiny
    base model does not write markdown); returns its id."""
    return import_conversation(
        page,
        base_url,
        "Reading files in Python",
        [
            {"id": "q", "role": "user", "content": "How do I read a file line by line in Python? أعطني مثالاً."},
            {"id": "a", "parent_id": "q", "role": "assistant", "content": RICH_ANSWER},
        ],
    )


@pytest.fixture(scope="module")
def greedy_model(ollama_host: str, ollama_model: str) -> str:
    """The default model with temperature 0: the same long answer to the same first question."""
    return model_copy(ollama_host, ollama_model, "greedy", seed=7)


def test_chat_in_the_browser(start_server, greedy_model: str, browser: Browser, screenshot_dir: Path) -> None:
    # Long answers are the point here (the shared test server caps them at 40 tokens) ...
    server = start_server(HADRA_MAX_ANSWER_TOKENS="2048")
    # ... except for one answer that should run to its end and report its speed.
    short = start_server(HADRA_MAX_ANSWER_TOKENS="24")
    net = NetCut(server.port).start()
    context = browser.new_context(viewport=DESKTOP, locale="en-US")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the delete confirmation
    try:
        # Register → the chat opens with a live socket.
        register(page, net.url)

        # Chat: the answer streams in and its text grows while it is being written.
        new_chat_with(page, greedy_model)
        send(page, LONG_PROMPT)
        expect(page).to_have_url(re.compile(r"/c/[0-9a-f]{24}$"))
        expect(page.locator("article.msg.user").first).to_contain_text(LONG_PROMPT)
        answer = last_answer(page, 1)
        first_id = answer.get_attribute("data-message-id")
        expect(answer).to_have_attribute("data-status", "streaming")
        early = wait_longer_than(page, answer, 0)
        later = wait_longer_than(page, answer, len(early) + 40)
        expect(answer).to_have_attribute("data-status", "streaming")

        # Stop with the button: the answer ends "stopped", keeps its text, shows its stats.
        page.get_by_role("button", name="Stop generating").click()
        expect(answer).to_have_attribute("data-status", "stopped", timeout=30_000)
        expect(answer.locator(".msgstatus")).to_have_text("Stopped")
        expect(answer.locator(".stats")).to_contain_text("TTFT")
        expect(answer.locator(".model")).to_have_text(greedy_model)
        stopped_text = text_of(answer)
        assert len(stopped_text) >= len(later)
        page.wait_for_timeout(1500)
        assert text_of(answer) == stopped_text, "text kept coming after stop"
        expect(page.locator(".chathead h2")).to_contain_text(LONG_PROMPT[:30], timeout=10_000)  # auto title
        expect(page.locator(".sidebar .conv.active")).to_contain_text(LONG_PROMPT[:30])

        # Rate it, regenerate (a second version streams), and go back to the first with ‹.
        answer.get_by_title("Good answer").click()
        expect(answer.get_by_title("Good answer")).to_have_attribute("aria-pressed", "true")
        page.screenshot(path=screenshot_dir / "desktop-latin.png")
        answer.get_by_title("Regenerate").click()
        regenerated = page.locator("article.msg.assistant").last
        expect(regenerated).not_to_have_attribute("data-message-id", first_id)
        expect(regenerated.locator(".branchpos")).to_have_text("2/2")
        wait_longer_than(page, regenerated, 20)
        page.keyboard.press("Escape")
        expect(regenerated).to_have_attribute("data-status", "stopped", timeout=30_000)
        regenerated.get_by_role("button", name="Previous version").click()
        first = page.locator(f'article[data-message-id="{first_id}"]')
        expect(first.locator(".branchpos")).to_have_text("1/2")
        page.reload()
        expect(first.locator(".branchpos")).to_have_text("1/2")  # the chosen branch is stored
        expect(first.get_by_title("Good answer")).to_have_attribute("aria-pressed", "true")
        expect(first.locator(".bubble")).to_have_text(stopped_text, use_inner_text=True)

        # Reload mid-answer: the answer comes back with all its text so far and keeps streaming.
        new_chat_with(page, greedy_model)
        send(page, COUNT_PROMPT)
        answer = last_answer(page, 1)
        answer_id = answer.get_attribute("data-message-id")
        before = wait_longer_than(page, answer, 60)
        page.reload()
        answer = page.locator(f'article[data-message-id="{answer_id}"]')
        expect(answer).to_have_attribute("data-status", "streaming", timeout=30_000)
        resumed = wait_longer_than(page, answer, len(before) - 1)
        assert resumed.startswith(before)
        wait_longer_than(page, answer, len(before) + 30)

        # A second tab on the same conversation shows the same stream live.
        second = context.new_page()
        second.goto(page.url)
        mirror = second.locator(f'article[data-message-id="{answer_id}"]')
        expect(mirror).to_have_attribute("data-status", "streaming", timeout=30_000)
        seen = wait_longer_than(second, mirror, len(text_of(answer)) + 20)
        assert seen.startswith(before)

        # Lose the network mid-answer: the indicator shows, the page reconnects by itself and
        # the answer continues from where it was.
        net.cut()
        expect(page.locator(".conn")).to_contain_text("Connection lost", timeout=15_000)
        cut_at = len(text_of(answer))
        net.restore()
        expect(page.locator(".conn")).to_have_count(0, timeout=30_000)
        wait_longer_than(page, answer, cut_at + 20)

        # Esc stops it; both tabs end with the same text, which is what the server stored.
        page.keyboard.press("Escape")
        expect(answer).to_have_attribute("data-status", "stopped", timeout=30_000)
        expect(mirror).to_have_attribute("data-status", "stopped", timeout=30_000)
        final = text_of(answer)
        assert final.startswith(before)
        expect(mirror.locator(".bubble")).to_have_text(final, use_inner_text=True)
        second.reload()
        reloaded = second.locator(f'article[data-message-id="{answer_id}"] .bubble')
        expect(reloaded).to_have_text(final, use_inner_text=True)
        second.close()

        # Arabic: the question, the input and the answer lay out right-to-left, drawn with an
        # Arabic font, while the Latin messages of the other chats stay left-to-right.
        assert computed_direction(page.locator("article.msg.user .plain").first) == "ltr"
        new_chat_with(page, greedy_model)
        box = page.get_by_label("Message")
        box.fill(ARABIC_PROMPT)
        assert computed_direction(box) == "rtl"
        send(page, ARABIC_PROMPT)
        expect(page).to_have_url(re.compile(r"/c/[0-9a-f]{24}$"))
        arabic = page.locator("article.msg.user .plain").first
        expect(arabic).to_have_text(ARABIC_PROMPT)
        assert arabic.get_attribute("dir") == "auto"
        assert computed_direction(arabic) == "rtl"
        fonts = fonts_used(page, "article.msg.user .plain")
        assert any("Arabic" in family for family in fonts), fonts
        answer = last_answer(page, 1)
        wait_longer_than(page, answer, 80)
        # What the model wrote, block by block, each in the direction of its own first letter (its
        # words are its own: Arabic, Latin or both; the fixed Arabic list below covers list markers).
        blocks = block_directions(answer)
        assert blocks, text_of(answer)
        assert [b["laid_out"] for b in blocks] == [b["wanted"] for b in blocks], blocks
        page.keyboard.press("Escape")
        expect(answer).to_have_attribute("data-status", "stopped", timeout=30_000)
        page.screenshot(path=screenshot_dir / "desktop-arabic.png")

        page.set_viewport_size(PHONE)  # the sidebar folds away on a phone
        expect(page.locator(".sidebar")).not_to_be_in_viewport()
        page.screenshot(path=screenshot_dir / "phone-arabic.png")
        page.set_viewport_size(DESKTOP)

        # Markdown: lists, a table, a highlighted code block that copies, and an Arabic paragraph
        # laid out right-to-left inside a Latin answer. (Same session, on the short-answer server.)
        rich_id = import_rich_conversation(page, short.url)
        page.goto(f"{short.url}/c/{rich_id}")
        rich = last_answer(page, 1)
        expect(rich.locator("ol").first.locator("li")).to_have_count(3)
        expect(rich.locator("table tbody tr")).to_have_count(2)
        expect(rich.locator("pre code .hljs-keyword").first).to_have_text("from")
        expect(rich.locator("pre code")).to_have_text(CODE, use_inner_text=True)
        rich.get_by_role("button", name="Copy code").click()
        expect(rich.get_by_role("button", name="Copy code")).to_have_text("Copied")
        assert page.evaluate("navigator.clipboard.readText()") == CODE
        assert computed_direction(rich.locator("p", has_text="Here are")) == "ltr"
        assert computed_direction(rich.locator("p", has_text="بالعربية")) == "rtl"
        assert computed_direction(rich.locator("ol").first) == "ltr"
        assert computed_direction(rich.locator("ol").last) == "rtl"  # an Arabic list: markers on the right
        assert computed_direction(rich.locator("pre")) == "ltr"
        rich_blocks = block_directions(rich)  # the same block-by-block check, on known Arabic and Latin
        assert {b["wanted"] for b in rich_blocks} == {"ltr", "rtl"}, rich_blocks
        assert [b["laid_out"] for b in rich_blocks] == [b["wanted"] for b in rich_blocks], rich_blocks

        # A follow-up that runs to its end: complete, with time to first token and tokens/s.
        send(page, "Thanks! شكراً")
        answer = last_answer(page, 2)
        expect(answer).to_have_attribute("data-status", "complete", timeout=STREAM_TIMEOUT_MS)
        expect(answer.locator(".stats")).to_contain_text(re.compile(r"TTFT [\d.]+ m?s · [\d.]+ tok/s · \d+ tokens"))
        rich.scroll_into_view_if_needed()
        page.screenshot(path=screenshot_dir / "desktop-markdown.png")

        # Phone width: the sidebar folds into a drawer; the chats still read well.
        page.set_viewport_size(PHONE)
        expect(page.locator(".sidebar")).not_to_be_in_viewport()
        page.screenshot(path=screenshot_dir / "phone-markdown.png")
        page.get_by_role("button", name="Conversations").click()
        expect(page.locator(".sidebar")).to_be_in_viewport()
        page.locator(".sidebar .conv a", has_text=LONG_PROMPT[:30]).click()
        expect(page.locator(".sidebar")).not_to_be_in_viewport()
        expect(page.locator("article.msg.user .plain").first).to_have_text(LONG_PROMPT)
        page.screenshot(path=screenshot_dir / "phone-latin.png")

        # Delete the Arabic conversation: gone from the list, also after a reload.
        page.get_by_role("button", name="Conversations").click()
        item = page.locator(".sidebar .conv", has_text=ARABIC_PROMPT[:20])
        arabic_id = item.get_attribute("data-conversation-id")
        item.get_by_role("button", name=re.compile("^Actions for")).click()  # the row's ⋯ menu
        page.get_by_role("menuitem", name="🗑 Delete").click()
        expect(page.locator(f'.conv[data-conversation-id="{arabic_id}"]')).to_have_count(0)
        page.reload()
        expect(page.locator(".sidebar .conv")).to_have_count(3)
        expect(page.locator(f'.conv[data-conversation-id="{arabic_id}"]')).to_have_count(0)
    finally:
        context.close()
        net.stop()
