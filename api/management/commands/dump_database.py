"""``python -m django dump_database --output FILE`` (with DJANGO_SETTINGS_MODULE=asgi_app.settings;
``python -m embedded manage dump_database …`` on the embedded install): every collection of
hadra's database (MONGODB_URI) into one gzip archive (models/backup.py), or to stdout with
``--output -``. Restored by ``restore_database``.

For the embedded database, where no ``mongodump`` can be had; it works against any MongoDB, but
there ``mongodump --archive --gzip --oplog`` takes a dump of one moment (README).
"""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from models.backup import dump


class Command(BaseCommand):
    help = "Dump hadra's whole database into one archive file (restore it with restore_database)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", required=True, help="A new file to write; '-' for stdout.")

    def handle(self, *args, output: str, **options) -> None:
        if output == "-":
            counts = dump(settings.MONGODB_URI, sys.stdout.buffer)
        else:
            try:
                # Created readable by its owner only: the archive holds every account and password hash.
                fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                raise CommandError(f"{output} exists already; name a new file.") from None
            with os.fdopen(fd, "wb") as out:
                counts = dump(settings.MONGODB_URI, out)
        self.stderr.write(f"Dumped {sum(counts.values())} documents of {len(counts)} collections.")
