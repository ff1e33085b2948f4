"""Loaded at start-up by a hadra server under test (PYTHONPATH): records every MongoDB query it
makes to HADRA_TEST_QUERY_LOG, so a test can ask the server how each one is answered."""

import os

from bson import json_util
from pymongo import monitoring

_READS = {"find", "count", "delete", "update", "findAndModify", "aggregate", "distinct"}


class _Recorder(monitoring.CommandListener):
    def __init__(self, path: str) -> None:
        self.path = path

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name in _READS:
            with open(self.path, "a", encoding="utf-8") as log:
                log.write(json_util.dumps({"db": event.database_name, "command": event.command}) + "\n")

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


if os.environ.get("HADRA_TEST_QUERY_LOG"):
    monitoring.register(_Recorder(os.environ["HADRA_TEST_QUERY_LOG"]))
