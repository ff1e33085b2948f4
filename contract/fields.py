"""Field types the frames and bodies share: ids, model names, user text and the bounds on them."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

# Bounds on what a single request may carry; the request body and frame limits bound the rest.
MAX_SYSTEM_PROMPT_CHARS = 32_000
MAX_NOTE_CHARS = 2_000
MAX_IMPORT_MESSAGES = 10_000
MAX_IMPORT_CONTENT_CHARS = 1_000_000
# MongoDB stores integers in 64 bits; a larger one cannot be saved at all.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def _whole_characters(value: str) -> str:
    """JSON can spell half a UTF-16 pair (``"\\ud800"``); such text cannot be stored or shown."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError(
            "lone_surrogate", "text contains a lone surrogate (half of a UTF-16 pair); send whole characters"
        ) from None
    return value


def storable(value: object) -> object:
    """A number JSON and MongoDB can both hold: finite (JSON has no NaN or Infinity, so a stored one
    could never be sent to a browser) and, for an integer, within MongoDB's 64 bits."""
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("finite_number", "must be a finite number, not NaN or Infinity")
    if isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
        raise PydanticCustomError("int64", "must be an integer between -2^63 and 2^63-1 (what MongoDB stores)")
    return value


def _in_utc(value: datetime) -> datetime:
    """MongoDB stores UTC: a time whose UTC reading is before year 1 or after 9999 cannot be stored."""
    try:
        return value.astimezone(UTC) if value.tzinfo else value
    except OverflowError:
        raise PydanticCustomError("utc_range", "must lie between years 1 and 9999 in UTC") from None


Text = Annotated[str, AfterValidator(_whole_characters)]
ObjectIdStr = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{24}$")]
RequestId = Annotated[Text, StringConstraints(max_length=100)]
ModelName = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._:/@+-]+$")]
Username = Annotated[str, StringConstraints(min_length=3, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")]
Password = Annotated[str, StringConstraints(min_length=8, max_length=1024)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
SystemPrompt = Annotated[str, StringConstraints(max_length=MAX_SYSTEM_PROMPT_CHARS)]
Note = Annotated[str, StringConstraints(max_length=MAX_NOTE_CHARS)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
StorableTime = Annotated[datetime, AfterValidator(_in_utc)]
# An account's interface language and colour scheme (stored as sent, read by every client).
Language = Literal["en", "fr", "ar"]
Theme = Literal["system", "light", "dark"]
