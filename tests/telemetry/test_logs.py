"""Logs: with ``HADRA_LOG_FORMAT=json`` every line of the server's log is one JSON object, a line
about an answer carries its answer id (and the request id of the frame that asked for it); no line
holds the words of a question or of a search, in either format, nor the documents a refused
database write quotes."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from pymongo.errors import AutoReconnect, BulkWriteError

from telemetry.logs import reason
from tests.api.clients import bearer
from tests.support.users import make_token, make_user
from tests.support.ws import ChatClient, finished_answer


async def log_lines(path: Path, wanted: Callable[[list[str]], bool], timeout: float = 30) -> list[str]:
    """The log's lines, once ``wanted`` holds for them (a line is written just after the reply it is about)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in (await asyncio.to_thread(path.read_text)).splitlines() if line.strip()]
        if wanted(lines) or time.monotonic() > deadline:
            return lines
        await asyncio.sleep(0.1)


async def test_json_lines_carry_the_answer_and_request_ids_and_no_words(telemetry_server, fake_ollama, db) -> None:
    server = telemetry_server.server
    secret = f"nightingale{secrets.token_hex(6)}"
    request_id = f"req-{secrets.token_hex(4)}"
    fake_ollama.set_behaviour("broken", status=500)
    token = await make_token(await make_user())
    client = await ChatClient.connect(server.ws_url, token)
    try:
        _, answer_id, done = await finished_answer(
            client, 60, conversation_id=None, content=f"my plan is {secret}", model="broken", request_id=request_id
        )
    finally:
        await client.close()
    assert done["status"] == "failed"
    assert bearer(server, token).get("/api/search", params={"q": secret}).status_code == 200
    async with httpx.AsyncClient(timeout=30) as http:  # refused: Django logs a warning about the request
        assert (await http.get(f"{server.url}/api/search", params={"q": secret})).status_code == 401

    def complete(lines: list[str]) -> bool:
        return any(answer_id in line for line in lines) and any("/api/search 401" in line for line in lines)

    lines = await log_lines(server.log_path, complete)
    records = [json.loads(line) for line in lines]  # every line is JSON
    assert all(isinstance(r, dict) and {"time", "level", "logger", "message"} <= set(r) for r in records), records
    ended = [r for r in records if r.get("answer_id") == answer_id]
    assert any(r["level"] == "WARNING" and "model_server_error" in r["message"] for r in ended), records
    assert all(r.get("request_id") == request_id for r in ended), ended
    # Lines that name the answer say it in their answer_id too.
    assert all(r.get("answer_id") == answer_id for r in records if answer_id in r["message"]), records
    searches = [r for r in records if r["logger"] == "hadra.access" and r.get("path") == "/api/search"]
    assert searches and searches[0]["status"] == 200, records
    assert not [line for line in lines if secret in line]


async def test_text_logs_by_default_without_query_strings(start_server, fake_ollama) -> None:
    server = await start_server.astart(OLLAMA_HOST=fake_ollama.url, DEFAULT_MODEL="fake-model")
    secret = f"nightingale{secrets.token_hex(6)}"
    async with httpx.AsyncClient(timeout=30) as http:
        assert (await http.get(f"{server.url}/api/search", params={"q": secret})).status_code == 401
    lines = await log_lines(server.log_path, lambda lines: any("GET /api/search 401" in line for line in lines))
    assert any(" INFO hadra.access: " in line and "GET /api/search 401" in line for line in lines), lines
    assert not [line for line in lines if line.startswith("{")]
    assert not [line for line in lines if secret in line]


def test_a_database_refusal_is_logged_without_the_documents_it_quotes() -> None:
    refused = BulkWriteError({"writeErrors": [{"code": 11000, "op": {"content": "my plan is nightingale"}}]})
    assert reason(refused) == "BulkWriteError (code 65)"
    away = AutoReconnect("127.0.0.1:27017: [Errno 111] Connection refused")
    assert reason(away) == "AutoReconnect: 127.0.0.1:27017: [Errno 111] Connection refused"
