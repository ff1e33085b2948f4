"""Many answers at once on two processes sharing Redis: every tab, on the asking process and on
the other one, gets every delta in order, no ``seq`` missing, and the ``message.done`` with the
exact text. (With channels_redis' core layer, 50 answers on two processes lost deltas and
``message.done``: its per-process queue dropped messages past its capacity.)"""

from __future__ import annotations

import asyncio

from tests.support.users import make_token, make_user
from tests.support.ws import ChatClient, deltas_text, send_and_get_answer_id

ANSWERS = 40
WAIT_S = 120.0


async def _one_answer(asker_url: str, watcher_url: str, model: str) -> tuple[ChatClient, ChatClient, str]:
    token = await make_token(await make_user())
    asker = await ChatClient.connect(asker_url, token)
    watcher = await ChatClient.connect(watcher_url, token)
    conversation_id, answer_id = await send_and_get_answer_id(asker, conversation_id=None, content="hi", model=model)
    await watcher.send("conversation.open", conversation_id=conversation_id)
    return asker, watcher, answer_id


async def test_many_answers_on_two_processes_lose_no_frame(db, start_server, redis_url, fake_ollama) -> None:
    behaviour = fake_ollama.set_behaviour("fanout-load", tokens=120, tokens_per_s=60)
    env = {"OLLAMA_HOST": fake_ollama.url, "REDIS_URL": redis_url}
    server_a, server_b = await asyncio.gather(start_server.astart(**env), start_server.astart(**env))
    urls = [(server_a.ws_url, server_b.ws_url), (server_b.ws_url, server_a.ws_url)]
    answers = await asyncio.gather(*(_one_answer(*urls[i % 2], "fanout-load") for i in range(ANSWERS)))
    for asker, watcher, answer_id in answers:
        done = await asker.until_type("message.done", WAIT_S, message_id=answer_id)
        watched = await watcher.until_type("message.done", WAIT_S, message_id=answer_id)
        assert done["status"] == watched["status"] == "complete", (done, watched)
        assert done["content"] == watched["content"] == behaviour.reply()
        # The asker saw every delta from the first: seq 1, 2, …, n, and they add up to the text.
        seqs = [f["seq"] for f in asker.of_type("message.delta")]
        assert seqs == list(range(1, len(seqs) + 1)) and seqs[-1] == done["seq"], seqs
        assert deltas_text(asker.frames, answer_id) == behaviour.reply()
        # The watcher on the other process joined before its snapshot: from its first delta on,
        # none is missing up to the last one.
        watched_seqs = [f["seq"] for f in watcher.of_type("message.delta") if f["message_id"] == answer_id]
        if watched_seqs:
            assert watched_seqs == list(range(watched_seqs[0], done["seq"] + 1)), watched_seqs
    for asker, watcher, _ in answers:
        await asker.close()
        await watcher.close()
