"""The admin console (/admin) in headless Chromium against the live server: a staff user follows the
chat's link to it, reads what the next run would learn from (an Arabic 👍 row laid out right to
left, no account name until asked), sees that no worker runs and how to start one, manages accounts
and reads the audit log; someone who is not staff is told the page is not for them."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.api.clients import create_staff, isolated_db, new_credentials, staff_client
from tests.e2e.ui import STREAM_TIMEOUT_MS, computed_direction, last_answer, log_in, register, send
from tests.finetune.helpers import translation_records, write_jsonl
from tests.finetune.training import RUN_TIMEOUT_S, Training

DESKTOP = {"width": 1280, "height": 900}
QUESTION = "شنو هي عاصمة الجزائر؟"
RUN_MS = RUN_TIMEOUT_S * 1000  # a bound on the tiny run (minutes on two busy cores), not an expectation


def model_label(name: str) -> str:
    """As the page names a model (web/src/modelNames.ts): `name:latest` is `name`."""
    return name.removesuffix(":latest")


def rated_arabic_answer(page: Page) -> None:
    """A question in Darija, answered by the model, and the answer rated 👍: a training row."""
    send(page, QUESTION)
    answer = last_answer(page, 1)
    expect(answer).to_have_attribute("data-status", "complete", timeout=STREAM_TIMEOUT_MS)
    answer.get_by_title("Good answer").click()
    expect(answer.get_by_title("Good answer")).to_have_attribute("aria-pressed", "true")


def answered_by(page: Page, count: int, label: str) -> None:
    """Say hello and see an answer arrive, under the name of the model that gave it."""
    send(page, "hello")
    answer = last_answer(page, count)
    expect(answer).to_have_attribute("data-status", "complete", timeout=STREAM_TIMEOUT_MS)
    expect(answer.locator(".bubble")).not_to_be_empty()
    expect(answer.locator(".model")).to_have_text(label)


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
        assert computed_direction(row.get_by_text(QUESTION, exact=True)) == "rtl"
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

        # Phone width: the same console, tables scroll sideways, rows stack.
        page.set_viewport_size({"width": 390, "height": 844})
        page.get_by_role("tab", name="Data").click()
        expect(row).to_be_visible()
        assert computed_direction(row.get_by_text(QUESTION, exact=True)) == "rtl"
        page.screenshot(path=screenshot_dir / "admin-phone-data.png", full_page=True)

        page.get_by_role("link", name="← Back to the chat").click()
        expect(page.get_by_label("Message")).to_be_visible()
    finally:
        context.close()


def test_admin_trains_evaluates_activates_and_rolls_back(
    start_server,
    server_env: dict[str, str],
    redis_url: str,
    ollama_host: str,
    browser: Browser,
    screenshot_dir: Path,
    tmp_path: Path,
) -> None:
    """The loop from the browser, on two hadra processes sharing Redis: a run on the tiny test base
    (a real worker in the training venv), watched live on process A, its version's gate figures
    beside the active model's, a held-out prompt answered by both, activation (past the gate with a
    reason when it refuses); a user's page open on process B all along is told of the new default,
    and its new chat is answered by the version; after the rollback on A, B's next chat uses the
    server's default model again."""
    database = isolated_db(server_env["MONGODB_URI"])  # the active model is server-wide
    env = {**server_env, "MONGODB_URI": database, "REDIS_URL": redis_url}
    translations = tmp_path / "translations"
    translations.mkdir()
    pairs = write_jsonl(translations / "pairs.jsonl", translation_records())
    server, server_b = (
        start_server(MONGODB_URI=database, HADRA_TRANSLATIONS_DIR=str(translations), REDIS_URL=redis_url)
        for _ in range(2)
    )
    url = server.url
    staff = new_credentials("admin")
    create_staff(env, staff)
    api = staff_client(server, env)
    training = Training(
        server=server,
        mongo_uri=database,
        ollama_host=ollama_host,
        default_model=env["DEFAULT_MODEL"],
        var=tmp_path / "var",
        translations=pairs,
        staff=api,
        staff_token=api.headers["Authorization"].removeprefix("Bearer "),
        user_token="",
    )

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    member_context = browser.new_context(viewport=DESKTOP)
    member_page = member_context.new_page()
    default_label = model_label(env["DEFAULT_MODEL"])
    try:
        # A user chatting on process B, whose page stays open through the activation and rollback.
        register(member_page, server_b.url)
        expect(member_page.locator(".modelchip")).to_have_text(default_label)

        page.goto(url + "/")
        log_in(page, staff["username"], staff["password"])
        training.start_worker()
        page.goto(url + "/admin/runs")
        expect(page.get_by_text("1 worker alive")).to_be_visible(timeout=60_000)

        # Start a run on the tiny base and watch it arrive over the socket: stage, steps, loss curve.
        page.get_by_label("Preset").select_option("tiny-cpu")
        page.get_by_role("button", name="Start run").click()
        run = page.locator(".runview")
        expect(run).to_have_attribute("data-status", re.compile("queued|running"))
        expect(run.get_by_role("img", name=re.compile(r"Loss curve: [2-9] points"))).to_be_visible(timeout=RUN_MS)
        expect(run).to_contain_text(re.compile(r"Step \d+ of 40"))
        page.screenshot(path=screenshot_dir / "admin-run.png", full_page=True)
        expect(run).to_have_attribute("data-status", "succeeded", timeout=RUN_MS)
        expect(run).to_contain_text("Took")
        run_id = run.get_attribute("data-run-id")
        assert run_id
        assert page.locator(f'tr[data-run-id="{run_id}"]').inner_text().count("Succeeded") == 1

        # The version it registered, against the active model on the same held-out rows.
        page.get_by_role("tab", name="Versions").click()
        version = page.locator("tr[data-version-id]").filter(has_text=f"hadra-tiny-cpu:{run_id[-8:]}")
        expect(version).to_have_attribute("data-status", "registered")
        version.get_by_role("button", name="Compare").click()
        figures = page.locator(".gatefigures")
        expect(figures.locator('[data-figure="version"]')).to_have_text(re.compile(r"^\d+\.\d{4}$"))
        expect(figures.locator('[data-figure="base"]')).to_have_text(re.compile(r"^\d+\.\d{4}$"))
        sample = page.locator(".samples > li").first
        sample.get_by_role("button", name="Answer it with both models").click()
        for side in ("version", "active"):
            expect(sample.locator(f'[data-side="{side}"] .plain')).to_have_attribute(
                "aria-busy", "false", timeout=STREAM_TIMEOUT_MS
            )
        page.screenshot(path=screenshot_dir / "admin-gate.png", full_page=True)
        sample.get_by_role("button", name="This version is better").click()
        expect(sample).to_contain_text("Thanks, recorded.")
        expect(figures.locator('[data-figure="win-rate"]')).to_have_text("100%")

        # Activate: the gate refuses what it cannot compare or is worse; the reason overrides it.
        version.get_by_role("button", name="Activate").click()
        dialog = page.get_by_role("dialog")
        activated = page.get_by_role("status").filter(has_text="Active now")
        expect(dialog.or_(activated)).to_be_visible(timeout=60_000)
        if dialog.is_visible():
            page.screenshot(path=screenshot_dir / "admin-override.png")
            dialog.get_by_label("Reason for overriding").fill("The tiny base only repeats its data; trying it live.")
            dialog.get_by_role("button", name="Activate anyway").click()
        expect(page.get_by_role("status").filter(has_text="Active now")).to_be_visible(timeout=60_000)
        expect(version).to_have_attribute("data-status", "active")
        page.screenshot(path=screenshot_dir / "admin-versions.png", full_page=True)

        # Process B heard of it (models.changed through Redis): the open page's new chat is answered by it.
        ollama_model = api.get("/api/models").json()["default_model"]
        assert ollama_model != env["DEFAULT_MODEL"]
        expect(member_page.locator(".modelchip")).to_have_text(model_label(ollama_model), timeout=60_000)
        answered_by(member_page, 1, model_label(ollama_model))
        member_page.screenshot(path=screenshot_dir / "admin-activated-chat.png", full_page=True)

        # Roll back to the server's default; every step is in the audit log.
        page.on("dialog", lambda d: d.accept())
        version.get_by_role("button", name="Roll back").click()
        expect(page.get_by_text("No version is active: chats use the server's default model")).to_be_visible()

        # Process B is back on the default too: the next new chat there is answered by it.
        member_page.get_by_role("button", name="+ New chat").click()
        expect(member_page.locator(".modelchip")).to_have_text(default_label, timeout=60_000)
        answered_by(member_page, 1, default_label)

        page.get_by_role("tab", name="Audit").click()
        actions = page.locator("tr[data-action]")
        expect(actions.first).to_have_attribute("data-action", "version.rollback")
        for action in ("run.start", "version.pick"):
            expect(page.locator(f'tr[data-action="{action}"]')).to_have_count(1)
        expect(page.locator('tr[data-action^="version.activate"]')).to_have_count(1)
    finally:
        context.close()
        member_context.close()
        training.stop()
