"""docker/nginx/hadra.conf for real: Debian's nginx in front of two hadra processes on Redis, as
docker-compose.yml runs them (tests/deploy/conftest.py). What a user does goes through the proxy:
the HTTP API, the chat socket, and coming back after the process their socket was on stopped."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
import websockets
from beanie import PydanticObjectId

from embedded.nginx import UPSTREAM_HEADER
from models import Message
from tests.api.clients import new_credentials
from tests.deploy.conftest import Deploy
from tests.support.deployment import Deployment
from tests.support.users import make_token, make_user
from tests.support.ws import ChatClient, deltas_text, send_and_get_answer_id

SWEPT_WITHIN_S = 120  # a stopped process's answers are marked interrupted after 30 s, swept every 15 s


async def _connect(url: str, **headers: str) -> tuple[ChatClient, str]:
    """A chat socket through the proxy, and which hadra process nginx gave it to."""
    ws = await websockets.connect(url, additional_headers=headers, max_size=None)
    return ChatClient(ws), ws.response.headers[UPSTREAM_HEADER]


async def _one_on_each(hadra: Deployment, token: str) -> dict[str, ChatClient]:
    """The user's sockets through the proxy until one is on each process (nginx takes them in turn)."""
    sockets: dict[str, ChatClient] = {}
    for _ in range(10):
        client, upstream = await _connect(hadra.proxy.ws_url, Authorization=f"Bearer {token}")
        if upstream in sockets:
            await client.close()
        else:
            sockets[upstream] = client
        if len(sockets) == len(hadra.servers):
            return sockets
    pytest.fail(f"nginx gave every socket to {list(sockets)}")


async def test_sign_up_log_in_and_chat_through_the_proxy(deploy: Deploy, fake_ollama) -> None:
    behaviour = fake_ollama.set_behaviour("proxy-chat", tokens=60, tokens_per_s=200)
    hadra = await deploy(OLLAMA_HOST=fake_ollama.url)
    credentials = new_credentials("proxied")
    upstreams: set[str] = set()
    async with httpx.AsyncClient(base_url=hadra.proxy.url, timeout=60) as http:

        async def call(method: str, path: str, **body: str) -> httpx.Response:
            headers = {"X-CSRFToken": http.cookies["csrftoken"]} if method != "GET" else {}
            response = await http.request(method, path, json=body or None, headers=headers)
            upstreams.add(response.headers[UPSTREAM_HEADER])
            return response

        await call("GET", "/api/auth/me")  # the csrftoken cookie, as the web app's first call
        assert (await call("POST", "/api/auth/register", **credentials)).status_code == 201
        assert (await call("POST", "/api/auth/logout")).status_code == 204
        assert (await call("GET", "/api/auth/me")).status_code == 401
        login = await call(
            "POST", "/api/auth/login", username=credentials["username"], password=credentials["password"]
        )
        assert login.status_code == 200 and login.json()["username"] == credentials["username"]
        me = await call("GET", "/api/auth/me")
        assert me.status_code == 200 and me.json()["username"] == credentials["username"]
        page = await call("GET", "/")
        assert page.status_code in (200, 503)  # the web app (503 only where web/dist is not built)
        # The requests went to both processes: the session is in MongoDB, not in a process.
        assert upstreams == {f"127.0.0.1:{s.port}" for s in hadra.servers}

        # The browser's socket: the session cookie, from the proxy's own origin (nginx passes the
        # Host with its port, so the origin check compares like with like).
        cookie = f"sessionid={http.cookies['sessionid']}"
        client, _ = await _connect(hadra.proxy.ws_url, Cookie=cookie, Origin=hadra.proxy.url)
        _, answer_id = await send_and_get_answer_id(client, conversation_id=None, content="hi", model="proxy-chat")
        done = await client.until_type("message.done", 60, message_id=answer_id)
        assert done["status"] == "complete" and done["content"] == behaviour.reply()
        assert deltas_text(client.frames, answer_id) == behaviour.reply()  # every delta came through
        await client.close()
        # Another site's page cannot use the cookie through the proxy either.
        stranger, _ = await _connect(hadra.proxy.ws_url, Cookie=cookie, Origin="http://127.0.0.1:9")
        refused = await stranger.recv(30)  # said at once, then closed
        assert refused["type"] == "error" and refused["code"] == "unauthenticated"
        await stranger.close()


