"""Relaying an answer costs no thread per frame: the consumer dispatches group messages without
Channels' per-message close of Django database connections (hadra has no Django database), which
runs in a worker thread. Counted, not timed: the close is never called while an answer streams."""

from __future__ import annotations

from channels import consumer

from tests.support.users import make_token, make_user
from tests.support.ws import deltas_text, finished_answer


async def test_an_answer_streams_without_a_thread_hop_per_frame(connect, fake_ollama, monkeypatch) -> None:
    calls: list[None] = []

    async def close_old_connections() -> None:
        calls.append(None)

    # Where Channels' dispatch calls it (Channels' own communicator stubs the sync function inside).
    monkeypatch.setattr(consumer, "aclose_old_connections", close_old_connections)
    fake_ollama.set_behaviour("no-hop", tokens=40, tokens_per_s=400)
    client = await connect(await make_token(await make_user()))
    _, answer_id, done = await finished_answer(client, 30, conversation_id=None, content="hi", model="no-hop")
    assert done["status"] == "complete" and done["content"] == deltas_text(client.frames, answer_id) != ""
    assert len(client.of_type("message.delta")) >= 2
    assert calls == []


def test_hadra_has_no_django_database_to_close() -> None:
    from django.db import connections

    engines = {connections[alias].settings_dict["ENGINE"] for alias in connections}
    assert engines == {"django.db.backends.dummy"}, "with a Django database, stale connections must be closed again"
