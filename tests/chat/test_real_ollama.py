"""The happy path against the real CPU Ollama: a streamed, persisted answer with stats and a title."""

from __future__ import annotations

from beanie import PydanticObjectId

from models import Conversation, Message
from tests.support.users import make_token, make_user
from tests.support.ws import ChatClient, deltas_text, send_and_get_answer_id


async def test_a_streamed_answer_is_persisted_with_stats_and_a_title(db, live_server, ollama_model) -> None:
    user = await make_user()
    client = await ChatClient.connect(live_server.ws_url, await make_token(user))
    conversation_id, answer_id = await send_and_get_answer_id(
        client, conversation_id=None, content="What is the capital of France?", request_id="q1"
    )
    created = client.of_type("conversation.created")
    assert created and created[0]["conversation"]["model"] == ollama_model
    assert created[0]["request_id"] == "q1"

    done = await client.until_type("message.done", 120, message_id=answer_id)
    deltas = [f for f in client.of_type("message.delta") if f["message_id"] == answer_id]
    assert done["status"] == "complete", (done["error"], done["content"][-300:])
    assert len(deltas) >= 1
    assert [d["seq"] for d in deltas] == list(range(1, len(deltas) + 1))
    text = deltas_text(client.frames, answer_id)
    assert text.strip() and done["content"] == text
    assert done["stats"]["ttft_ms"] > 0 and done["stats"]["eval_count"] > 0 and done["stats"]["tokens_per_s"] > 0

    stored = await Message.get(PydanticObjectId(answer_id))
    assert stored.content == text and stored.status == "complete" and stored.stats.eval_count > 0
    conversation = await Conversation.get(PydanticObjectId(conversation_id))
    assert conversation.title == "What is the capital of France?"
    assert conversation.active_leaf_id == stored.id and conversation.generating_id is None
    # The new title reaches every tab of the user before the answer's done frame.
    assert client.of_type("conversation.updated")[0]["conversation"]["title"] == conversation.title
    await client.close()
