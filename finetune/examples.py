"""One supervised example (system, user, assistant) and what makes two examples the same."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from typing import Any

# Which source wins when two examples share a prompt: a human's correction beats a human's 👍,
# which beats a machine translation.
SOURCE_PRIORITY = {"chat-edited": 0, "chat-rated": 1, "translation": 2}


def normalise(text: str) -> str:
    """Unicode NFC, case-folded, whitespace collapsed: how two prompts are compared, never stored."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@dataclass(frozen=True)
class Example:
    source: str
    origin: str  # file:line or message id, so a bad row can be traced back
    system: str
    user: str
    assistant: str

    @property
    def key(self) -> str:
        """Same system prompt and same user text (after :func:`normalise`) = the same prompt."""
        raw = f"{normalise(self.system)}\x00{normalise(self.user)}"
        return hashlib.sha256(raw.encode()).hexdigest()

    def messages(self) -> list[dict[str, str]]:
        turns = [{"role": "system", "content": self.system}] if self.system else []
        return [*turns, {"role": "user", "content": self.user}, {"role": "assistant", "content": self.assistant}]

    def to_row(self) -> dict[str, Any]:
        return {"id": self.key[:16], "source": self.source, "origin": self.origin, "messages": self.messages()}
