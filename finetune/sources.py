"""Where training examples come from: translation/ output files and rated or edited chat answers.

Each reader returns the examples it could use and a count of what it skipped and why, so the
dataset summary can say exactly what was left out instead of silently shrinking.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from finetune.errors import FinetuneError
from finetune.examples import Example


@dataclass
class SourceResult:
    name: str
    read: int = 0
    examples: list[Example] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)


def translation_examples(path: Path, system_prompt: str) -> SourceResult:
    """Records ``{id, text, translation, backend, model, created_at}``, one JSON object a line."""
    result = SourceResult(name=str(path))
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        raise FinetuneError(f"translation output not found: {path}") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            result.read += 1
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                result.skipped["not valid JSON"] += 1
                continue
            if not isinstance(record, dict):
                result.skipped["not a JSON object"] += 1
                continue
            text, translation = record.get("text"), record.get("translation")
            if not isinstance(text, str) or not text.strip():
                result.skipped["no 'text'"] += 1
                continue
            if not isinstance(translation, str) or not translation.strip():
                result.skipped["no 'translation'"] += 1
                continue
            result.examples.append(
                Example(
                    source="translation",
                    origin=f"{path.name}:{number}",
                    system=system_prompt,
                    user=text.strip(),
                    assistant=translation.strip(),
                )
            )
    return result


async def chat_examples(mongo_uri: str, system_prompt: str) -> list[SourceResult]:
    """Answers rated 👍 and answers a user corrected (``edited_from`` set on an assistant message).

    Each becomes (conversation system prompt or the default, the user message it answers, the answer).
    """
    from beanie import PydanticObjectId
    from pymongo.errors import PyMongoError

    from models import Conversation, Message, MessageStatus, init_db

    try:
        await init_db(mongo_uri, server_selection_timeout_ms=3000)
        # Filters on one indexed field each (the embedded server scans everything otherwise); the
        # rest is checked here.
        rated = [m for m in await Message.find({"feedback.rating": "up"}).to_list() if m.role == "assistant"]
        edited = [
            m
            for m in await Message.find({"edited_from": {"$gt": PydanticObjectId("0" * 24)}}).to_list()
            if m.role == "assistant"
        ]
        parents = {
            m.id: m
            for m in await Message.find(
                {"_id": {"$in": list({m.parent_id for m in rated + edited if m.parent_id})}}
            ).to_list()
        }
        conversations = {
            c.id: c
            for c in await Conversation.find(
                {"_id": {"$in": list({m.conversation_id for m in rated + edited})}}
            ).to_list()
        }
    except PyMongoError as exc:
        raise FinetuneError(
            f"cannot read chat data from MongoDB at {mongo_uri}: {exc.__class__.__name__}: {exc}. "
            "Start it (make run) or set MONGODB_URI, or pass --no-chat to use translation output only."
        ) from None

    results = []
    for name, answers in (("chat-rated", rated), ("chat-edited", edited)):
        result = SourceResult(name=name, read=len(answers))
        # Newest first: when one question was corrected (or rated) twice, the dataset keeps the
        # user's latest answer, and a rebuild picks the same one whatever order the server returns.
        for answer in sorted(answers, key=Message.chronology, reverse=True):
            parent = parents.get(answer.parent_id) if answer.parent_id else None
            conversation = conversations.get(answer.conversation_id)
            if answer.imported:
                result.skipped["imported (not generated or rated here)"] += 1
            elif answer.status != MessageStatus.COMPLETE:
                result.skipped[f"answer {answer.status}"] += 1
            elif not answer.content.strip():
                result.skipped["empty answer"] += 1
            elif parent is None or parent.role != "user" or not parent.content.strip():
                result.skipped["no user message before it"] += 1
            else:
                system = (conversation.system_prompt if conversation else "") or system_prompt
                result.examples.append(
                    Example(
                        source=name,
                        origin=str(answer.id),
                        system=system,
                        user=parent.content.strip(),
                        assistant=answer.content.strip(),
                    )
                )
        results.append(result)
    return results
