"""The account pages in headless Chromium against the live server and the CPU Ollama: an API token
made on /tokens chats over the WebSocket from Python and is refused once revoked on the page;
/settings sets the default model and system prompt a new chat gets, a theme that survives a
reload, a new password that signs out another browser, sign out everywhere, and deleting the
account (its other browser signed out, its password refused, another account untouched)."""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.e2e.ui import STREAM_TIMEOUT_MS, import_conversation, last_answer, log_in, model_copy, register, send

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SYSTEM_PROMPT = "Answer in one short sentence."


def api_get(page: Page, base_url: str, path: str) -> Any:
    """GET an API path with the page's session (the server's view, not the page's)."""
    response = page.request.get(base_url + path)
    assert response.status == 200, response.text()
    return response.json()


def label(model: str) -> str:
    """As the page names a model (web/src/modelNames.ts): Ollama's `name:latest` is `name`."""
    return model.removesuffix(":latest")


def open_account_page(page: Page, name: str) -> None:
    """From the chat, the sidebar's account link (Settings or API tokens)."""
    page.locator(".sidebar").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible(timeout=20_000)


def signed_in_page(context: BrowserContext, base_url: str, name: str, password: str) -> Page:
    page = context.new_page()
    page.goto(base_url + "/")
    log_in(page, name, password)
    expect(page.locator(".conn")).to_have_count(0, timeout=20_000)  # its socket is open
    return page


def frames_until(ws: ClientConnection, wanted: str, timeout: float) -> list[dict[str, Any]]:
    """Read frames until one of type ``wanted``; all of them, in order."""
    frames: list[dict[str, Any]] = []
    while not frames or frames[-1]["type"] != wanted:
        frames.append(json.loads(ws.recv(timeout=timeout)))
    return frames


@pytest.fixture(scope="module")
def pinned_model(ollama_host: str, ollama_model: str) -> str:
    """A second model the server serves (a copy of the default), to pin as an account's default."""
    return model_copy(ollama_host, ollama_model, "pinned", seed=3)


def test_an_api_token_made_in_the_page_chats_over_the_socket_until_revoked(
    live_server, browser: Browser, screenshot_dir: Path
) -> None:
    url = live_server.url
    context = browser.new_context(viewport=DESKTOP, locale="en-US")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the revoke confirmation
    try:
        register(page, url)
        open_account_page(page, "API tokens")
        expect(page).to_have_url(f"{url}/tokens")
        expect(page.get_by_text("No tokens yet.")).to_be_visible()
        page.get_by_label("Name").fill("my script")
        page.get_by_role("button", name="Create").click()

        shown = page.get_by_role("region", name="Your new token “my script”")
        expect(shown).to_contain_text("it is shown only this once")
        token = shown.get_by_label("Token").inner_text()
        assert re.fullmatch(r"hadra_[\w-]{20,}", token), token
        shown.get_by_role("button", name="Copy", exact=True).click()
        expect(shown.get_by_role("button", name="Copied", exact=True)).to_be_visible()
        assert page.evaluate("navigator.clipboard.readText()") == token
        host = url.removeprefix("http://")
        expect(shown.locator("pre").first).to_contain_text(f"Bearer {token}' ws://{host}/ws/chat/")
        expect(shown.locator("pre").nth(1)).to_have_text(
            f"curl -H 'Authorization: Bearer {token}' {url}/api/conversations"
        )
        page.screenshot(path=screenshot_dir / "desktop-tokens.png", full_page=True)

        # The example's socket, from Python: a chat answered by the model, as the page's own would be.
        with connect(live_server.ws_url, additional_headers={"Authorization": f"Bearer {token}"}) as ws:
            ws.send(
                json.dumps({"type": "chat.send", "conversation_id": None, "content": "Wach rak?", "request_id": "1"})
            )
            frames = frames_until(ws, "message.done", STREAM_TIMEOUT_MS / 1000)
            assert frames[0]["type"] == "conversation.created"
            assert frames[-1]["status"] == "complete" and frames[-1]["content"]

            # Shown once: after "I have copied it" only the list, which never holds the secret.
            shown.get_by_role("button", name="I have copied it").click()
            expect(page.get_by_role("region", name=re.compile("Your new token"))).to_have_count(0)
            page.reload()
            row = page.locator("table.tokens tbody tr")
            expect(row).to_have_count(1)
            expect(row.locator("td").first).to_have_text("my script")
            expect(row.locator("td").nth(2)).not_to_have_text("Never")  # its last use is the chat above
            assert token not in page.content()

            # Revoked on the page: the open socket is told and closed, a new one is refused.
            page.get_by_role("button", name="Revoke my script").click()
            expect(page.get_by_role("status")).to_have_text("“my script” is revoked.")
            expect(page.locator("table.tokens")).to_have_count(0)
            closing = frames_until(ws, "error", 30)
            assert closing[-1]["code"] == "signed_out"
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=30)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
        with connect(live_server.ws_url, additional_headers={"Authorization": f"Bearer {token}"}) as ws:
            assert json.loads(ws.recv(timeout=30))["code"] == "unauthenticated"
            with pytest.raises(ConnectionClosed) as refused:
                ws.recv(timeout=30)
            assert refused.value.rcvd is not None and refused.value.rcvd.code == 4401
        # The chat the token made is the account's own.
        assert len(api_get(page, url, "/api/conversations")["conversations"]) == 1
    finally:
        context.close()