async def test_the_proxy_overwrites_a_forwarded_address_a_client_forges(deploy: Deploy, fake_ollama) -> None:
    """daphne --proxy-headers takes X-Forwarded-For's first address as the client's: nginx must
    replace what the client sent, or a guesser dodges the per-address login limit."""
    hadra = await deploy(OLLAMA_HOST=fake_ollama.url, HADRA_LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE="3")
    statuses = []
    async with httpx.AsyncClient(base_url=hadra.proxy.url, timeout=60) as http:
        await http.get("/api/auth/me")
        for i in range(6):
            guess = new_credentials("guess")
            response = await http.post(
                "/api/auth/login",
                json={"username": guess["username"], "password": guess["password"]},
                headers={"X-CSRFToken": http.cookies["csrftoken"], "X-Forwarded-For": f"203.0.113.{i + 1}"},
            )
            statuses.append(response.status_code)
            if response.status_code == 429:
                assert response.json()["error"]["message"].startswith("Too many login attempts from your address.")
                break
    assert statuses[-1] == 429 and len(statuses) <= 4, statuses


async def test_a_stopped_process_loses_only_its_own_answer_and_its_user_comes_back_through_the_proxy(
    db, deploy: Deploy, fake_ollama
) -> None:
    # Slow, so both answers are in flight however long the test takes; the survivor's sped up later.
    lost_model = fake_ollama.set_behaviour("proxy-lost", tokens=2000, tokens_per_s=40)
    kept_model = fake_ollama.set_behaviour("proxy-kept", tokens=2000, tokens_per_s=40)
    fake_ollama.set_behaviour("proxy-after", tokens=20, tokens_per_s=200)
    hadra = await deploy(OLLAMA_HOST=fake_ollama.url)
    token = await make_token(await make_user())
    sockets = await _one_on_each(hadra, token)
    (doomed_at, on_doomed), (survivor_at, on_survivor) = sockets.items()
    # An answer runs in the process whose socket asked for it: one answer in each.
    lost_conversation, lost = await send_and_get_answer_id(
        on_doomed, conversation_id=None, content="a", model="proxy-lost"
    )
    kept_conversation, kept = await send_and_get_answer_id(
        on_survivor, conversation_id=None, content="b", model="proxy-kept"
    )
    await on_survivor.until(lambda f: f["type"] == "message.delta" and f["message_id"] == kept and f["seq"] >= 3)
    # Stop the process once a checkpoint (about once a second) has saved some of its answer.
    deadline = time.monotonic() + 30
    while not (await Message.get(PydanticObjectId(lost))).content:
        assert time.monotonic() < deadline, "no checkpoint was saved while the answer streamed"
        await asyncio.sleep(0.1)
    hadra.server_at(doomed_at).kill()
    with pytest.raises(websockets.ConnectionClosed):  # nginx ends the socket with its process
        await on_doomed.until(lambda f: False, 30)
    seen = deltas_text(on_doomed.frames, lost)

    # The web app reconnects to the same address; nginx skips the stopped process.
    # ($upstream_addr lists every process tried: the stopped one refused the connection.)
    back, tried = await _connect(hadra.proxy.ws_url, Authorization=f"Bearer {token}")
    assert tried.split(", ")[-1] == survivor_at
    # The answer of the process that lives streams on, to the end, on the new socket too.
    await back.send("conversation.open", conversation_id=kept_conversation)
    sync = await back.until_type("message.sync", 30, message_id=kept)
    assert sync["status"] is None and kept_model.reply().startswith(sync["text"])
    kept_model.tokens_per_s = 4000
    done = await back.until_type("message.done", 60, message_id=kept)
    assert done["status"] == "complete" and done["content"] == kept_model.reply()
    assert (await Message.get(PydanticObjectId(kept))).content == kept_model.reply()

    # The stopped process's answer: its text so far, then marked interrupted by the survivor.
    await back.send("conversation.open", conversation_id=lost_conversation)
    snapshot = await back.until_type("conversation.snapshot", 30)
    shown = next(m for m in snapshot["messages"] if m["id"] == lost)
    assert shown["content"] and lost_model.reply().startswith(shown["content"])
    ended = await back.seen_or_until_type("message.done", SWEPT_WITHIN_S, message_id=lost)
    assert ended["status"] == "interrupted" and ended["error"]["code"] == "interrupted"
    stored = await Message.get(PydanticObjectId(lost))
    assert stored.status == "interrupted" and stored.content == ended["content"]
    # What the user had seen and what was kept are both the model's words, from the start; the
    # last checkpoint may hold a little more than the last delta sent, or a little less.
    reply = lost_model.reply()
    assert reply.startswith(seen) and reply.startswith(stored.content) and len(stored.content) < len(reply)
    # The conversation takes a new question at once, answered by the survivor.
    _, again = await send_and_get_answer_id(back, conversation_id=lost_conversation, content="c", model="proxy-after")
    finished = await back.until_type("message.done", 60, message_id=again)
    assert finished["status"] == "complete"
    await back.close()
    await on_survivor.close()
