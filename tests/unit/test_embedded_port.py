"""Every command finds the embedded database where ``make run`` put it (``HADRA_MONGO_PORT``): the
finetune CLIs read and wrote the default port's database, another install's, whatever it said."""

from __future__ import annotations

import pytest

from embedded import mongo
from finetune.__main__ import _mongo_uri


def test_the_finetune_commands_use_the_configured_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MONGODB_URI", raising=False)
    monkeypatch.setenv("HADRA_MONGO_PORT", "28123")
    assert mongo.configured_port() == 28123
    assert _mongo_uri() == mongo.uri(28123)
    monkeypatch.delenv("HADRA_MONGO_PORT")
    assert _mongo_uri() == mongo.uri(mongo.DEFAULT_PORT)
    monkeypatch.setenv("MONGODB_URI", "mongodb://db.example:27017/hadra")
    assert _mongo_uri() == "mongodb://db.example:27017/hadra"
