"""A conversation's title from its first question: instant and deterministic.

Why not ask the model: a small local model writes poor titles and the call would compete with
the user's next answer for the same CPU; the first question is what people recognise.
"""

from __future__ import annotations

import re

MAX_CHARS = 48


def title_from(question: str) -> str | None:
    """The question's first words, without Markdown; None when nothing is left (the chat stays untitled)."""
    text = re.sub(r"[`*_#>\[\]]+", " ", question)
    text = " ".join(text.split())
    if not text:
        return None
    if len(text) <= MAX_CHARS:
        return text
    cut = text[:MAX_CHARS].rsplit(" ", 1)[0] or text[:MAX_CHARS]
    return cut.rstrip(" ,.;:-،") + "…"
