"""The chat's features in headless Chromium against the real server and the CPU Ollama: correct an
answer (a new version the dataset counts as a hand correction), rate it with a note, change and
clear the rating, copy it whole; export a conversation as Markdown and JSON and import it back (a
bad file says why and changes nothing); search words of answers, Arabic spelled differently, and
open a hit on another version; rename and delete with the keyboard only; Esc closes a panel first
and stops an answer second; one account never finds another's conversations."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.api.clients import staff_client
from tests.e2e.ui import STREAM_TIMEOUT_MS, import_conversation, last_answer, register, send, wait_longer_than

DESKTOP = {"width": 1280, "height": 800}
QUESTION = "Say hello to me in one short sentence."
CORRECTED = "Salam! Labas 3lik? This is the answer I wanted."


def _new_page(browser: Browser) -> Page:
    context = browser.new_context(viewport=DESKTOP, locale="en-US", accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the delete confirmation
    return page


def _rating(page: Page, answer_id: str) -> tuple[str | None, str | None, str]:
    """Which of 👍/👎 is on, and the note shown under the answer ("" when none)."""
    answer = page.locator(f'article[data-message-id="{answer_id}"]')
    expect(answer).to_be_visible(timeout=20_000)
    up = answer.get_by_role("button", name="Good answer").get_attribute("aria-pressed")
    down = answer.get_by_role("button", name="Bad answer").get_attribute("aria-pressed")
    note = answer.locator(".feedbacknote q")
    return up, down, note.inner_text() if note.count() else ""


def test_correct_rate_and_copy_an_answer(live_server, server_env, browser: Browser, screenshot_dir: Path) -> None:
    page = _new_page(browser)
    try:
        register(page, live_server.url)
        send(page, QUESTION)
        answer = last_answer(page, 1)
        expect(answer).to_have_attribute("data-status", "complete", timeout=STREAM_TIMEOUT_MS)
        conversation_id = re.search(r"/c/([0-9a-f]{24})$", page.url).group(1)
        stored = page.request.get(f"{live_server.url}/api/conversations/{conversation_id}/messages").json()
        original = stored["messages"][1]["content"]  # the raw markdown the model wrote
        assert original.strip()
        # Screen readers are told once the answer is finished, with how it starts.
        expect(page.locator(".announcer")).to_have_attribute("aria-live", "polite")
        expect(page.locator(".announcer")).to_contain_text("Answer finished")

        # Copy the whole answer: the clipboard holds its raw text.
        answer.get_by_title("Copy the whole answer").click()
        expect(answer.get_by_title("Copy the whole answer")).to_have_text("⧉ Copied")
        assert page.evaluate("navigator.clipboard.readText()") == original

        # Correct it: the box holds the answer and says what a correction is for.
        answer.get_by_role("button", name="✎ Correct").click()
        box = page.get_by_label("Corrected answer")
        assert box.input_value() == original
        expect(
            page.get_by_text("Your corrected answer is saved as a new version and teaches the next model.")
        ).to_be_visible()
        box.fill(CORRECTED)
        page.screenshot(path=screenshot_dir / "desktop-correct.png")
        page.get_by_role("button", name="Save correction").click()
        corrected = page.locator("article.msg.assistant").last
        expect(corrected.locator(".bubble")).to_have_text(CORRECTED, timeout=20_000)
        expect(corrected.locator(".branchpos")).to_have_text("2/2")
        correction_id = corrected.get_attribute("data-message-id")
        page.reload()
        expect(page.locator(f'article[data-message-id="{correction_id}"] .branchpos')).to_have_text(
            "2/2", timeout=20_000
        )

        # The admin's dataset counts it as a hand correction of that answer.
        staff = staff_client(live_server, server_env)
        rows = staff.get("/api/admin/dataset/rows", params={"source": "chat_edited", "limit": 200}).json()["rows"]
        row = next(r for r in rows if r["message_id"] == correction_id)
        assert row["source"] == "chat_edited" and row["answer"] == CORRECTED
        assert row["prompt"][-1]["content"] == QUESTION

        # Rate 👎 with a note from the quick chips and a word of one's own; it is kept.
        corrected = page.locator(f'article[data-message-id="{correction_id}"]')
        corrected.get_by_role("button", name="Bad answer").click()
        page.get_by_role("button", name="Wrong dialect").click()
        note = page.get_by_label("Add a note (optional)")
        note.fill(note.input_value() + ", says labas twice")
        page.get_by_role("button", name="Save note").click()
        expect(corrected.locator(".feedbacknote q")).to_have_text("Wrong dialect, says labas twice")
        page.reload()
        assert _rating(page, correction_id) == ("false", "true", "Wrong dialect, says labas twice")

        # Change it to 👍 (the note stays), then click 👍 again: the rating and its note are gone.
        corrected.get_by_role("button", name="Good answer").click()
        page.get_by_role("button", name="Skip").click()
        expect(corrected.get_by_role("button", name="Good answer")).to_have_attribute("aria-pressed", "true")
        page.reload()
        assert _rating(page, correction_id) == ("true", "false", "Wrong dialect, says labas twice")
        corrected.get_by_role("button", name="Good answer").click()
        expect(corrected.get_by_role("button", name="Good answer")).to_have_attribute("aria-pressed", "false")
        page.reload()
        assert _rating(page, correction_id) == ("false", "false", "")
    finally:
        page.context.close()


def _menu(page: Page, title: str) -> None:
    page.get_by_role("button", name=f"Actions for {title}").click()


def test_export_import_and_search(live_server, browser: Browser, screenshot_dir: Path, tmp_path: Path) -> None:
    page = _new_page(browser)
    stranger = _new_page(browser)
    try:
        register(page, live_server.url)
        # One question with two answers; the second is the active one, the first holds the word.
        branched = import_conversation(
            page,
            live_server.url,
            "Trip planning",
            [
                {"id": "q", "role": "user", "content": "Where should we go this summer?"},
                {
                    "id": "a1",
                    "parent_id": "q",
                    "role": "assistant",
                    "content": "Zanzibarique beaches are quiet in June.",
                },
                {"id": "a2", "parent_id": "q", "role": "assistant", "content": "Try the mountains of Kabylie."},
            ],
        )
        arabic = import_conversation(
            page,
            live_server.url,
            "الدراسة",
            [
                {"id": "q", "role": "user", "content": "وين نقرا؟"},
                {
                    "id": "a",
                    "parent_id": "q",
                    "role": "assistant",
                    "content": "أَحْمَد يقرا في المَدْرَسَة الكبيرة، قريب من المستشفى.",
                },
            ],
        )
        page.reload()
        expect(page.locator(".sidebar .conv")).to_have_count(2, timeout=20_000)

        # Export: Markdown (the active branch) and JSON (every branch) come as downloads.
        with page.expect_download() as md:
            _menu(page, "Trip planning")
            page.get_by_role("menuitem", name="Export as Markdown").click()
        markdown = Path(md.value.path()).read_text(encoding="utf-8")
        assert md.value.suggested_filename == "trip-planning.md"
        assert markdown.startswith("# Trip planning") and "Try the mountains of Kabylie." in markdown
        with page.expect_download() as js:
            _menu(page, "Trip planning")
            page.get_by_role("menuitem", name="Export as JSON").click()
        exported = tmp_path / js.value.suggested_filename
        js.value.save_as(exported)
        doc = json.loads(exported.read_text(encoding="utf-8"))
        assert doc["format"] == "hadra.conversation" and len(doc["messages"]) == 3

        # A bad file says why, and the list stays as it was.
        titles = page.locator(".sidebar .conv a").all_inner_texts()
        upload = page.get_by_label("Import a conversation exported as JSON")
        not_hadra = tmp_path / "notes.json"
        not_hadra.write_text('{"hello": "world"}')
        upload.set_input_files(not_hadra)
        expect(page.get_by_role("alert")).to_contain_text("That file is not a hadra conversation.")
        broken = tmp_path / "broken.json"
        broken.write_text(json.dumps({**doc, "messages": [{**m, "parent_id": "nowhere"} for m in doc["messages"]]}))
        upload.set_input_files(broken)
        expect(page.get_by_role("alert")).to_contain_text("That file cannot be imported.")
        assert page.locator(".sidebar .conv a").all_inner_texts() == titles

        # Importing the JSON brings the conversation back as a new one, opened.
        upload.set_input_files(exported)
        expect(page.locator(".sidebar .conv")).to_have_count(3, timeout=20_000)
        expect(page.locator(".chathead h2")).to_have_text("Trip planning")
        imported_id = re.search(r"/c/([0-9a-f]{24})$", page.url).group(1)
        assert imported_id not in (branched, arabic)
        expect(page.locator("article.msg.assistant .bubble")).to_have_text("Try the mountains of Kabylie.")

        # Search a word that is only in an answer, on a version that is not the active one.
        search = page.get_by_label("Search conversations")
        search.fill("zanzibariq")  # the last word matches as a prefix while typing
        hits = page.locator(".hit")
        expect(hits).to_have_count(2, timeout=20_000)  # the original and its imported copy
        expect(hits.first.locator("mark")).to_have_text("Zanzibarique")
        expect(hits.first).to_contain_text("In another version")
        page.screenshot(path=screenshot_dir / "desktop-search.png")
        hits.locator(f'[href="/c/{branched}"]').click()
        expect(page).to_have_url(re.compile(f"/c/{branched}$"))
        found = page.locator("article.msg.assistant")
        expect(found.locator(".bubble")).to_have_text("Zanzibarique beaches are quiet in June.", timeout=20_000)
        expect(found.locator(".branchpos")).to_have_text("1/2")
        expect(found).to_be_in_viewport()

        # Arabic typed without the hamza, the diacritics or the taa marbuta still finds it.
        search.fill("احمد المدرسه")
        expect(hits).to_have_count(1, timeout=20_000)
        expect(hits.first.locator("mark")).to_have_text(["أَحْمَد", "المَدْرَسَة"])
        search.fill("المستشفي")
        expect(hits).to_have_count(1, timeout=20_000)
        expect(hits.first.locator(".hittitle")).to_have_text("الدراسة")

        # Another account never finds them.
        register(stranger, live_server.url)
        stranger.get_by_label("Search conversations").fill("zanzibarique")
        expect(stranger.locator(".searchstate")).to_have_text("Nothing found.", timeout=20_000)
        stranger.get_by_label("Search conversations").fill("المدرسة")
        expect(stranger.locator(".searchstate")).to_have_text("Nothing found.", timeout=20_000)
    finally:
        page.context.close()
        stranger.context.close()


def test_keyboard_rename_delete_and_escape_order(start_server, browser: Browser) -> None:
    server = start_server(HADRA_MAX_ANSWER_TOKENS="2048")  # an answer long enough to stop
    page = _new_page(browser)
    try:
        register(page, server.url)
        import_conversation(page, server.url, "Old notes", [{"id": "q", "role": "user", "content": "Keep this."}])
        page.reload()

        # Rename with the keyboard only: Tab to the row's ⋯ button, Enter opens its menu.
        page.locator(".sidebar .conv a").first.focus()
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name="Actions for Old notes")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.get_by_role("menuitem", name="✎ Rename")).to_be_focused()
        page.keyboard.press("Enter")
        page.keyboard.press("Control+A")
        page.keyboard.type("Kept notes")
        page.keyboard.press("Enter")
        expect(page.locator(".sidebar .conv a")).to_have_text(["Kept notes"], timeout=20_000)

        # Esc closes the open menu (focus back on its button), then delete from the keyboard.
        page.locator(".sidebar .conv a").first.focus()
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.get_by_role("menu")).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.get_by_role("menu")).to_have_count(0)
        expect(page.get_by_role("button", name="Actions for Kept notes")).to_be_focused()
        page.keyboard.press("Enter")
        page.keyboard.press("End")
        expect(page.get_by_role("menuitem", name="🗑 Delete")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator(".sidebar .conv")).to_have_count(0, timeout=20_000)

        # While an answer streams, Esc first closes the settings panel, and only then stops it.
        send(page, "Write a long story about a cat who travels around the world.")
        answer = last_answer(page, 1)
        wait_longer_than(page, answer, 0)
        page.get_by_role("button", name="Conversation settings").click()
        expect(page.get_by_role("button", name="Save")).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.get_by_role("button", name="Save")).to_have_count(0)
        expect(answer).to_have_attribute("data-status", "streaming")
        page.keyboard.press("Escape")
        expect(answer).to_have_attribute("data-status", "stopped", timeout=30_000)
    finally:
        page.context.close()
