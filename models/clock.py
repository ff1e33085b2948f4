"""One clock for every document, so timestamps are always timezone-aware UTC."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    # MongoDB stores milliseconds; truncating here keeps a saved and a reloaded value equal.
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
