"""``python -m django restore_database --input FILE [--drop]`` (with
DJANGO_SETTINGS_MODULE=asgi_app.settings; ``python -m embedded manage restore_database …`` on the
embedded install): an archive of ``dump_database`` into hadra's database (MONGODB_URI), from FILE
or stdin (``--input -``).

Stop hadra first (``make stop`` leaves nothing running; the command starts the embedded database
itself). Without ``--drop`` the database must hold no documents yet; with it, each collection in
the archive replaces the one there. Sessions and tokens are in the archive: API tokens keep
working, and browser sessions too where SECRET_KEY is the same.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from models.backup import ArchiveError, restore


class Command(BaseCommand):
    help = "Restore an archive of dump_database into hadra's database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--input", dest="source", required=True, help="The archive; '-' for stdin.")
        parser.add_argument("--drop", action="store_true", help="Replace the collections the archive holds.")

    def handle(self, *args, source: str, drop: bool, **options) -> None:
        try:
            if source == "-":
                counts = restore(settings.MONGODB_URI, sys.stdin.buffer, drop=drop)
            else:
                with open(source, "rb") as archive:
                    counts = restore(settings.MONGODB_URI, archive, drop=drop)
        except (ArchiveError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(f"Restored {sum(counts.values())} documents of {len(counts)} collections.")
