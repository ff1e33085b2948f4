"""Cleaning scraped Darija before it costs translation requests.

Social-media text carries links, @mentions, emojis and decoration that a translator either
echoes or chokes on, and repeats that would be paid for twice. Cleaning keeps what carries
meaning: Arabic and Latin letters (accents included: Darija borrows French), digits (Arabizi
writes ع/ح/ق as 3/7/9) and sentence punctuation. Nothing is dropped silently: every removal
is counted, and every dropped segment is returned with its reason so it can be written out.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from translation.sources import Segment

_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@\w+")
_HASHTAG = re.compile(r"(?<!\w)#(\w+)")
_REPEATED_PUNCT = re.compile(r"([.,!?;:،؛؟])\1+")
_SPACE = re.compile(r"\s+")
_KEPT_PUNCT = frozenset(".,!?;:'\"()-%،؛؟")
_EMOJI_JOINERS = frozenset("\u200d\ufe0e\ufe0f\u20e3")  # ZWJ, variation selectors, keycap


@dataclass(frozen=True, slots=True)
class Dropped:
    """A segment that clean removed, and why (written to the ``.dropped.jsonl`` beside the output)."""

    segment: Segment
    reason: str


@dataclass
class CleanReport:
    """What ``clean_segments`` removed, for the summary a user reads."""

    kept: int = 0
    removed: Counter[str] = field(default_factory=Counter)  # links, mentions, emojis, noise characters
    dropped: list[Dropped] = field(default_factory=list)


@cache
def _kind(char: str) -> str:
    """'keep', 'tatweel', 'emoji' or 'noise' for one character (cached: texts reuse a small alphabet)."""
    category = unicodedata.category(char)
    if char == "\u0640":
        return "tatweel"  # only stretches a word for looks (جمـــيل): removed without a gap
    if category[0] == "L":
        name = unicodedata.name(char, "")
        return "keep" if name.startswith(("ARABIC", "LATIN")) else "noise"
    if category == "Nd" or char in _KEPT_PUNCT or char.isspace():
        return "keep"
    if category == "Mn" and unicodedata.name(char, "").startswith("ARABIC"):
        return "keep"  # harakat: they change meaning and cost nothing
    if category in ("So", "Sk") or char in _EMOJI_JOINERS or 0x1F000 <= ord(char) <= 0x1FAFF:
        return "emoji"
    return "noise"


def clean_text(text: str, removed: Counter[str] | None = None) -> str:
    """``text`` without links, mentions, emojis and noise, whitespace normalised.

    NFKC first: it folds Arabic presentation forms (ﻻ) and full-width Latin into the plain
    letters a model knows. Hashtags keep their words (``#دزاير_بلادي`` → ``دزاير بلادي``).
    Counts of what went are added to ``removed`` when given.
    """
    counts = removed if removed is not None else Counter()
    text = unicodedata.normalize("NFKC", text)
    text, n = _LINK.subn(" ", text)
    counts["links"] += n
    text, n = _MENTION.subn(" ", text)
    counts["mentions"] += n
    text = _HASHTAG.sub(lambda match: match.group(1).replace("_", " "), text)
    kept: list[str] = []
    for char in text:
        kind = _kind(char)
        if kind == "keep":
            kept.append(char)
        elif kind == "tatweel":
            counts["noise characters"] += 1
        else:
            counts["emojis" if kind == "emoji" else "noise characters"] += 1
            kept.append(" ")
    text, n = _REPEATED_PUNCT.subn(r"\1", "".join(kept))
    counts["repeated punctuation"] += n
    return _SPACE.sub(" ", text).strip()


def clean_segments(segments: Iterable[Segment]) -> tuple[list[Segment], CleanReport]:
    """Clean every text; drop the ones left without letters, repeated texts and repeated ids
    (the first occurrence stays). Returns the kept segments, in input order, and the report."""
    report = CleanReport()
    kept: list[Segment] = []
    first_by_text: dict[str, str] = {}
    seen_ids: set[str] = set()
    for segment in segments:
        if segment.key in seen_ids:
            report.dropped.append(Dropped(segment, "repeated id"))
            continue
        seen_ids.add(segment.key)
        text = clean_text(segment.text, report.removed)
        if not any(char.isalpha() for char in text):
            report.dropped.append(Dropped(segment, "no letters left after cleaning"))
            continue
        fingerprint = text.casefold()
        if fingerprint in first_by_text:
            report.dropped.append(Dropped(segment, f"same text as id {first_by_text[fingerprint]}"))
            continue
        first_by_text[fingerprint] = segment.key
        kept.append(Segment(segment.id, text))
    report.kept = len(kept)
    return kept, report
