"""Make users and API tokens straight in the database, for tests that are not about accounts."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher

from access.auth import TOKEN_PREFIX, token_digest
from models import ApiToken, User


@cache
def _unusable_password_hash() -> str:
    """A real hash of a password nobody knows, made once: these users never sign in with a password,
    and a hash costs most of a second of CPU (more than many tests take)."""
    return PasswordHasher().hash(secrets.token_urlsafe(12))


async def make_user(prefix: str = "user", *, is_staff: bool = False) -> User:
    name = f"{prefix}-{secrets.token_hex(4)}"
    user = User(
        username=name,
        email=f"{name}@example.test",
        password_hash=_unusable_password_hash(),
        is_staff=is_staff,
    )
    return await user.insert()


async def make_token(user: User, name: str = "test") -> str:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    await ApiToken(user_id=user.id, token_sha256=token_digest(token), name=name).insert()
    return token
