"""The numbers shown under an answer: time to first token, total time, tokens and speed.

Ollama reports its counts only at the end of an answer that finished; for one that did not
(stopped, failed) the streamed pieces are counted instead (Ollama sends one per token), so users
still see the speed. Times are passed in (seconds on a monotonic clock), so this is pure.
"""

from __future__ import annotations

from contract.documents import Stats
from ollama_gateway import ChatStats


class StatsMeter:
    def __init__(self, started: float) -> None:
        self._started = started
        self._pieces = 0
        self._stats = Stats()

    def piece(self, now: float) -> None:
        """A piece of text arrived at ``now``."""
        self._pieces += 1
        if self._stats.ttft_ms is None:
            self._stats.ttft_ms = _ms(now - self._started)

    def reported(self, reported: ChatStats) -> None:
        """Ollama's own figures, from the last chunk of a finished answer."""
        self._stats.eval_count = reported.eval_count
        self._stats.prompt_eval_count = reported.prompt_eval_count
        self._stats.tokens_per_s = round(reported.tokens_per_s, 1) if reported.tokens_per_s else None
        self._stats.load_ms = round(reported.load_duration / 1e6, 1) if reported.load_duration else None

    def result(self, now: float) -> Stats:
        """The answer's stats as it ends at ``now``."""
        stats = self._stats.model_copy()
        stats.total_ms = _ms(now - self._started)
        if stats.eval_count is None and self._pieces and stats.ttft_ms is not None:
            stats.eval_count = self._pieces
            generating_s = (stats.total_ms - stats.ttft_ms) / 1000
            measurable = self._pieces > 1 and generating_s > 0
            stats.tokens_per_s = round((self._pieces - 1) / generating_s, 1) if measurable else None
        return stats


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)
