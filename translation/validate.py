"""Checking a model's answer before anything from it reaches the dataset.

A fine-tuning set poisoned by "Here is the translation:" prefixes, copied Darija or shifted
ids is worse than a smaller one, so an answer is accepted only id by id: strict JSON, the
requested ids and no others, each value a plausible English translation. What fails is
retried in smaller requests by the engine; the reasons written here end up in the failure log.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from translation.sources import Segment

# Phrases a model uses when it talks about the task instead of doing it. They all mention the
# task itself, so an honest translation such as "Sure, I'll come" or "Sorry, I can't" passes.
_CHATTER = re.compile(
    r"^\s*(?:sure|certainly|ok(?:ay)?|of course)\b[\s,!.]*here\b"
    r"|\bhere(?:'s| is| are)\s+(?:the|your|my|an?)\b[^.]*\btranslat"
    r"|^\s*(?:english\s+)?translation\s*:"
    r"|\b(?:the|this|its|english)\s+translation\s+(?:is|would be|means)\b"
    r"|\bi\s+(?:can(?:no|')t|cannot|am unable to|'m unable to|won't)\s+translate\b"
    r"|\bas an ai\b"
    r"|(?:^|\()\s*note\s*:",
    re.IGNORECASE,
)
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3\u06FA-\u06FF]")
_LETTER = re.compile(r"[^\W\d_]")
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass
class Verdict:
    """The accepted translations of one answer, and why the other segments were not accepted."""

    accepted: dict[str, str] = field(default_factory=dict)
    rejected: dict[str, str] = field(default_factory=dict)


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [key for key, _ in pairs]
    repeated = {key for key in keys if keys.count(key) > 1}
    if repeated:
        raise _DuplicateKey(", ".join(sorted(repeated)))
    return dict(pairs)


def _fingerprint(text: str) -> str:
    return _NOT_WORD.sub("", text.casefold())


def check_translation(source: str, translation: object) -> str | None:
    """Why ``translation`` is not an acceptable English rendering of ``source``, or None."""
    if not isinstance(translation, str):
        return f"translation is {type(translation).__name__}, not a string"
    if not translation.strip():
        return "empty translation"
    if _CHATTER.search(translation):
        return f"chatter instead of a translation: {translation[:80]!r}"
    theirs, ours = _fingerprint(translation), _fingerprint(source)
    if theirs == ours or (len(ours) >= 12 and ours in theirs):
        return "echoed the source text instead of translating it"
    letters = _LETTER.findall(translation)
    if letters and len(_ARABIC_LETTER.findall(translation)) * 2 > len(letters):
        return "not English: mostly Arabic script"
    return None


def validate_answer(content: str, batch: Sequence[Segment]) -> Verdict:
    """Accept what can be trusted in ``content`` (the model's answer to ``batch``).

    A fault in the answer as a whole — text around the JSON, not an object, a repeated or an
    unexpected id — rejects every segment: such an answer may have shifted translations between
    ids. Otherwise each id is judged on its own (missing, empty, chatter, echo, not English).
    """
    verdict = Verdict()

    def reject_all(reason: str) -> Verdict:
        verdict.rejected = {segment.key: reason for segment in batch}
        return verdict

    stripped = content.strip()
    if not stripped.startswith("{") or not stripped.endswith("}"):
        return reject_all(f"answer is not a bare JSON object (chatter or truncation): {stripped[:80]!r}")
    try:
        answer = json.loads(stripped, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as exc:
        return reject_all(f"answer repeats id(s) {exc}")
    except json.JSONDecodeError as exc:
        return reject_all(f"answer is not valid JSON ({exc.msg})")
    expected = {segment.key for segment in batch}
    extra = sorted(set(answer) - expected)
    if extra:
        return reject_all(f"answer has ids that were not asked for: {', '.join(extra[:5])}")
    for segment in batch:
        if segment.key not in answer:
            verdict.rejected[segment.key] = "id missing from the answer"
            continue
        problem = check_translation(segment.text, answer[segment.key])
        if problem:
            verdict.rejected[segment.key] = problem
        else:
            verdict.accepted[segment.key] = answer[segment.key].strip()
    return verdict
