"""The admin console (/admin) in headless Chromium against the live server: a staff user follows the
chat's link to it, reads what the next run would learn from (an Arabic 👍 row laid out right to
left, no account name until asked), sees that no worker runs and how to start one, manages accounts
and reads the audit log; someone who is not staff is told the page is not for them."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.api.clients import create_staff, isolated_db, new_credentials
from tests.e2e.ui import STREAM_TIMEOUT_MS, computed_direction, last_answer, log_in, register, send
from tests.finetune.helpers import translation_records, write_jsonl

DESKTOP = {"width": 1280, "height": 900}
QUESTION = "شنو هي عاصمة الجزائر؟"


def rated_arabic_answer(page: Page) -> None:
    """A question in Darija, answered by the model, and the answer rated 👍: a training row."""
    send(page, QUESTION)
    answer = last_answer(page, 1)
    expect(answer).to_have_attribute("data-status", "complete", timeout=STREAM_TIMEOUT_MS)
    answer.get_by_title("Good answer").click()
    expect(answer.get_by_title("Good answer")).to_have_attribute("aria-pressed", "true")


def test_admin_console_for_staff_only(
    start_server, server_env: dict[str, str], browser: Browser, screenshot_dir: Path, tmp_path: Path
) -> None:
    database = isolated_db(server_env["MONGODB_URI"])  # sign-up and the audit are server-wide
    translations = tmp_path / "translations"
    translations.mkdir()
    write_jsonl(translations / "pairs.jsonl", translation_records())
    server = start_server(MONGODB_URI=database, HADRA_TRANSLATIONS_DIR=str(translations))
    url = server.url
    staff = new_credentials("admin")
    create_staff({**server_env, "MONGODB_URI": database}, staff)

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        # Someone who is not staff: a sentence and a way back, no console.
        member = register(page, url)
        rated_arabic_answer(page)
        page.goto(url + "/admin")
        expect(page.get_by_role("heading", name="This page is for administrators")).to_be_visible()
        expect(page.get_by_role("tablist")).to_have_count(0)
        page.get_by_role("button", name="Back to the chat").click()
        expect(page.get_by_label("Message")).to_be_visible()
        expect(page.get_by_role("link", name="Admin")).to_have_count(0)
        page.get_by_role("button", name="Log out").click()

        # Staff: the chat's link opens the console on its data.
        log_in(page, staff["username"], staff["password"])
        page.get_by_role("link", name="Admin").click()
        expect(page).to_have_url(url + "/admin")
        expect(page.get_by_role("tab", name="Data", selected=True)).to_be_visible()
        expect(page.locator('[data-count="chat_rated"] dd')).to_have_text("1")
        expect(page.locator('[data-count="translation"] dd')).to_have_text(str(len(translation_records())))
        row = page.locator(".datarow").filter(has_text=QUESTION)
        expect(row).to_be_visible()
        expect(row).not_to_contain_text(member)  # no account name until asked
        assert computed_direction(row.get_by_text(QUESTION)) == "rtl"
        page.screenshot(path=screenshot_dir / "admin-data.png", full_page=True)
        row.get_by_role("button", name="Show account").click()
        expect(row).to_contain_text(f"Account: {member}")
        row.get_by_role("button", name="Exclude").click()
        expect(row.get_by_text("Excluded", exact=True)).to_be_visible()
        expect(page.locator('[data-count="excluded"] dd')).to_have_text("1")

        # No worker runs here: the page says how to start one.
        page.get_by_role("tab", name="Training runs").click()
        expect(page).to_have_url(url + "/admin/runs")
        hint = page.get_by_role("status").filter(has_text="No training worker is running")
        expect(hint).to_contain_text("make train-env")
        expect(page.get_by_role("option", name="tiny-cpu", exact=False)).to_have_count(1)

        # Accounts: close sign-up; disable the member.
        page.get_by_role("tab", name="Users").click()
        member_row = page.locator("tr").filter(has_text=member)
        page.on("dialog", lambda dialog: dialog.accept())
        member_row.get_by_role("button", name="Disable").click()
        expect(member_row).to_contain_text("Disabled")
        page.get_by_role("button", name="Close sign-up").click()
        expect(page.get_by_text("Sign-up is closed")).to_be_visible()
        page.screenshot(path=screenshot_dir / "admin-users.png", full_page=True)

        # The audit log has each of those, newest first, with who did it.
        page.get_by_role("tab", name="Audit").click()
        actions = page.locator("tr[data-action]")
        expect(actions.first).to_have_attribute("data-action", "signup.close")
        expect(page.locator('tr[data-action="user.disable"]')).to_contain_text(staff["username"])
        expect(page.locator('tr[data-action="dataset.exclude"]')).to_have_count(1)
        expect(page.locator('tr[data-action="dataset.reveal_account"]')).to_have_count(1)
        page.screenshot(path=screenshot_dir / "admin-audit.png", full_page=True)

        page.get_by_role("link", name="← Back to the chat").click()
        expect(page.get_by_label("Message")).to_be_visible()
    finally:
        context.close()
