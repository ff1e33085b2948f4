"""Finding a user's conversations by the words of their messages and titles (``GET /api/search``).

Every query is served from an index (what the embedded server can index: models/search_entry.py):

1. Each term is one index scan of the user's entries (``user_words``): longest words first (they
   tend to be rarer), the last term of the query as a prefix range. The entries found by all of
   them are intersected here; once few are left, the remaining terms are checked on those entries'
   words (one ``_id`` point lookup) instead of scanning more.
2. Their conversations (``_id`` point lookups), newest first; at most ``limit`` of them.
3. Those conversations' message tree, ids and parents only (index conversation_created): which
   hits lie on the active branch. A conversation shows one hit: the first on its active branch,
   else its first; a title alone when no message matched.
4. The shown messages (point lookups), for their role and the snippet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from beanie import PydanticObjectId

from models.conversation import Conversation
from models.message import Message
from models.search_entry import SearchEntry
from models.search_words import Terms
from models.stored import stored_id

# Once this few entries are left, the other terms are checked on them rather than scanned for.
VERIFY_AT = 200


@dataclass(frozen=True)
class Hit:
    conversation: Conversation
    message: Message | None  # None: only the title matched
    on_active_branch: bool


async def search(user_id: PydanticObjectId, terms: Terms, limit: int) -> list[Hit]:
    """Up to ``limit`` of ``user_id``'s conversations with a message (or title) holding every term,
    newest first."""
    if not terms:
        return []
    found = await _entries(user_id, terms)
    hits_of: dict[PydanticObjectId, list[PydanticObjectId]] = defaultdict(list)
    for entry_id, conversation_id in found.items():
        hits_of[conversation_id].append(entry_id)
    if not hits_of:
        return []
    conversations = [
        c for c in await Conversation.find({"_id": {"$in": list(hits_of)}}).to_list() if c.user_id == user_id
    ]
    conversations.sort(key=lambda c: (c.updated_at, c.id), reverse=True)
    conversations = conversations[:limit]
    branches = await _branches([c for c in conversations if any(e != c.id for e in hits_of[stored_id(c)])])
    picked: list[tuple[Conversation, PydanticObjectId | None, bool]] = []
    for conversation in conversations:
        cid = stored_id(conversation)
        parents, on_branch = branches.get(cid, ({}, set()))
        messages = sorted(e for e in hits_of[cid] if e in parents)  # an entry of a deleted message drops out
        if messages:
            first = next((m for m in messages if m in on_branch), messages[0])
            picked.append((conversation, first, first in on_branch))
        elif cid in hits_of[cid]:
            picked.append((conversation, None, True))
    ids = [m for _, m, _ in picked if m is not None]
    shown = {m.id: m for m in await Message.find({"_id": {"$in": ids}}).to_list()} if ids else {}
    return [Hit(c, shown[m] if m else None, on) for c, m, on in picked if m is None or m in shown]


async def _entries(user_id: PydanticObjectId, terms: Terms) -> dict[PydanticObjectId, PydanticObjectId]:
    """The ids of ``user_id``'s entries holding every term, with their conversations' ids."""
    pending: list[tuple[str, bool]] = [(w, False) for w in sorted(terms.exact, key=len, reverse=True)]
    if terms.prefix is not None:
        pending.append((terms.prefix, True))
    found: dict[PydanticObjectId, PydanticObjectId] | None = None
    for term, is_prefix in pending:
        if found is not None and len(found) <= VERIFY_AT:
            return await _checked(user_id, found, terms)
        scanned = await _scan(user_id, term, is_prefix)
        found = scanned if found is None else {e: c for e, c in found.items() if e in scanned}
        if not found:
            return {}
    return found or {}


async def _scan(user_id: PydanticObjectId, term: str, is_prefix: bool) -> dict[PydanticObjectId, PydanticObjectId]:
    """One index scan (user_words): the entries holding ``term``, or a word beginning with it."""
    words: object = {"$gte": term, "$lt": term[:-1] + chr(ord(term[-1]) + 1)} if is_prefix else term
    cursor = SearchEntry.get_pymongo_collection().find({"user_id": user_id, "words": words}, {"conversation_id": 1})
    return {raw["_id"]: raw["conversation_id"] async for raw in cursor}


async def _checked(
    user_id: PydanticObjectId, found: dict[PydanticObjectId, PydanticObjectId], terms: Terms
) -> dict[PydanticObjectId, PydanticObjectId]:
    """Those of ``found`` whose words hold every term (``_id`` point lookups)."""
    cursor = SearchEntry.get_pymongo_collection().find(
        {"_id": {"$in": list(found)}}, {"user_id": 1, "conversation_id": 1, "words": 1}
    )
    return {
        raw["_id"]: raw["conversation_id"]
        async for raw in cursor
        if raw["user_id"] == user_id and terms.match(raw["words"])
    }


async def _branches(
    conversations: list[Conversation],
) -> dict[PydanticObjectId, tuple[dict[PydanticObjectId, PydanticObjectId | None], set[PydanticObjectId]]]:
    """For each conversation: its messages' parents, and the messages of its active branch."""
    if not conversations:
        return {}
    parents: dict[PydanticObjectId, dict[PydanticObjectId, PydanticObjectId | None]] = defaultdict(dict)
    cursor = Message.get_pymongo_collection().find(
        {"conversation_id": {"$in": [c.id for c in conversations]}}, {"conversation_id": 1, "parent_id": 1}
    )
    async for raw in cursor:
        parents[raw["conversation_id"]][raw["_id"]] = raw.get("parent_id")
    branches = {}
    for conversation in conversations:
        tree = parents[stored_id(conversation)]
        on_branch: set[PydanticObjectId] = set()
        node = conversation.active_leaf_id
        while node is not None and node in tree and node not in on_branch:
            on_branch.add(node)
            node = tree[node]
        branches[stored_id(conversation)] = (tree, on_branch)
    return branches
