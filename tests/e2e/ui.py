"""What the browser tests do with the page, in a user's terms (register, send, read an answer)."""

from __future__ import annotations

import asyncio
import secrets
from concurrent.futures import ThreadPoolExecutor

from playwright.sync_api import Locator, Page, expect

from ollama_gateway import OllamaGateway

STREAM_TIMEOUT_MS = 120_000  # cold model load on a busy 2-core machine


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
    box.fill(text)
    expect(page.get_by_role("button", name="Send")).to_be_enabled(timeout=20_000)  # connected
    box.press("Enter")


def new_chat_with(page: Page, model: str) -> None:
    """Start a chat and pick its model in the conversation settings."""
    page.get_by_role("button", name="+ New chat").click()
    page.get_by_role("button", name="Conversation settings").click()
    page.get_by_label("Model", exact=True).select_option(label=model)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".modelchip")).to_have_text(model)


def last_answer(page: Page, count: int) -> Locator:
    answers = page.locator("article.msg.assistant")
    expect(answers).to_have_count(count, timeout=30_000)
    return answers.nth(count - 1)


def register(page: Page, base_url: str, password: str | None = None) -> str:
    """Sign up a new user (with ``password``, or one made here) and wait for the chat; its name."""
    name = f"e2e-{secrets.token_hex(4)}"
    page.goto(base_url + "/")
    page.get_by_role("button", name="No account? Register").click()
    page.get_by_label("Username").fill(name)
    page.get_by_label("Email").fill(f"{name}@example.com")
    page.get_by_label("Password").fill(password or "pw-" + secrets.token_urlsafe(12))
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_label("Message")).to_be_enabled(timeout=20_000)
    expect(page.get_by_text(name)).to_be_visible()
    return name


def log_in(page: Page, name: str, password: str) -> None:
    """Fill the sign-in form that is on screen and wait for the chat."""
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_label("Message")).to_be_enabled(timeout=20_000)


def import_conversation(page: Page, base_url: str, title: str, messages: list[dict]) -> str:
    """A conversation made through the import API with the page's session (no model needed);
    ``messages`` are the export format's (id, parent_id, role, content). Returns its id."""
    now = "2026-01-01T12:00:00Z"
    doc = {
        "format": "hadra.conversation",
        "version": 1,
        "conversation": {"title": title, "created_at": now, "updated_at": now},
        "messages": [{"created_at": now, "updated_at": now, **m} for m in messages],
    }
    csrf = next(c["value"] for c in page.context.cookies(base_url) if c["name"] == "csrftoken")
    response = page.request.post(f"{base_url}/api/conversations/import", data=doc, headers={"X-CSRFToken": csrf})
    assert response.status == 201, response.text()
    return response.json()["id"]


def computed_direction(locator: Locator) -> str:
    return locator.evaluate("el => getComputedStyle(el).direction")


def block_directions(message: Locator) -> list[dict[str, str]]:
    """For each paragraph, heading and list item of an answer: its text, the direction its first
    strong letter asks for (Arabic/Hebrew → rtl, Latin → ltr, the rule of dir="auto") and the
    direction Chromium laid it out in. Blocks holding other dir-carrying blocks, or no strong
    letter, are left out: their direction is decided elsewhere."""
    return message.evaluate(
        r"""el => {
          const rtlLetters = '\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC';
          const strong = new RegExp(`[A-Za-z\u00C0-\u024F${rtlLetters}]`, 'u');
          const rtl = new RegExp(`[${rtlLetters}]`, 'u');
          return [...el.querySelectorAll('.md p, .md h1, .md h2, .md h3, .md h4, .md li')]
            .filter(block => !block.querySelector('[dir]'))
            .map(block => {
              const first = block.textContent.match(strong);
              const wanted = first ? (rtl.test(first[0]) ? 'rtl' : 'ltr') : null;
              return {text: block.textContent, wanted, laid_out: getComputedStyle(block).direction};
            })
            .filter(block => block.wanted);
        }"""
    )


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


def model_copy(ollama_host: str, base: str, suffix: str, seed: int) -> str:
    """A copy of ``base`` in Ollama named ``<base>-<suffix>``, at temperature 0 with ``seed``: a
    model the server serves besides its default, answering the same question the same way."""
    name = f"{base}-{suffix}"

    async def create() -> None:
        async with OllamaGateway(ollama_host) as gateway:
            await gateway.create_model(name, base=base, parameters={"temperature": 0, "seed": seed})

    # Its own thread: Playwright's sync API keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, create()).result()
    return name
