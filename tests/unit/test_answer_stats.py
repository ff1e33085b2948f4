"""The numbers under an answer (chat/answer_stats.py), with the times passed in: Ollama's own
figures when it finished, counted pieces when it did not."""

from __future__ import annotations

from chat.answer_stats import StatsMeter
from ollama_gateway import ChatStats


def test_a_finished_answer_shows_ollamas_figures() -> None:
    meter = StatsMeter(started=10.0)
    meter.piece(10.25)
    meter.piece(10.5)
    meter.reported(
        ChatStats(
            eval_count=40,
            eval_duration=2_000_000_000,
            prompt_eval_count=12,
            prompt_eval_duration=1,
            load_duration=1_500_000_000,
            total_duration=1,
        )
    )
    stats = meter.result(12.0)
    assert (stats.ttft_ms, stats.total_ms) == (250.0, 2000.0)
    assert (stats.eval_count, stats.prompt_eval_count, stats.tokens_per_s, stats.load_ms) == (40, 12, 20.0, 1500.0)


def test_a_stopped_answer_counts_its_pieces() -> None:
    meter = StatsMeter(started=0.0)
    for now in (1.0, 1.5, 2.0, 2.5, 3.0):
        meter.piece(now)
    stats = meter.result(3.0)
    assert stats.ttft_ms == 1000.0 and stats.eval_count == 5
    assert stats.tokens_per_s == 2.0  # four pieces after the first, in two seconds


def test_an_answer_with_no_text_has_only_its_time() -> None:
    stats = StatsMeter(started=0.0).result(0.5)
    assert stats.total_ms == 500.0
    assert stats.ttft_ms is None and stats.eval_count is None and stats.tokens_per_s is None


def test_one_piece_gives_no_speed() -> None:
    meter = StatsMeter(started=0.0)
    meter.piece(0.2)
    stats = meter.result(1.0)
    assert stats.eval_count == 1 and stats.tokens_per_s is None
