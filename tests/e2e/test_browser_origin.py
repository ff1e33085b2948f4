"""Cross-site WebSocket hijacking, tried with a real browser: a page served from another port on
the same host (another origin, the same cookies) opens hadra's socket while the user is signed in.
The socket must not take the user's session; hadra's own page, in the same browser, still can."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Browser

from tests.e2e.ui import register

# Opens the socket from whatever page it runs on and reports the first frame (and the close code).
FIRST_FRAME = """url => new Promise(resolve => {
  const ws = new WebSocket(url);
  ws.onopen = () => ws.send(JSON.stringify({type: "ping", request_id: "who"}));
  ws.onmessage = event => { resolve(JSON.parse(event.data)); ws.close(); };
  ws.onclose = event => resolve({type: "closed", code: event.code});
})"""


class _EvilPage(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<!doctype html><title>another site</title><p>nothing to see</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def other_origin() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EvilPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_page_on_another_port_cannot_ride_the_session_cookie(
    live_server, browser: Browser, other_origin: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    register(page, live_server.url)
    # hadra's own page: the cookie signs the socket in.
    assert page.evaluate(FIRST_FRAME, live_server.ws_url) == {"type": "pong", "request_id": "who"}
    # Another origin in the same browser: the same cookie is sent, and refused.
    page.goto(other_origin + "/")
    frame = page.evaluate(FIRST_FRAME, live_server.ws_url)
    assert frame["type"] == "error" and frame["code"] == "unauthenticated", frame
    context.close()
