"""The interface in the reader's language: a browser that prefers Arabic gets the whole page right
to left in Arabic from the sign-in page on (sidebar on the right, error sentences in Arabic), one
that prefers French gets it in French; the language picked on the sign-in page is remembered after
a reload, and an account's own language wins over the browser's once signed in."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.e2e.ui import STREAM_TIMEOUT_MS, last_answer

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def page_language(page: Page) -> tuple[str, str]:
    lang, direction = page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]")
    return lang, direction


def taken_username(browser: Browser, base_url: str) -> str:
    """An account made over the API in a browser of its own (the page under test stays signed out)."""
    name = f"e2e-{secrets.token_hex(4)}"
    other = browser.new_context()
    try:
        other.request.get(f"{base_url}/api/auth/me")  # sets the CSRF cookie
        csrf = next(c["value"] for c in other.cookies(base_url) if c["name"] == "csrftoken")
        body = {"username": name, "email": f"{name}@example.com", "password": "pw-" + secrets.token_urlsafe(12)}
        response = other.request.post(f"{base_url}/api/auth/register", data=body, headers={"X-CSRFToken": csrf})
        assert response.status in (200, 201), response.text()
    finally:
        other.close()
    return name


def fill_signup(page: Page, labels: dict[str, str], name: str) -> None:
    page.get_by_label(labels["username"]).fill(name)
    page.get_by_label(labels["email"]).fill(f"{name}@example.com")
    page.get_by_label(labels["password"]).fill("pw-" + secrets.token_urlsafe(12))
    page.get_by_role("button", name=labels["register"], exact=True).click()


def answered(page: Page, text: str, labels: dict[str, str]) -> None:
    """Send ``text`` with the composer's translated controls and wait for the whole answer."""
    box = page.get_by_label(labels["message"], exact=True)
    box.fill(text)
    expect(page.get_by_role("button", name=labels["send"], exact=True)).to_be_enabled(timeout=20_000)
    box.press("Enter")
    answer = last_answer(page, 1)
    expect(answer).to_have_attribute("data-status", "complete", timeout=STREAM_TIMEOUT_MS)


def test_arabic_interface_right_to_left(live_server, browser: Browser, screenshot_dir: Path) -> None:
    base = live_server.url
    taken = taken_username(browser, base)
    context = browser.new_context(viewport=DESKTOP, locale="ar-DZ")
    page = context.new_page()
    try:
        # The sign-in page is already in Arabic, right to left.
        page.goto(base + "/")
        expect(page.get_by_text("سجّل الدخول إلى محادثاتك")).to_be_visible()
        assert page_language(page) == ("ar", "rtl")
        assert page.locator(".card").evaluate("el => getComputedStyle(el).direction") == "rtl"

        # Register with a name that is taken: the sentence for its code, in Arabic.
        page.get_by_role("button", name="ليس لديك حساب؟ أنشئ حسابًا").click()
        labels = {
            "username": "اسم المستخدم",
            "email": "البريد الإلكتروني",
            "password": "كلمة المرور",
            "register": "إنشاء الحساب",
        }
        fill_signup(page, labels, taken)
        expect(page.locator(".formerror")).to_have_text("اسم المستخدم هذا مأخوذ. اختر اسمًا آخر.")

        # Another name: the chat, in Arabic, with the sidebar on the right.
        name = f"e2e-{secrets.token_hex(4)}"
        page.get_by_label("اسم المستخدم").fill(name)
        page.get_by_label("البريد الإلكتروني").fill(f"{name}@example.com")
        page.get_by_role("button", name="إنشاء الحساب", exact=True).click()
        expect(page.get_by_role("heading", name="كيف يمكنني مساعدتك؟")).to_be_visible(timeout=20_000)
        expect(page.get_by_role("button", name="+ محادثة جديدة")).to_be_visible()
        sidebar = page.locator(".sidebar").bounding_box()
        chat = page.locator("main.chat").bounding_box()
        assert sidebar and chat and sidebar["x"] > chat["x"], (sidebar, chat)

        # A message and its answer; the answer's footer speaks Arabic too.
        answered(page, "مرحبا! كيف حالك؟", {"message": "الرسالة", "send": "إرسال"})
        expect(page.get_by_role("button", name="↻ إعادة التوليد")).to_be_visible()
        expect(page.locator(".msgfoot .stats").first).to_contain_text("رمز")
        page.screenshot(path=screenshot_dir / "desktop-ar-ui.png")

        # On a phone the sidebar folds away, and its drawer opens from the right edge.
        page.set_viewport_size(PHONE)
        expect(page.locator(".sidebar")).not_to_be_in_viewport()
        page.screenshot(path=screenshot_dir / "phone-ar-ui.png")
        page.get_by_role("button", name="المحادثات").click()
        expect(page.locator(".sidebar")).to_be_in_viewport()
        drawer = page.locator(".sidebar").bounding_box()
        assert drawer and drawer["x"] + drawer["width"] >= PHONE["width"] - 1, drawer
        # Every control a thumb uses is at least 44 px each way on a phone.
        controls = page.evaluate(
            """() => [...document.querySelectorAll(
                '.msgfoot button, .chathead button, .composer button, .sidebar button, .sidebar a, .sidebar select')]
              .filter(el => el.getClientRects().length > 0)
              .map(el => [el.getAttribute('aria-label') || el.textContent.trim(), el.getBoundingClientRect()])
              .map(([name, box]) => ({name, small: box.width < 44 || box.height < 44,
                                      size: `${Math.round(box.width)}x${Math.round(box.height)}`}))"""
        )
        assert len(controls) >= 10, controls  # the footer's, the header's, the composer's and the drawer's
        assert [c for c in controls if c["small"]] == []
    finally:
        context.close()


