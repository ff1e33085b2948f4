"""An automated accessibility check of the pages a person uses: axe-core (the engine behind
Lighthouse's and Deque's checks, pinned in web/package.json) runs inside headless Chromium over the
sign-in page, the chat with a conversation open, the settings page and the API tokens page, in
English and in Arabic (right to left), on a desktop and a phone viewport. A serious or critical
violation fails the test with axe's own description of each element that broke the rule."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.ui import import_conversation

AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
CHAT = [
    {"id": "q", "role": "user", "content": "كيفاش نطيب الكسكسي؟"},
    {
        "id": "a",
        "parent_id": "q",
        "role": "assistant",
        "content": (
            "## الكسكسي\n\n1. فوّر السميد\n2. **زيد** الزيت\n\n"
            "| المكون | الكمية |\n|---|---|\n| سميد | 500 g |\n\n`code` and a [link](https://example.com)."
        ),
    },
]


def register_by_api(page: Page, base_url: str) -> None:
    """Sign up through the API with the page's cookies (the form's labels are in the page's language)."""
    page.request.get(base_url + "/api/auth/me")  # sets the csrftoken cookie
    csrf = next(c["value"] for c in page.context.cookies(base_url) if c["name"] == "csrftoken")
    name = f"a11y-{secrets.token_hex(4)}"
    body = {"username": name, "email": f"{name}@example.com", "password": "pw-" + secrets.token_urlsafe(12)}
    response = page.request.post(base_url + "/api/auth/register", data=body, headers={"X-CSRFToken": csrf})
    assert response.status == 201, response.text()


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line per element."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `cd web && npm ci` (axe-core is a dev dependency).")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {node['target']}: {node.get('failureSummary', '')}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
        for node in v["nodes"]
    ]


def assert_accessible(page: Page, where: str) -> None:
    found = serious_violations(page)
    assert not found, f"{where}:\n" + "\n".join(found)


@pytest.mark.parametrize("locale", ["en-US", "ar-DZ"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_sign_in_chat_settings_and_tokens_pages_have_no_serious_accessibility_violation(
    live_server, browser: Browser, locale: str, viewport: dict[str, int]
) -> None:
    url = live_server.url
    # bypass_csp: axe is injected as an inline script, which the app's CSP (rightly) refuses.
    context = browser.new_context(viewport=viewport, locale=locale, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(url + "/")
        expect(page.locator("form")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if locale.startswith("ar") else "ltr")
        assert_accessible(page, "sign-in page")

        register_by_api(page, url)
        conversation_id = import_conversation(page, url, "الكسكسي", CHAT)
        page.goto(f"{url}/c/{conversation_id}")
        expect(page.locator("article.msg.assistant table")).to_be_visible()
        assert_accessible(page, "chat with an answer open")

        page.goto(url + "/settings")
        expect(page.locator("main h1")).to_be_visible(timeout=20_000)  # shown once the account is read
        expect(page.locator("main section").first).to_be_visible()
        assert_accessible(page, "settings page")

        page.goto(url + "/tokens")
        expect(page.locator("main #create-heading")).to_be_visible(timeout=20_000)
        expect(page.locator("main #list-heading")).to_be_visible()
        assert_accessible(page, "API tokens page")

        # The check itself sees a violation when there is one: a button with no name is critical.
        page.evaluate("document.querySelector('main').append(document.createElement('button'))")
        assert any(line.startswith("button-name (critical)") for line in serious_violations(page))
    finally:
        context.close()
