"""One supervised example (system, the turns before the answer, the answer), one preference pair,
and what makes two examples the same."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from typing import Any

# Which source wins when two examples share a prompt: a human's correction beats a human's 👍,
# which beats a machine translation.
SOURCE_PRIORITY = {"chat-edited": 0, "chat-rated": 1, "translation": 2}

# (role, content): the conversation before the answer, oldest first, alternating user/assistant and
# ending with the user's question.
Turn = tuple[str, str]


def normalise(text: str) -> str:
    """Unicode NFC, case-folded, whitespace collapsed: how two prompts are compared, never stored."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def prompt_key(system: str, turns: tuple[Turn, ...]) -> str:
    """Same system prompt and same turns (after :func:`normalise`) = the same prompt. A single
    question hashes as it always did (system, NUL, question), so held-out rows stay held out."""
    raw = "\x00".join([normalise(system), *(normalise(content) for _role, content in turns)])
    return hashlib.sha256(raw.encode()).hexdigest()


def prompt_messages(system: str, turns: tuple[Turn, ...]) -> list[dict[str, str]]:
    """The chat messages of a prompt; no system message when there is no system prompt."""
    head = [{"role": "system", "content": system}] if system else []
    return [*head, *({"role": role, "content": content} for role, content in turns)]


@dataclass(frozen=True)
class Example:
    source: str
    origin: str  # file:line or message id, so a bad row can be traced back
    system: str  # the conversation's own system prompt ("" = none), or the translation prompt
    turns: tuple[Turn, ...]
    assistant: str

    @property
    def user(self) -> str:
        """The question answered."""
        return self.turns[-1][1]

    @property
    def key(self) -> str:
        return prompt_key(self.system, self.turns)

    def messages(self) -> list[dict[str, str]]:
        return [*prompt_messages(self.system, self.turns), {"role": "assistant", "content": self.assistant}]

    def to_row(self) -> dict[str, Any]:
        return {"id": self.key[:16], "source": self.source, "origin": self.origin, "messages": self.messages()}


def single_turn(source: str, origin: str, system: str, user: str, assistant: str) -> Example:
    return Example(source=source, origin=origin, system=system, turns=(("user", user),), assistant=assistant)


@dataclass(frozen=True)
class Preference:
    """A 👎 answer and a better sibling (👍 or a user's correction) to the same prompt."""

    origin: str  # the 👎 answer's message id
    system: str
    turns: tuple[Turn, ...]
    chosen: str
    rejected: str

    @property
    def key(self) -> str:
        return prompt_key(self.system, self.turns)

    def to_row(self) -> dict[str, Any]:
        """TRL's conversational preference form: a prompt, then the chosen and rejected answers."""
        return {
            "id": self.key[:16],
            "origin": self.origin,
            "prompt": prompt_messages(self.system, self.turns),
            "chosen": [{"role": "assistant", "content": self.chosen}],
            "rejected": [{"role": "assistant", "content": self.rejected}],
        }
