"""An import's numbers are ones JSON and MongoDB can carry: NaN, Infinity, integers beyond 64 bits
and times outside years 1-9999 in UTC are a 400 naming the field, and nothing is stored (the
conversation list is unchanged).

The bodies are written by hand, as a hostile or broken file would be: Python's json writes NaN
bare, which is what such a file holds."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.clients import Browser, error_code, export_doc, register


def _answer_with(stats: dict[str, Any]) -> dict[str, Any]:
    return export_doc(
        [
            {"id": "q", "role": "user", "content": "Hi"},
            {"id": "a", "parent_id": "q", "role": "assistant", "content": "Hello", "stats": stats},
        ]
    )


def _sent_at(stamp: str) -> dict[str, Any]:
    doc = export_doc([{"id": "q", "role": "user", "content": "Hi"}])
    doc["messages"][0]["created_at"] = stamp
    return doc


BAD_NUMBERS = [
    # (import file, the field the message must name)
    (_answer_with({"ttft_ms": float("nan")}), "ttft_ms"),
    (_answer_with({"tokens_per_s": float("inf")}), "tokens_per_s"),
    (_answer_with({"total_ms": float("-inf")}), "total_ms"),
    (_answer_with({"eval_count": 2**70}), "eval_count"),
    (_answer_with({"prompt_eval_count": -(2**64)}), "prompt_eval_count"),
    (_sent_at("9999-12-31T23:59:59-14:00"), "messages.0.created_at"),
    (_sent_at("0001-01-01T00:00:00+14:00"), "messages.0.created_at"),
]


@pytest.fixture(scope="module")
def browser(api_server) -> Browser:
    browser = Browser(api_server)
    register(browser, "importer")
    return browser


@pytest.mark.parametrize(("doc", "field"), BAD_NUMBERS, ids=[str(n) for n in range(len(BAD_NUMBERS))])
def test_numbers_json_or_mongodb_cannot_hold_are_refused(browser: Browser, doc: dict[str, Any], field: str) -> None:
    before = browser.get("/api/conversations").json()
    response = browser.post(
        "/api/conversations/import", content=json.dumps(doc).encode(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert error_code(response) == "invalid_body"
    assert field in response.json()["error"]["message"]
    assert browser.get("/api/conversations").json() == before


def test_the_largest_numbers_that_fit_import_and_come_back(browser: Browser) -> None:
    stats = {
        "ttft_ms": 1e308,
        "eval_count": 2**63 - 1,
        "prompt_eval_count": -(2**63),
        "tokens_per_s": 0.5,
        "total_ms": None,
        "load_ms": 0.0,
    }
    created = browser.post("/api/conversations/import", json=_answer_with(stats))
    assert created.status_code == 201, created.text
    messages = browser.get(f"/api/conversations/{created.json()['id']}/messages").json()["messages"]
    assert messages[-1]["stats"] == stats
