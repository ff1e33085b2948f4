"""``python -m django export_user --username NAME [--output FILE]`` (with
DJANGO_SETTINGS_MODULE=asgi_app.settings; ``python -m embedded manage export_user …`` on the
embedded install): one account's data for a data request, for operators without a browser.

The same ``hadra.account`` file as the owner's own download and the admin page's (one builder,
api/account_export.py), written to FILE (created readable by its owner only: it holds personal
data) or to stdout. Recorded in the audit log like the admin page's download, by "command line".
"""

from __future__ import annotations

import asyncio
import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from api.account_export import account_export
from models import AuditEntry, User, close_db, init_db

ACTOR = "command line"


class Command(BaseCommand):
    help = "Write one account's data (the hadra.account export format) to a file or stdout."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--output", default="-", help="A new file to write; '-' (default) for stdout.")

    def handle(self, *args, username: str, output: str, **options) -> None:
        asyncio.run(_export(username, output))
        if output != "-":
            self.stderr.write(f"Wrote the data of {username} to {output}.")


async def _export(username: str, output: str) -> None:
    """Written first, then recorded: the audit log never claims a download that did not happen."""
    await init_db(settings.MONGODB_URI)
    try:
        user = await User.by_username(username)
        if user is None:
            raise CommandError(f"No account {username!r}.")
        doc = await account_export(user)
        await asyncio.to_thread(_write, output, doc.model_dump_json())
        await AuditEntry.record(
            None,
            ACTOR,
            "user.export",
            target=str(user.id),
            details={"username": user.username, "conversations": len(doc.conversations)},
        )
    finally:
        await close_db()


def _write(output: str, text: str) -> None:
    if output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise CommandError(f"{output} exists already; name a new file.") from None
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
