"""Tokens into deltas: the first piece goes out at once, then at most one delta every interval.

A fast model streams hundreds of tokens a second; one frame per token would flood every socket
watching the answer. The coalescer is pure bookkeeping (no tasks, no channel layer, no clock of
its own: the caller passes the time), so its rules are tested without a server:

- the first piece is due at once, later ones at most every ``interval_s`` after the last delta;
- a delta hands out all the pending text, with the next ``seq``;
- a delta that could not be sent is put back: its text goes out with the next one, in order,
  under the same ``seq``, so clients still see every piece once and in order;
- :attr:`sent_text` is what clients have been sent (the text of ``seq`` deltas), for ``message.sync``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

FLUSH_INTERVAL_S = 0.04


@dataclass(frozen=True, slots=True)
class Delta:
    seq: int
    text: str


class Coalescer:
    def __init__(self, interval_s: float = FLUSH_INTERVAL_S) -> None:
        self.interval_s = interval_s
        self.text = ""  # everything appended
        self.seq = 0  # deltas sent
        self._sent = 0  # length of the text in those deltas
        self._in_flight: Delta | None = None  # handed out, neither sent nor put back yet
        self._last_delta_at = -math.inf

    def append(self, piece: str) -> None:
        self.text += piece

    @property
    def sent_text(self) -> str:
        """What clients have been sent so far: the text of the ``seq`` deltas."""
        return self.text[: self._sent]

    @property
    def pending(self) -> str:
        """Appended and not handed out yet."""
        in_flight = len(self._in_flight.text) if self._in_flight else 0
        return self.text[self._sent + in_flight :]

    def due_in(self, now: float) -> float | None:
        """Seconds until a delta is due (0: now), or None when there is nothing to send."""
        if not self.pending:
            return None
        return max(0.0, self._last_delta_at + self.interval_s - now)

    def take(self, now: float) -> Delta | None:
        """The pending text as the next delta (None if there is none). One delta at a time: it must be
        confirmed with :meth:`sent` or returned with :meth:`put_back` before the next is taken."""
        if self._in_flight is not None:
            raise RuntimeError("the previous delta is neither sent nor put back")
        text = self.pending
        if not text:
            return None
        self._last_delta_at = now
        self._in_flight = Delta(seq=self.seq + 1, text=text)
        return self._in_flight

    def sent(self, delta: Delta) -> None:
        self._check(delta)
        self._in_flight = None
        self.seq = delta.seq
        self._sent += len(delta.text)

    def put_back(self, delta: Delta) -> None:
        """``delta`` was not sent: its text leads the next delta."""
        self._check(delta)
        self._in_flight = None

    def _check(self, delta: Delta) -> None:
        if delta is not self._in_flight:
            raise RuntimeError("not the delta in flight")
