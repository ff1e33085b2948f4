"""Search a user's conversations by the words of their messages and titles (models/search.py; the
normalisation: models/search_words.py). A blank query finds nothing; it is not an error."""

from __future__ import annotations

from api.endpoint import Call, operation
from chat.payloads import conversation_out
from contract.http import SearchHitOut, SearchOut, SearchQuery
from models.search import Hit, search
from models.search_words import Terms, snippet


@operation(
    "GET",
    summary="Your conversations holding every word of `q` in one message or in the title, newest first",
    query=SearchQuery,
    response=SearchOut,
)
async def search_conversations(call: Call[None, SearchQuery]) -> SearchOut:
    terms = Terms.of(call.query.q)
    hits = await search(call.me_id, terms, call.query.limit)
    return SearchOut(results=[_hit_out(hit, terms) for hit in hits])


def _hit_out(hit: Hit, terms: Terms) -> SearchHitOut:
    message = hit.message
    return SearchHitOut(
        conversation=conversation_out(hit.conversation),
        message_id=str(message.id) if message else None,
        role=message.role if message and message.role != "system" else None,
        snippet=snippet(message.content if message else hit.conversation.title or "", terms),
        on_active_branch=hit.on_active_branch,
    )