def test_settings_choose_what_new_chats_get_the_theme_and_the_sessions(
    live_server, browser: Browser, pinned_model: str, screenshot_dir: Path
) -> None:
    url = live_server.url
    password = "pw-" + secrets.token_urlsafe(12)
    new_password = "pw-" + secrets.token_urlsafe(12)
    context = browser.new_context(viewport=DESKTOP, locale="en-US")
    other = browser.new_context(viewport=DESKTOP, locale="en-US")
    page = context.new_page()
    try:
        name = register(page, url, password)
        open_account_page(page, "Settings")
        expect(page).to_have_url(f"{url}/settings")
        consent = page.get_by_role("checkbox", name="Use my conversations for training")
        expect(consent).to_be_checked()  # on by default
        new_chats = page.get_by_role("region", name="New chats")
        model = new_chats.get_by_label("Default model")
        expect(model).to_have_value("")  # the server default
        model.select_option(label=pinned_model)
        new_chats.get_by_label("System prompt for new chats").fill(SYSTEM_PROMPT)
        new_chats.get_by_role("button", name="Save").click()
        expect(new_chats.get_by_role("status")).to_have_text("Saved.")
        me = api_get(page, url, "/api/auth/me")
        assert (label(me["default_model"]), me["default_system_prompt"]) == (pinned_model, SYSTEM_PROMPT)

        # Dark, kept in this browser and on the account: still dark after a reload.
        page.get_by_role("radio", name="Dark").check()
        expect(page.get_by_role("region", name="Interface").get_by_role("status")).to_have_text("Saved.")
        page.reload()
        expect(page.locator("html")).to_have_attribute("data-theme", "dark")
        expect(page.get_by_role("radio", name="Dark")).to_be_checked()
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(20, 23, 28)"
        page.screenshot(path=screenshot_dir / "desktop-settings.png", full_page=True)

        # A new chat gets the pinned model (its chip) and the system prompt.
        page.get_by_role("link", name="← Back to the chat").click()
        expect(page.locator(".modelchip")).to_have_text(pinned_model)  # before the first message too
        send(page, "Salam")
        expect(page).to_have_url(re.compile(r"/c/[0-9a-f]{24}$"))
        expect(page.locator(".modelchip")).to_have_text(pinned_model)
        answer = last_answer(page, 1)
        expect(answer).not_to_have_attribute("data-status", "streaming", timeout=STREAM_TIMEOUT_MS)
        chat = api_get(page, url, f"/api/conversations/{page.url.rsplit('/', 1)[1]}/messages")["conversation"]
        assert (label(chat["model"]), chat["system_prompt"]) == (pinned_model, SYSTEM_PROMPT)

        # Download all my data: the account and that chat, in one JSON file.
        open_account_page(page, "Settings")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download all my data").click()
        assert re.fullmatch(rf"hadra-{name}-\d{{4}}-\d{{2}}-\d{{2}}\.json", download.value.suggested_filename)
        exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
        assert exported["format"] == "hadra.account" and exported["account"]["username"] == name
        assert exported["account"]["default_system_prompt"] == SYSTEM_PROMPT
        assert [m["content"] for m in exported["conversations"][0]["messages"]][:1] == ["Salam"]

        # A new password signs out the other browser (its socket closes); this one stays in.
        elsewhere = signed_in_page(other, url, name, password)
        security = page.get_by_role("region", name="Security")
        security.get_by_label("Current password").fill(password)
        security.get_by_label("New password").fill(new_password)
        security.get_by_role("button", name="Change password").click()
        expect(security.get_by_text("Password changed.")).to_be_visible()
        expect(elsewhere.get_by_label("Username")).to_be_visible(timeout=30_000)
        expect(elsewhere.get_by_role("status")).to_contain_text("You were signed out")
        page.reload()
        expect(page.get_by_role("heading", name="Settings", level=1)).to_be_visible()

        # Sign out everywhere: this browser and the other one both land on the sign-in page.
        log_in(elsewhere, name, new_password)
        page.get_by_role("button", name="Sign out everywhere").click()
        expect(page.get_by_label("Username")).to_be_visible(timeout=20_000)
        expect(page).to_have_url(f"{url}/")
        expect(elsewhere.get_by_label("Username")).to_be_visible(timeout=30_000)
        assert page.request.get(url + "/api/auth/me").status in (401, 403)

        # A browser that never chose a theme gets the account's on signing in.
        phone = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True)
        try:
            small = phone.new_page()
            small.goto(url + "/")
            log_in(small, name, new_password)
            small.goto(url + "/settings")
            expect(small.get_by_role("heading", name="Settings", level=1)).to_be_visible(timeout=20_000)
            expect(small.locator("html")).to_have_attribute("data-theme", "dark")
            assert small.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            small.screenshot(path=screenshot_dir / "phone-settings.png", full_page=True)
        finally:
            phone.close()
    finally:
        context.close()
        other.close()