def test_french_interface_and_the_language_is_remembered(live_server, browser: Browser, screenshot_dir: Path) -> None:
    base = live_server.url
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(base + "/")
        expect(page.get_by_text("Connectez-vous à vos conversations")).to_be_visible()
        assert page_language(page) == ("fr", "ltr")

        # A wrong password: the sentence for its code, in French.
        page.get_by_label("Nom d'utilisateur").fill(f"e2e-{secrets.token_hex(4)}")
        page.get_by_label("Mot de passe").fill("pw-" + secrets.token_urlsafe(12))
        page.get_by_role("button", name="Se connecter", exact=True).click()
        expect(page.locator(".formerror")).to_have_text(
            "Nom d'utilisateur ou mot de passe incorrect. Vérifiez les deux et réessayez."
        )

        page.get_by_role("button", name="Pas de compte ? Inscrivez-vous").click()
        labels = {
            "username": "Nom d'utilisateur",
            "email": "Adresse e-mail",
            "password": "Mot de passe",
            "register": "S'inscrire",
        }
        fill_signup(page, labels, f"e2e-{secrets.token_hex(4)}")
        expect(page.get_by_role("heading", name="Comment puis-je vous aider ?")).to_be_visible(timeout=20_000)
        expect(page.get_by_role("button", name="+ Nouvelle conversation")).to_be_visible()
        expect(page.get_by_placeholder("Écrire à hadra…")).to_be_visible()
        answered(page, "Bonjour ! Comment vas-tu ?", {"message": "Message", "send": "Envoyer"})
        expect(page.get_by_role("button", name="↻ Régénérer")).to_be_visible()
        expect(page.locator(".msgfoot .stats").first).to_contain_text(re.compile(r"\d+ jetons?"))
        page.screenshot(path=screenshot_dir / "desktop-fr-ui.png")
        page.set_viewport_size(PHONE)
        expect(page.locator(".sidebar")).not_to_be_in_viewport()
        page.screenshot(path=screenshot_dir / "phone-fr-ui.png")
        page.set_viewport_size(DESKTOP)

        # The account's own language wins over the browser's.
        csrf = next(c["value"] for c in context.cookies(base) if c["name"] == "csrftoken")
        response = page.request.patch(f"{base}/api/auth/me", data={"language": "ar"}, headers={"X-CSRFToken": csrf})
        assert response.ok, response.text()
        page.reload()
        expect(page.get_by_role("button", name="+ محادثة جديدة")).to_be_visible(timeout=20_000)
        assert page_language(page) == ("ar", "rtl")

        # Signed out, the sign-in page keeps it; the menu there switches, and a reload remembers.
        page.get_by_role("button", name="تسجيل الخروج").click()
        expect(page.get_by_text("سجّل الدخول إلى محادثاتك")).to_be_visible()
        page.get_by_label("اللغة").select_option("fr")
        expect(page.get_by_text("Connectez-vous à vos conversations")).to_be_visible()
        assert page_language(page) == ("fr", "ltr")
        page.reload()
        expect(page.get_by_text("Connectez-vous à vos conversations")).to_be_visible()
        assert page_language(page) == ("fr", "ltr")
    finally:
        context.close()
