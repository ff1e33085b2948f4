"""Log lines as operators read them: text by default, one JSON object a line with ``HADRA_LOG_FORMAT=json``,
and every line about an answer or a client's frame carrying its ``answer_id`` / ``request_id``.

Why context variables: the ids are known where an answer starts (``bind_answer``) or a frame arrives
(``bound_request``), not where a line is logged deep below; asyncio gives every task its own copy of
the context, so an id set in one answer's task is on that answer's lines only, and a task started
while a frame is handled (the answer it asked for) keeps that frame's request id.

What is never logged: message text, prompts, passwords, tokens or keys. The log calls pass ids,
statuses and error codes, and exceptions through :func:`reason`; daphne's access log goes through
:func:`access_log`, which leaves out the query string (a search's words travel in it).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS

_answer_id: ContextVar[str | None] = ContextVar("hadra_answer_id", default=None)
_request_id: ContextVar[str | None] = ContextVar("hadra_request_id", default=None)

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
access = logging.getLogger("hadra.access")


def bind_answer(answer_id: str) -> None:
    """Every line logged from now on in the current asyncio task (and the tasks it starts) carries ``answer_id``."""
    _answer_id.set(answer_id)


@contextlib.contextmanager
def bound_request(request_id: str | None) -> Iterator[None]:
    """Lines logged inside carry the client's ``request_id`` (when it sent one), and so do the
    tasks started inside, such as the answer a ``chat.send`` asked for."""
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)


class ContextIds(logging.Filter):
    """Puts the bound ids on each record (unless the call passed its own in ``extra``); on a handler,
    so it sees the records of every logger: Django's, daphne's and hadra's."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, var in (("answer_id", _answer_id), ("request_id", _request_id)):
            value = var.get()
            if value is not None and not hasattr(record, name):
                setattr(record, name, value)
        return True


def reason(exc: BaseException) -> str:
    """An exception as a log line may show it. A database's refusal (pymongo's ``OperationFailure``
    and its kind, which carry the server's reply as a ``details`` dict) quotes the documents or keys it
    was given, message text among them: only its class and code are shown. Anything else (a
    connection refused, a timeout) by its class and the first line of its message, which says
    where and why."""
    if isinstance(getattr(exc, "details", None), dict):
        return f"{type(exc).__name__} (code {getattr(exc, 'code', None)})"
    message = str(exc).partition("\n")[0][:300]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    """Django's LOGGING: one console handler for every logger, in ``log_format`` ("text" or "json")."""
    formatters: dict[str, dict[str, Any]] = {
        "text": {"format": TEXT_FORMAT},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message"],
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
            # Django puts the request on its lines; its repr has the query string (a search's words).
            "reserved_attrs": [*RESERVED_ATTRS, "request"],
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context_ids": {"()": ContextIds}},
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": log_format, "filters": ["context_ids"]}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "daphne": {"level": "WARNING"},
            "django.channels.server": {"level": "WARNING"},
            "httpx": {"level": "WARNING"},
            # Its DEBUG lines are the database commands, documents (message text) included.
            "pymongo": {"level": "WARNING"},
        },
    }


def access_log(protocol: str, action: str, details: dict[str, Any]) -> None:
    """daphne's access log (its ``action_logger``) as log records instead of lines printed to stdout:
    in the log's format, and without query strings."""
    path = str(details.get("path", "")).partition("?")[0]
    fields = {"client": details.get("client"), "path": path}
    if protocol == "http" and action == "complete":
        method, status = details.get("method"), details.get("status")
        extra = fields | {"method": method, "status": status}
        access.info("%s %s %s %s", fields["client"], method, path, status, extra=extra)
    elif protocol == "websocket":
        access.info("%s WS %s %s", fields["client"], action, path, extra=fields | {"action": action})
