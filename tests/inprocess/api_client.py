"""HTTP clients on hadra's Django app in this process: Django's ``AsyncClient`` behind httpx-style
calls that answer ``httpx.Response``, so the API tests' helpers (tests/api/clients.py:
``error_code``, ``export_doc`` ...) read them as they read a real server's answers.

A script sends a bearer token; a browser keeps its cookies and echoes the csrftoken cookie in
``X-CSRFToken`` on unsafe methods, as the web UI does. CSRF checks are enforced for both, as in
production (Django's test client skips them unless told)."""

from __future__ import annotations

import json as jsonlib
from typing import Any
from urllib.parse import urlencode

import httpx
from django.test import AsyncClient

from tests.api.clients import UNSAFE, new_credentials


class ApiClient:
    def __init__(self, token: str | None = None) -> None:
        self.django = AsyncClient(enforce_csrf_checks=True)
        # Sent with each request: AsyncClient's own default headers do not reach an ASGI request.
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        content: bytes | None = None,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        headers = {**self.headers, **(headers or {})}
        content_type = headers.pop("Content-Type", "application/octet-stream")
        body = b""
        if json is not None:
            body, content_type = jsonlib.dumps(json).encode(), "application/json"
        elif data is not None:
            body, content_type = urlencode(data).encode(), "application/x-www-form-urlencoded"
        elif content is not None:
            body = content
        answer = await self.django.generic(method, path, body, content_type, headers=headers)
        return httpx.Response(
            answer.status_code,
            headers=list(answer.items()),
            content=answer.content,
            request=httpx.Request(method, "http://testserver" + path),
        )

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", path, **kwargs)

    async def patch(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("PATCH", path, **kwargs)

    async def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("DELETE", path, **kwargs)


class BrowserClient(ApiClient):
    """Cookies kept between requests; the csrftoken cookie echoed in X-CSRFToken on unsafe methods."""

    @classmethod
    async def open(cls) -> BrowserClient:
        browser = cls()
        await browser.get("/api/auth/me")  # sets the csrftoken cookie, as the web UI's first call does
        return browser

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        cookies = self.django.cookies
        if method in UNSAFE and "csrftoken" in cookies:
            kwargs["headers"] = {"X-CSRFToken": cookies["csrftoken"].value, **(kwargs.get("headers") or {})}
        return await super().request(method, path, **kwargs)

    async def without_csrf(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """The request as another site's page would send it: the cookie goes along, the header does not."""
        return await ApiClient.request(self, method, path, **kwargs)

    @property
    def session_cookie(self) -> str:
        return f"sessionid={self.django.cookies['sessionid'].value}"


async def register(browser: BrowserClient, prefix: str = "user") -> dict[str, str]:
    credentials = new_credentials(prefix)
    response = await browser.post("/api/auth/register", json=credentials)
    assert response.status_code == 201, response.text
    return credentials
