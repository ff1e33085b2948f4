"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile).

Hashing costs tens of milliseconds of CPU and 64 MiB on purpose, so it runs in a worker thread:
the event loop keeps streaming other users' answers meanwhile.
"""

from __future__ import annotations

import asyncio
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """False on a wrong password. With no hash (unknown user) a dummy hash is checked, so the
    answer takes as long as for a real account and timing does not reveal which usernames exist."""
    try:
        return await asyncio.to_thread(_hasher.verify, password_hash or _dummy_hash(), password) and (
            password_hash is not None
        )
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than today's (upgrade it on login)."""
    return _hasher.check_needs_rehash(password_hash)


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))
