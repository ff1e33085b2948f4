"""GET /api/search: a user's conversations found by the words of their messages and titles, as the
index kept by the app finds them (answers from the fake Ollama, whose words the test chooses)."""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from beanie import PydanticObjectId
from bson import json_util
from pymongo import MongoClient

from models import Message
from tests.api.clients import Browser, bearer, error_code, export_doc, isolated_db, register
from tests.api.conftest import CAPTURE
from tests.support.plans import full_scans, logged_queries
from tests.support.servers import LiveServer
from tests.support.users import make_token, make_user
from tests.support.ws import ChatClient, send_and_get_answer_id


@pytest.fixture(scope="module")
def search_queries(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("queries") / "search-queries.jsonl"


@pytest.fixture(scope="module")
def search_server(
    server_env: dict[str, str], fake_ollama, search_queries: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator:
    server = LiveServer(
        env={
            **server_env,
            "OLLAMA_HOST": fake_ollama.url,
            "DEFAULT_MODEL": "fake-model",
            "HADRA_MESSAGES_PER_MINUTE": "1000",
            # Every MongoDB query it makes is recorded (test_every_search_query_is_served_by_an_index).
            "PYTHONPATH": os.pathsep.join(p for p in (str(CAPTURE), os.environ.get("PYTHONPATH", "")) if p),
            "HADRA_TEST_QUERY_LOG": str(search_queries),
        },
        log_path=tmp_path_factory.mktemp("log") / "daphne-search.log",
    ).start()
    yield server
    server.stop()


def unique(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(3)}"


def search(client: httpx.Client | Browser, q: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    return response.json()["results"]


def found(client: httpx.Client, q: str) -> list[dict[str, Any]]:
    """The hits of ``q`` once there are some: an answer's words are indexed just after its end."""
    deadline = time.monotonic() + 30
    while not (hits := search(client, q)):
        assert time.monotonic() < deadline, f"nothing found for {q!r}"
        time.sleep(0.1)
    return hits


async def account(server: LiveServer) -> tuple[str, httpx.Client]:
    token = await make_token(await make_user("search"))
    return token, bearer(server, token)


async def ask(chat: ChatClient, content: str, model: str, conversation_id: str | None = None) -> tuple[str, str]:
    """A question answered to its end: the conversation's and the answer's ids."""
    conversation_id, answer_id = await send_and_get_answer_id(
        chat, conversation_id=conversation_id, content=content, model=model
    )
    done = await chat.until_type("message.done", 60, message_id=answer_id)
    assert done["status"] == "complete", done
    return conversation_id, answer_id


def imported(client: httpx.Client | Browser, messages: list[dict[str, Any]], title: str = "Imported", **kw: Any) -> str:
    response = client.post("/api/conversations/import", json=export_doc(messages, title=title, **kw))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def one_message(content: str) -> list[dict[str, Any]]:
    return [
        {"id": "q", "role": "user", "content": content},
        {"id": "a", "parent_id": "q", "role": "assistant", "content": "D'accord."},
    ]


async def test_a_word_only_in_an_answer_finds_its_conversation(search_server, db, fake_ollama) -> None:
    word = unique("okapi")
    fake_ollama.set_behaviour(word, tokens=4, word=word)
    token, client = await account(search_server)
    chat = await ChatClient.connect(search_server.ws_url, token)
    conversation_id, answer_id = await ask(chat, "Tell me about a forest animal", word)
    await chat.close()

    [hit] = found(client, f"{word}2")
    assert hit["conversation"]["id"] == conversation_id and hit["conversation"]["title"]
    assert hit["message_id"] == answer_id and hit["role"] == "assistant" and hit["on_active_branch"] is True
    assert f"{word}2" in hit["snippet"]
    [hit] = search(client, "FOREST animal")  # the question, by its words
    assert hit["role"] == "user" and hit["snippet"] == "Tell me about a forest animal"
    assert search(client, f"{word}2 forest") == []  # every word in one message: not one in each

    renamed = unique("tlemcen")
    assert client.patch(f"/api/conversations/{conversation_id}", json={"title": f"Voyage à {renamed}"}).is_success
    [hit] = search(client, renamed)  # only the title holds it
    assert hit["message_id"] is None and hit["role"] is None and hit["on_active_branch"] is True
    assert hit["snippet"] == f"Voyage à {renamed}"


async def test_arabic_darija_and_french_words_are_found_however_they_are_written(search_server, db) -> None:
    _, client = await account(search_server)
    arabic = imported(client, one_message("ذَهَبْنا إلى المَدْرَسَةِ الكبيرة مع أُخْتِي"))
    darija = imported(client, one_message("3lach ma jitich lbare7? kan s7a7 bzaf"))
    french = imported(client, one_message("Nous avons passé l'été à Oran, ÇA C'ÉTAIT BIEN"))

    for q in ("المدرسه", "المدرسة", "المَدْرَسَة", "الى المدرسة", "اختي", "أختي"):
        assert [h["conversation"]["id"] for h in search(client, q)] == [arabic], q
    assert search(client, "مدرسة") == []  # a word, not a part of one (except while typing it: last word)
    for q in ("3lach", "S7A7", "lbare7", "s7"):
        assert [h["conversation"]["id"] for h in search(client, q)] == [darija], q
    assert search(client, "lach") == [] and search(client, "s7a") != [] and search(client, "sa") == []
    for q in ("ete", "ÉTÉ", "été oran", "ca c etait", "Ça"):
        hits = search(client, q)
        assert [h["conversation"]["id"] for h in hits] == [french], q
    [hit] = search(client, "ete")
    assert hit["role"] == "user" and "l'été à Oran" in hit["snippet"]


async def test_the_last_word_is_a_prefix_and_every_word_must_match(search_server, db) -> None:
    _, client = await account(search_server)
    older = imported(client, one_message("The quick brown fox jumps"))
    newer = imported(client, one_message("A quiet brown owl"))
    assert [h["conversation"]["id"] for h in search(client, "brown qui")] == [newer, older]  # newest first
    assert [h["conversation"]["id"] for h in search(client, "brown quic")] == [older]
    assert search(client, "qui brown") == []  # only the last word is a prefix
    assert search(client, "brown owl fox") == []
    assert len(search(client, "brown", limit=1)) == 1


def test_blank_and_over_long_queries(search_server) -> None:
    browser = Browser(search_server)
    register(browser, "search")
    assert search(browser.http, "") == [] and search(browser.http, "   ") == [] and search(browser.http, "?!") == []
    assert error_code(browser.get("/api/search", params={"q": "x" * 201})) == "invalid_query"
    assert error_code(browser.get("/api/search", params={"q": "x", "limit": 51})) == "invalid_query"
    assert Browser(search_server).get("/api/search", params={"q": "x"}).status_code == 401


async def test_a_hit_on_another_branch_says_so_and_opens_that_branch(search_server, db) -> None:
    _, client = await account(search_server)
    word = unique("pangolin")
    conversation_id = imported(
        client,
        [
            {"id": "q", "role": "user", "content": "Which animal has scales?"},
            {"id": "a1", "parent_id": "q", "role": "assistant", "content": f"The {word}, first answer."},
            {"id": "a2", "parent_id": "q", "role": "assistant", "content": "A fish."},
        ],
        leaf="a2",
    )
    [hit] = search(client, word)
    assert hit["on_active_branch"] is False and hit["role"] == "assistant"
    [hit_on_branch] = search(client, "fish")
    assert hit_on_branch["on_active_branch"] is True

    opened = client.patch(f"/api/conversations/{conversation_id}", json={"active_leaf_id": hit["message_id"]})
    assert opened.status_code == 200 and opened.json()["active_leaf_id"] == hit["message_id"]
    messages = client.get(f"/api/conversations/{conversation_id}/messages").json()["messages"]
    assert [m["content"] for m in messages] == ["Which animal has scales?", f"The {word}, first answer."]
    [hit] = search(client, word)
    assert hit["on_active_branch"] is True


async def test_deleting_a_conversation_removes_its_hits(search_server, db) -> None:
    from models import SearchEntry

    _, client = await account(search_server)
    word = unique("ocelot")
    conversation_id = imported(client, one_message(f"An {word} in the garden"), title=f"About the {word}")
    assert len(search(client, word)) == 1
    assert client.delete(f"/api/conversations/{conversation_id}").status_code == 204
    assert search(client, word) == []
    assert await SearchEntry.find({"conversation_id": PydanticObjectId(conversation_id)}).count() == 0


async def test_edited_questions_and_corrected_answers_are_found_on_their_branch(search_server, db, fake_ollama) -> None:
    word, first, second, fixed = unique("ibis"), unique("first"), unique("second"), unique("fixed")
    fake_ollama.set_behaviour(word, tokens=2, word=word)
    token, client = await account(search_server)
    chat = await ChatClient.connect(search_server.ws_url, token)
    conversation_id, _ = await ask(chat, f"Question {first}", word)
    question_id = client.get(f"/api/conversations/{conversation_id}/messages").json()["messages"][0]["id"]

    await chat.send("chat.edit", message_id=question_id, content=f"Question {second}")
    edited = await chat.until(lambda f: f["type"] == "message.created" and f["message"]["role"] == "user")
    answer = await chat.until(lambda f: f["type"] == "message.created" and f["message"]["role"] == "assistant")
    await chat.until_type("message.done", 60, message_id=answer["message"]["id"])
    [hit] = search(client, second)
    assert hit["message_id"] == edited["message"]["id"] and hit["on_active_branch"] is True
    [hit] = search(client, first)  # the question as first asked: on the branch left behind
    assert hit["message_id"] == question_id and hit["on_active_branch"] is False

    await chat.send("chat.edit", message_id=answer["message"]["id"], content=f"The right answer is {fixed}.")
    correction = await chat.until(lambda f: f["type"] == "message.created" and f["message"]["role"] == "assistant")
    await chat.close()
    [hit] = search(client, fixed)
    assert hit["message_id"] == correction["message"]["id"] and hit["role"] == "assistant"
    assert hit["on_active_branch"] is True and hit["snippet"] == f"The right answer is {fixed}."
    assert hit["conversation"]["id"] == conversation_id


async def test_answers_stopped_failed_or_interrupted_part_way_are_found_by_their_text(
    search_server, db, start_server, fake_ollama
) -> None:
    stopped, failed, crashed = unique("stopped"), unique("failed"), unique("crashed")
    fake_ollama.set_behaviour(stopped, tokens=1000, tokens_per_s=20, word=stopped)
    fake_ollama.set_behaviour(failed, tokens=10, word=failed, error_after=3)
    token, client = await account(search_server)
    chat = await ChatClient.connect(search_server.ws_url, token)
    _, answer_id = await send_and_get_answer_id(chat, conversation_id=None, content="Go on", model=stopped)
    await chat.until(lambda f: f["type"] == "message.delta" and f["message_id"] == answer_id)
    await chat.send("chat.stop", message_id=answer_id)
    done = await chat.until_type("message.done", 60, message_id=answer_id)
    assert done["status"] == "stopped"
    assert found(client, f"{stopped}0")[0]["message_id"] == answer_id

    _, answer_id = await send_and_get_answer_id(chat, conversation_id=None, content="Go on", model=failed)
    done = await chat.until_type("message.done", 60, message_id=answer_id)
    await chat.close()
    assert done["status"] == "failed" and done["content"].startswith(f"{failed}0 ")  # the text it had
    assert found(client, f"{failed}0")[0]["message_id"] == answer_id

    # A process that dies mid-answer: the next start marks the answer interrupted, its text searchable.
    fake_ollama.set_behaviour(crashed, tokens=1000, tokens_per_s=20, word=crashed)
    server = await start_server.astart(OLLAMA_HOST=fake_ollama.url, DEFAULT_MODEL="fake-model")
    chat = await ChatClient.connect(server.ws_url, token)
    _, answer_id = await send_and_get_answer_id(chat, conversation_id=None, content="Go on", model=crashed)
    deadline = time.monotonic() + 30
    while not (await Message.get(PydanticObjectId(answer_id))).content:  # a checkpoint saved some text
        assert time.monotonic() < deadline, "no checkpoint was saved while the answer streamed"
        await asyncio.sleep(0.1)
    server.kill()
    restarted = await start_server.astart(OLLAMA_HOST=fake_ollama.url, DEFAULT_MODEL="fake-model")
    [hit] = found(bearer(restarted, token), f"{crashed}0")  # its first request sweeps
    assert hit["message_id"] == answer_id


async def test_an_answer_stopped_by_deleting_its_conversation_leaves_nothing_behind(
    search_server, db, fake_ollama
) -> None:
    from models import SearchEntry

    slow, fast = unique("tapir"), unique("dingo")
    behaviour = fake_ollama.set_behaviour(slow, tokens=1000, tokens_per_s=20, word=slow)
    fake_ollama.set_behaviour(fast, tokens=3, word=fast)
    token, client = await account(search_server)
    chat = await ChatClient.connect(search_server.ws_url, token)
    conversation_id, answer_id = await send_and_get_answer_id(
        chat, conversation_id=None, content="Tell me a long story", model=slow
    )
    await chat.until(lambda f: f["type"] == "message.delta" and f["message_id"] == answer_id)
    assert client.delete(f"/api/conversations/{conversation_id}").status_code == 204
    assert await fake_ollama.hung_up(slow)  # the answer was stopped: its ending is being saved
    behaviour.tokens_per_s = float("inf")
    await ask(chat, "Another question", fast)  # its entry is written after the stopped answer's
    found(client, f"{fast}0")
    await chat.close()
    assert search(client, f"{slow}0") == [] and search(client, "story") == []
    assert await SearchEntry.find({"conversation_id": PydanticObjectId(conversation_id)}).count() == 0


async def test_an_answer_streaming_is_found_by_its_question_then_by_its_answer_and_never_by_others(
    search_server, db, fake_ollama
) -> None:
    word, asked = unique("lemur"), unique("question")
    behaviour = fake_ollama.set_behaviour(word, tokens=400, tokens_per_s=20, word=word)
    token, owner = await account(search_server)
    _, stranger = await account(search_server)
    chat = await ChatClient.connect(search_server.ws_url, token)
    conversation_id, answer_id = await send_and_get_answer_id(
        chat, conversation_id=None, content=f"Tell me about {asked}", model=word
    )
    await chat.until(lambda f: f["type"] == "message.delta" and f["message_id"] == answer_id)

    [hit] = search(owner, asked)  # while it streams: by its question
    assert hit["conversation"]["id"] == conversation_id and hit["role"] == "user"
    assert search(owner, f"{word}0") == []  # not by the text so far
    assert search(stranger, asked) == [] and search(stranger, "tell") == []

    behaviour.tokens_per_s = float("inf")
    done = await chat.until_type("message.done", 60, message_id=answer_id)
    await chat.close()
    assert done["status"] == "complete"
    [hit] = found(owner, f"{word}0")
    assert hit["message_id"] == answer_id
    assert search(stranger, f"{word}0") == [] and search(stranger, word) == []


async def test_two_processes_see_the_same_index_and_only_their_owners_hits(
    db, start_server, redis_url, fake_ollama
) -> None:
    word = unique("gecko")
    fake_ollama.set_behaviour(word, tokens=3, word=word)
    env = {"OLLAMA_HOST": fake_ollama.url, "REDIS_URL": redis_url, "HADRA_MESSAGES_PER_MINUTE": "1000"}
    server_a, server_b = await asyncio.gather(start_server.astart(**env), start_server.astart(**env))
    token = await make_token(await make_user("search"))
    stranger = bearer(server_b, await make_token(await make_user("search")))
    chat = await ChatClient.connect(server_a.ws_url, token)
    conversation_id, answer_id = await ask(chat, "Lizards of the desert", word)
    await chat.close()
    [hit] = found(bearer(server_b, token), f"{word}1 {word}2")
    assert hit["message_id"] == answer_id and hit["conversation"]["id"] == conversation_id
    assert search(stranger, f"{word}1") == [] and search(stranger, "lizards") == []


def test_messages_stored_before_search_existed_become_searchable(start_server, mongo_uri: str) -> None:
    """A database from before the index: the server's start indexes it, without anyone asking."""
    uri = isolated_db(mongo_uri)
    server = start_server(MONGODB_URI=uri)
    browser = Browser(server)
    register(browser, "search")
    token = browser.post("/api/tokens", json={"name": "search"}).json()["token"]
    word = unique("fennec")
    conversation_id = imported(bearer(server, token), one_message(f"Le {word} du désert"), title="Animaux")
    server.stop()
    mongo: MongoClient = MongoClient(uri)
    database = mongo.get_default_database()
    database.drop_collection("search_words")  # as before search existed: no entries, no progress noted
    database.drop_collection("search_backfill")

    client = bearer(start_server(MONGODB_URI=uri), token)
    deadline = time.monotonic() + 60
    while not (hits := search(client, word)):
        assert time.monotonic() < deadline, "the earlier messages were never indexed"
        time.sleep(0.2)
    assert [h["conversation"]["id"] for h in hits] == [conversation_id] and hits[0]["role"] == "user"
    assert [h["message_id"] for h in search(client, "animaux")] == [None]  # the title too
    progress = {doc["_id"]: doc["done"] for doc in database["search_backfill"].find()}
    assert progress == {"messages": True, "conversations": True}
    mongo.close()


def test_every_search_query_is_served_by_an_index(search_server, search_queries: Path, mongo_uri: str) -> None:
    """Each query shape of a search (scans of a word and of a prefix, more than VERIFY_AT entries for
    one word, the check of the rest on the entries), of writing and deleting entries, and of the
    backfill at start, explained by the server: none is a full collection scan."""
    client = Browser(search_server)
    register(client, "search")
    stamp = {"created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}
    many = [{"id": "q0", "role": "user", "content": "common start", **stamp}] + [
        {
            **stamp,
            "id": f"q{i}",
            "parent_id": f"q{i - 1}",
            "role": "user" if i % 2 == 0 else "assistant",
            "content": f"common {i}",
        }
        for i in range(1, 240)
    ]
    conversation_id = imported(client, many, title="Common words")
    other = imported(client, one_message("common start again"), title="Again")
    searched_from = len(search_queries.read_text().splitlines())
    assert len(search(client, "common start")) == 2  # 240 entries hold "common": then "start" is scanned
    assert len(search(client, "start common")) == 2
    assert len(search(client, "common 23")) == 1  # a prefix: 23, 230 to 239
    assert len(search(client, "again start comm")) == 1  # few left after "again": the rest checked on them
    assert client.patch(f"/api/conversations/{other}", json={"title": "Renamed"}).is_success
    assert client.delete(f"/api/conversations/{conversation_id}").status_code == 204

    log = search_queries.read_text().splitlines()
    ours = {"search_words", "search_backfill"}
    window = search_queries.with_suffix(".window")  # the searches, and whatever touched the index
    window.write_text("\n".join(line for i, line in enumerate(log) if i >= searched_from or _indexing(line, ours)))
    queries = logged_queries(window)
    assert ours <= {collection for _db, collection, _f, _s in queries.values()}
    unindexed = full_scans(mongo_uri, queries)
    assert not unindexed, "queries answered by a full collection scan:\n" + "\n".join(unindexed)


def _indexing(line: str, collections: set[str]) -> bool:
    """A query on the index's collections, or the backfill's walk of a collection in ``_id`` order."""
    command = json_util.loads(line)["command"]
    return next(iter(command.values())) in collections or command.get("sort") == {"_id": 1}
