"""Where training examples come from: translation/ output files, and the chat (finetune/chat_selection.py).

Each reader returns the examples it could use and a count of what it skipped and why, so the
dataset summary can say exactly what was left out instead of silently shrinking.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from finetune.errors import FinetuneError
from finetune.examples import Example, single_turn

if TYPE_CHECKING:
    from finetune.chat_selection import ChatSelection

# The system prompt translation rows are trained under (``--system-prompt`` changes it).
DEFAULT_SYSTEM_PROMPT = "Translate the user's message from Algerian Arabic (Darija) into natural English."


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
                single_turn("translation", f"{path.name}:{number}", system_prompt, text.strip(), translation.strip())
            )
    return result


def translation_folder() -> Path:
    """Where translation/ output files are looked for when no file is named: ``$HADRA_TRANSLATIONS_DIR``,
    else ``translations/`` in the var folder (``$HADRA_VAR_DIR``, default ``var/``)."""
    from embedded.process import VAR_DIR

    configured = os.environ.get("HADRA_TRANSLATIONS_DIR")
    return Path(configured) if configured else VAR_DIR / "translations"


def translation_files(folder: Path | None = None) -> list[Path]:
    """The translation outputs in ``folder`` (default :func:`translation_folder`): every ``*.jsonl``
    but the failed and dropped segments translation/ writes beside them; none when it does not exist."""
    folder = folder or translation_folder()
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.glob("*.jsonl")
        if path.is_file() and ".failed" not in path.name and not path.name.endswith(".dropped.jsonl")
    )


async def chat_examples(mongo_uri: str) -> ChatSelection:
    """Rows and preference pairs from the chat (see finetune/chat_selection.py for which)."""
    from pymongo.errors import PyMongoError

    from finetune.chat_selection import select
    from models import init_db

    try:
        await init_db(mongo_uri, server_selection_timeout_ms=3000)
        return await select()
    except PyMongoError as exc:
        raise FinetuneError(
            f"cannot read chat data from MongoDB at {mongo_uri}: {exc.__class__.__name__}: {exc}. "
            "Start it (make run) or set MONGODB_URI, or pass --no-chat to use translation output only."
        ) from None
