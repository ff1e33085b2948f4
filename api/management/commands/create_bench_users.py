"""``python -m django create_bench_users --count N`` (with DJANGO_SETTINGS_MODULE=asgi_app.settings):
create N users, each with one API token, and print the tokens as a JSON list on stdout.

For load benchmarks (bench/capacity.py), which need hundreds of accounts: signing them up over the
HTTP API would meet the sign-up and token limits, which must stay as they are. The accounts are
written straight into the database instead, as an operator with database access could do anyway.
Their password is one random secret nobody is told, hashed once (argon2 costs most of a second a
hash), so none of them can sign in with a password; only the printed tokens open them.
"""

from __future__ import annotations

import asyncio
import json
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from access.auth import TOKEN_PREFIX, token_digest
from api.passwords import hash_password
from models import ApiToken, User, close_db, init_db

MAX_COUNT = 10_000


class Command(BaseCommand):
    help = "Create N users with one API token each (for load benchmarks); print the tokens as JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--prefix", default="bench", help="Usernames are PREFIX-<random>-<n>.")

    def handle(self, *args, count: int, prefix: str, **options) -> None:
        if not 1 <= count <= MAX_COUNT:
            raise CommandError(f"--count must be between 1 and {MAX_COUNT}.")
        self.stdout.write(json.dumps(asyncio.run(_create(count, prefix))))


async def _create(count: int, prefix: str) -> list[str]:
    await init_db(settings.MONGODB_URI)
    try:
        password_hash = await hash_password(secrets.token_urlsafe(24))
        batch = f"{User.fold(prefix)}-{secrets.token_hex(4)}"
        users = [
            User(username=f"{batch}-{n}", email=f"{batch}-{n}@example.test", password_hash=password_hash)
            for n in range(count)
        ]
        inserted = await User.insert_many(users)
        tokens = [TOKEN_PREFIX + secrets.token_urlsafe(32) for _ in range(count)]
        await ApiToken.insert_many(
            [
                ApiToken(user_id=user_id, token_sha256=token_digest(token), name="bench")
                for user_id, token in zip(inserted.inserted_ids, tokens, strict=True)
            ]
        )
        return tokens
    finally:
        await close_db()
