"""An answer streamed over the socket reads back the same over the HTTP API: one process's socket
consumer, database client and API agree on what was said."""

from __future__ import annotations

from tests.inprocess.api_client import ApiClient
from tests.support.users import make_token, make_user
from tests.support.ws import deltas_text, finished_answer


async def test_a_streamed_answer_reads_back_the_same_over_http(connect, fake_ollama) -> None:
    fake_ollama.set_behaviour("read-back", tokens=12, tokens_per_s=200)
    token = await make_token(await make_user())
    client = await connect(token)
    conversation_id, answer_id, done = await finished_answer(
        client, 30, conversation_id=None, content="What is the capital of France?", model="read-back"
    )
    assert done["status"] == "complete", done
    text = deltas_text(client.frames, answer_id)
    assert text.strip() and done["content"] == text

    branch = await ApiClient(token).get(f"/api/conversations/{conversation_id}/messages")
    assert branch.status_code == 200, branch.text
    messages = branch.json()["messages"]
    assert [(m["role"], m["content"], m["status"]) for m in messages] == [
        ("user", "What is the capital of France?", "complete"),
        ("assistant", text, "complete"),
    ]
    assert messages[1]["id"] == answer_id and messages[1]["sibling_ids"] == [answer_id]
