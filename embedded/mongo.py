"""The embedded MongoDB-protocol server (SecantusDB), run as a separate process.

SecantusDB is GPL-2.0: we only ever talk to it over the wire, never import it.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from pymongo import MongoClient
from pymongo.errors import PyMongoError

from embedded.process import VAR_DIR, Service

NAME = "mongo"
DEFAULT_PORT = 27017


def configured_port() -> int:
    """The embedded server's port as every command reads it: ``HADRA_MONGO_PORT``, else 27017. One
    reading for ``make run``, ``python -m embedded`` and the finetune CLIs, so a second install on
    another port never reads or writes the first one's database."""
    return int(os.environ.get("HADRA_MONGO_PORT") or DEFAULT_PORT)


def uri(port: int) -> str:
    return f"mongodb://127.0.0.1:{port}/hadra?directConnection=true"


def _pings(port: int) -> bool:
    client: MongoClient = MongoClient(uri(port), serverSelectionTimeoutMS=300, connectTimeoutMS=300)
    try:
        client.admin.command("ping")
        return True
    except PyMongoError:
        return False
    finally:
        client.close()


def service(port: int = DEFAULT_PORT, var: Path = VAR_DIR, storage: str | None = None) -> Service:
    """``storage`` is a directory (default ``var/mongo``) or ``:memory:`` for a throwaway store."""
    binary = shutil.which("secantusd-py") or str(Path(sys.executable).parent / "secantusd-py")
    store = storage or str(var / "mongo")
    if store != ":memory:":
        Path(store).mkdir(parents=True, exist_ok=True)
    return Service(
        name=NAME,
        argv=[binary, "--host", "127.0.0.1", "--port", str(port), "--storage-path", store],
        ready=lambda: _pings(port),
        start_timeout=60,
    )
