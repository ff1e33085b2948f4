"""Errors a frame can end in before it reaches chat/: each with a stable code and a message for people."""

from __future__ import annotations


class FrameError(Exception):
    """Raised while parsing; the consumer answers with an ``error`` frame and keeps the socket."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
