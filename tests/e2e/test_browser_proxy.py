"""The web app through nginx (docker/nginx/hadra.conf, as docker-compose.yml runs it) in front of two
hadra processes on Redis, with the real CPU Ollama: a person signs up and chats, the process their
socket is on dies, the page reconnects through the same address to the other process, and the
conversation goes on; after a reload both answers are there as they were shown."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from embedded.nginx import UPSTREAM_HEADER
from tests.conftest import SESSION_VAR
from tests.e2e.ui import STREAM_TIMEOUT_MS, last_answer, register, send, text_of
from tests.support.deployment import Deployment


@pytest.fixture
def deployment(server_env: dict[str, str], redis_url: str) -> Iterator[Deployment]:
    running = Deployment.of(server_env, redis_url, SESSION_VAR / "nginx" / uuid.uuid4().hex[:8]).start()
    yield running
    running.stop()


def _socket_upstreams(page: Page) -> list[str]:
    """Which process nginx gave each of the page's sockets, from the handshakes' response headers
    (Chromium's DevTools protocol: Playwright does not show a socket's headers)."""
    upstreams: list[str] = []
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")

    def handshake(event: dict) -> None:
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        upstreams.append(headers[UPSTREAM_HEADER.lower()])

    cdp.on("Network.webSocketHandshakeResponseReceived", handshake)
    return upstreams


def _wait_for(page: Page, condition, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, what
        page.wait_for_timeout(100)  # lets Playwright deliver the page's events meanwhile


def test_chat_through_nginx_goes_on_when_the_process_of_the_socket_dies(
    deployment: Deployment, browser: Browser
) -> None:
    context = browser.new_context()
    page = context.new_page()
    upstreams = _socket_upstreams(page)
    register(page, deployment.proxy.url)
    _wait_for(page, lambda: upstreams, 30, "the page opened no socket")

    send(page, "Say hello.")
    first = last_answer(page, 1)
    expect(first).to_have_attribute("data-status", "complete", timeout=STREAM_TIMEOUT_MS)
    shown_first = text_of(first)
    assert shown_first.strip()

    # The process holding the page's socket dies; the page comes back through the same address.
    doomed = deployment.server_at(upstreams[-1])
    doomed.kill()
    _wait_for(page, lambda: len(upstreams) > 1, 60, "the page did not reconnect")
    assert deployment.server_at(upstreams[-1]) is not doomed
    send(page, "And goodbye?")
    second = last_answer(page, 2)
    expect(second).to_have_attribute("data-status", "complete", timeout=STREAM_TIMEOUT_MS)
    shown_second = text_of(second)
    assert shown_second.strip()

    # Stored as shown: a reload (served by the living process) shows the same conversation.
    page.reload()
    answers = page.locator("article.msg.assistant")
    expect(answers).to_have_count(2, timeout=30_000)
    assert [text_of(answers.nth(0)), text_of(answers.nth(1))] == [shown_first, shown_second]
    context.close()
