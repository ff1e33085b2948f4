"""Page cursors: where a list's page ended, as opaque URL-safe text a client passes back unchanged.

Each list keeps its own position (a time and an id, a username, a sort key); the wrapping, and the
one error for a cursor this API did not give out, are here so every list answers alike.
"""

from __future__ import annotations

import base64
import binascii

from contract.errors import ErrorCode, HadraError


def encode(position: str) -> str:
    return base64.urlsafe_b64encode(position.encode()).decode().rstrip("=")


def decode(cursor: str) -> str:
    """The position a cursor holds; ``invalid_cursor`` when it is not base64 of UTF-8 text."""
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid() from None


def invalid() -> HadraError:
    return HadraError(
        ErrorCode.INVALID_CURSOR,
        "`cursor` is not one this API gave out; start again without it and follow `next_cursor`.",
    )