def test_deleting_the_account_signs_it_out_everywhere_and_leaves_others_alone(live_server, browser: Browser) -> None:
    url = live_server.url
    password = "pw-" + secrets.token_urlsafe(12)
    context = browser.new_context(viewport=DESKTOP, locale="en-US")
    other = browser.new_context(viewport=DESKTOP, locale="en-US")
    neighbour = browser.new_context(viewport=DESKTOP, locale="en-US")
    page = context.new_page()
    try:
        kept = neighbour.new_page()
        register(kept, url)
        kept_id = import_conversation(
            kept,
            url,
            "Not mine to lose",
            [
                {"id": "q", "role": "user", "content": "Salam"},
                {"id": "a", "parent_id": "q", "role": "assistant", "content": "Wa alaykum."},
            ],
        )

        name = register(page, url, password)
        import_conversation(page, url, "Gone with the account", [{"id": "q", "role": "user", "content": "Bye"}])
        elsewhere = signed_in_page(other, url, name, password)

        page.goto(url + "/settings")
        danger = page.get_by_role("region", name="Danger zone")
        expect(danger).to_contain_text("Models already trained are not retrained")
        delete = danger.get_by_role("button", name="Delete my account")
        danger.get_by_label("Your password").fill("not-the-password")
        expect(delete).to_be_disabled()  # the username is not typed yet
        danger.get_by_label(f"Type your username, {name}, to confirm").fill(name)
        delete.click()
        expect(danger.get_by_role("alert")).to_have_text(
            "The password is wrong. Check it and try again; nothing was changed."
        )
        danger.get_by_label("Your password").fill(password)
        delete.click()

        expect(page.get_by_label("Username")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Your account and all its data were deleted.")).to_be_visible()
        expect(elsewhere.get_by_label("Username")).to_be_visible(timeout=30_000)

        page.get_by_label("Username").fill(name)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.locator(".formerror")).to_contain_text("Wrong username or password")

        kept.reload()
        assert [c["id"] for c in api_get(kept, url, "/api/conversations")["conversations"]] == [kept_id]
        messages = api_get(kept, url, f"/api/conversations/{kept_id}/messages")["messages"]
        assert [m["content"] for m in messages] == ["Salam", "Wa alaykum."]
    finally:
        context.close()
        other.close()
        neighbour.close()
