"""Browser tests: the built web app in the system's headless Chromium, against the live server.

Why Python Playwright (not node playwright-core): the server, the MongoDB-protocol server and the
CPU Ollama are started by the pytest fixtures in tests/conftest.py, so one `pytest` run owns
their whole lifetime and these tests sit beside the other layers' tests.
Playwright never downloads a browser here: it drives Debian's /usr/bin/chromium
(`apt-get install -y chromium fonts-noto-core`; CHROMIUM overrides the path). Each launch
gets a fresh temporary profile (Playwright's own --user-data-dir).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Playwright adds --headless itself (headless=True is its default).
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def web_dist() -> Path:
    index = ROOT / "web" / "dist" / "index.html"
    if not index.exists():
        pytest.fail("web/dist is not built: run `make web` (cd web && npm ci && npm run build) first.")
    return index.parent


@pytest.fixture(scope="session")
def browser(web_dist: Path) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: `apt-get install -y chromium fonts-noto-core`, or set CHROMIUM.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where screenshots go: var/test/screenshots, or HADRA_SCREENSHOTS (docs/screenshots for the README)."""
    path = Path(os.environ.get("HADRA_SCREENSHOTS", ROOT / "var" / "test" / "screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path
