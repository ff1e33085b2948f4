"""The request every backend sends: instructions plus the segments as a JSON object.

Sending ``{"<id>": "<text>", …}`` and asking for ``{"<id>": "<English>", …}`` back makes the
answer checkable id by id (see ``validate``); a numbered list would let one skipped line shift
every translation after it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from translation.sources import Segment

SYSTEM_PROMPT = """\
You translate Algerian Arabic (Darija) into natural, fluent English.
Darija may be written in Arabic script or in Latin letters with digits (Arabizi: 3=ع, 7=ح, 9=ق, 5=خ, 2=ء), \
and often mixes in French and Modern Standard Arabic words.

The user message is a JSON object that maps ids to Darija texts.
Answer with one JSON object only: the same ids as keys, each mapped to the English translation of its text.
Rules:
- every id exactly once, no other keys;
- translate the meaning; keep names as they are, written in Latin letters;
- never copy the Darija text, never add notes, explanations or any text outside the JSON object."""

DEFAULT_MAX_TOKENS_CAP = 8192


def messages(batch: Sequence[Segment]) -> list[dict[str, str]]:
    """The chat messages of one request (the same for every backend)."""
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user_message(batch)}]


def user_message(batch: Sequence[Segment]) -> str:
    """The segments of one request, as the JSON object the system prompt describes."""
    return json.dumps({segment.key: segment.text for segment in batch}, ensure_ascii=False)


def max_tokens(batch: Sequence[Segment]) -> int:
    """An answer budget that fits any honest translation (English rarely needs more tokens than
    the Darija had characters) but stops a model that loops long before it wastes a quota."""
    budget = 32 + sum(len(segment.text) + len(segment.key) + 16 for segment in batch)
    return min(budget, DEFAULT_MAX_TOKENS_CAP)


def answer_schema(batch: Sequence[Segment]) -> dict[str, object]:
    """JSON schema of the expected answer, for backends that constrain decoding to a schema."""
    keys = [segment.key for segment in batch]
    return {
        "type": "object",
        "properties": {key: {"type": "string"} for key in keys},
        "required": keys,
        "additionalProperties": False,
    }
