"""Grouping segments into requests, and splitting a request whose answer failed.

Batching is where the quota goes furthest: one request carries many segments (the origin paid
one request per segment). The character cap keeps one request's tokens well inside a
per-minute token limit and the model's context, whatever the segment lengths.
"""

from __future__ import annotations

from collections.abc import Sequence

from translation.sources import Segment


def make_batches(segments: Sequence[Segment], max_segments: int, max_chars: int) -> list[list[Segment]]:
    """Consecutive groups of at most ``max_segments`` segments and about ``max_chars`` characters
    of text; a segment longer than ``max_chars`` travels alone rather than being cut."""
    if max_segments < 1 or max_chars < 1:
        raise ValueError("batch limits must be positive")
    batches: list[list[Segment]] = []
    current: list[Segment] = []
    size = 0
    for segment in segments:
        if current and (len(current) >= max_segments or size + len(segment.text) > max_chars):
            batches.append(current)
            current, size = [], 0
        current.append(segment)
        size += len(segment.text)
    if current:
        batches.append(current)
    return batches


def split(batch: Sequence[Segment]) -> list[list[Segment]]:
    """Two halves of ``batch`` (one part for a single segment): a failed answer is retried in
    smaller requests until the segment at fault is alone."""
    middle = (len(batch) + 1) // 2
    return [list(part) for part in (batch[:middle], batch[middle:]) if part]
