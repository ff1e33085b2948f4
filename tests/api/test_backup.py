"""Backups of the embedded install: ``dump_database`` writes the whole database to one archive and
``restore_database`` puts it back, into a fresh database or over the old one, run as an operator
runs them; a user then signs in and finds their conversations, branches, messages and search as
they were. A damaged archive or a database that already holds data is refused with a sentence."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from pymongo import MongoClient

from tests.api.clients import Browser, bearer, export_doc, isolated_db, register, small_tree
from tests.support.servers import ROOT, LiveServer


def manage(uri: str, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """A management command on the database ``uri``, as an operator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "asgi_app.settings", "MONGODB_URI": uri},
    )


def sign_in(server: LiveServer, credentials: dict[str, str]) -> Browser:
    browser = Browser(server)
    login = browser.post(
        "/api/auth/login", json={"username": credentials["username"], "password": credentials["password"]}
    )
    assert login.status_code == 200, login.text
    return browser


def search_hits(client: Browser | httpx.Client, q: str) -> list[str]:
    """The conversation titles ``q`` finds, once it finds any (words are indexed just after an import)."""
    deadline = time.monotonic() + 60
    while True:
        response = client.get("/api/search", params={"q": q})
        assert response.status_code == 200, response.text
        titles = [hit["conversation"]["title"] for hit in response.json()["results"]]
        if titles or time.monotonic() > deadline:
            return titles
        time.sleep(0.2)


def what_the_user_sees(client: Browser | httpx.Client) -> dict[str, Any]:
    """Each conversation's title with its active branch's messages, and every branch's message count."""
    seen: dict[str, Any] = {}
    for conversation in client.get("/api/conversations").json()["conversations"]:
        messages = client.get(f"/api/conversations/{conversation['id']}/messages").json()["messages"]
        seen[conversation["title"]] = [(m["role"], m["content"], len(m["sibling_ids"])) for m in messages]
    return seen


def test_a_dump_restored_into_a_fresh_database_or_over_the_old_one_gives_users_everything_back(
    mongo_uri: str, start_server, tmp_path: Path
) -> None:
    uri = isolated_db(mongo_uri)
    before = start_server(MONGODB_URI=uri)
    owner = Browser(before)
    credentials = register(owner)
    assert owner.post("/api/conversations/import", json=small_tree()).status_code == 201
    notes = export_doc(
        [
            {"id": "q", "role": "user", "content": "Remind me about the zanzibarite order"},
            {"id": "a", "parent_id": "q", "role": "assistant", "content": "Due on Thursday."},
        ],
        title="Orders",
    )
    assert owner.post("/api/conversations/import", json=notes).status_code == 201
    token = owner.post("/api/tokens", json={"name": "script"}).json()["token"]
    seen = what_the_user_sees(owner)
    assert seen == {
        "Orders": [("user", "Remind me about the zanzibarite order", 1), ("assistant", "Due on Thursday.", 1)],
        "About cats": [("user", "What is a cat?", 1), ("assistant", "A pet that purrs.", 2)],
    }
    assert search_hits(owner, "zanzibarite") == ["Orders"]

    archive = tmp_path / "hadra.dump.gz"
    dumped = manage(uri, "dump_database", "--output", str(archive))
    assert dumped.returncode == 0, dumped.stderr
    assert archive.stat().st_mode & 0o777 == 0o600  # every account's data: the operator's eyes only
    assert manage(uri, "dump_database", "--output", str(archive)).returncode != 0  # never overwrites

    # Into a fresh database (another machine, say), then a server on it.
    fresh = isolated_db(mongo_uri)
    restored = manage(fresh, "restore_database", "--input", str(archive))
    assert restored.returncode == 0, restored.stderr
    after = start_server(MONGODB_URI=fresh)
    again = sign_in(after, credentials)
    assert what_the_user_sees(again) == seen
    assert search_hits(again, "zanzibarite") == ["Orders"]
    assert what_the_user_sees(bearer(after, token)) == seen  # API tokens keep working

    # Over the old database, after the user lost a conversation: --drop puts it back.
    orders = next(c for c in owner.get("/api/conversations").json()["conversations"] if c["title"] == "Orders")
    assert owner.delete(f"/api/conversations/{orders['id']}").status_code == 204
    refused = manage(uri, "restore_database", "--input", str(archive))
    assert refused.returncode != 0 and b"already holds documents" in refused.stderr, refused.stderr
    assert set(what_the_user_sees(owner)) == {"About cats"}  # nothing changed
    with archive.open("rb") as piped:  # from stdin, as from `docker compose exec -T` or ssh
        back = manage(uri, "restore_database", "--input", "-", "--drop", stdin=piped.read())
    assert back.returncode == 0, back.stderr
    assert what_the_user_sees(sign_in(before, credentials)) == seen
    assert search_hits(owner, "zanzibarite") == ["Orders"]


def test_a_cut_off_or_foreign_archive_is_refused_with_a_sentence(mongo_uri: str, tmp_path: Path) -> None:
    uri, source = isolated_db(mongo_uri), isolated_db(mongo_uri)
    # Enough text that the archive's first half holds whole collections (gzip writes it in blocks).
    with MongoClient(source) as client:
        db = client.get_default_database()
        for name in ("first", "second"):
            db[name].insert_many([{"text": secrets.token_hex(64)} for _ in range(3000)])
    piped = manage(source, "dump_database", "--output", "-")
    assert piped.returncode == 0, piped.stderr
    whole = piped.stdout
    cut = tmp_path / "cut.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not an archive")
    for path, says in [(cut, b"damaged"), (foreign, b"damaged"), (tmp_path / "missing.gz", b"No such file")]:
        result = manage(uri, "restore_database", "--input", str(path))
        assert result.returncode != 0 and says in result.stderr, (path, result.stderr)
        assert b"Traceback" not in result.stderr
        # Refused before anything was written: the cut archive restored none of its first half.
        with MongoClient(uri) as client:
            db = client.get_default_database()
            assert [name for name in db.list_collection_names() if db[name].find_one({})] == [], path
