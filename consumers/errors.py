"""Errors a frame can end in, each with a stable code for clients and a message for people."""

from __future__ import annotations


class FrameError(Exception):
    """Raised by a handler; the consumer answers with an ``error`` frame and keeps the socket."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def not_found(what: str = "conversation") -> FrameError:
    # The same answer for "does not exist" and "belongs to someone else": ids reveal nothing.
    return FrameError("not_found", f"No such {what}.")
