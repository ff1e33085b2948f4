"""Tokens into deltas (chat/coalescer.py): when a delta is due, what it holds, and what clients
have been sent, with the time passed in; no channel layer, no server."""

from __future__ import annotations

import pytest

from chat.coalescer import Coalescer, Delta

INTERVAL = 0.04


def test_the_first_piece_is_due_at_once() -> None:
    deltas = Coalescer(INTERVAL)
    assert deltas.due_in(100.0) is None  # nothing to send yet
    deltas.append("Hel")
    assert deltas.due_in(100.0) == 0
    assert deltas.take(100.0) == Delta(seq=1, text="Hel")


def test_later_pieces_wait_for_the_interval_and_go_out_together() -> None:
    deltas = Coalescer(INTERVAL)
    deltas.append("a")
    deltas.sent(_take(deltas, 10.0))
    deltas.append("b")
    deltas.append("c")
    assert deltas.due_in(10.01) == pytest.approx(0.03)
    assert deltas.due_in(10.04) == 0
    assert deltas.due_in(11.0) == 0  # late (a busy loop): due, never negative
    assert deltas.take(11.0) == Delta(seq=2, text="bc")


def test_seq_counts_the_deltas_sent_and_sent_text_is_their_text() -> None:
    deltas = Coalescer(INTERVAL)
    for now, piece in enumerate(["one ", "two ", "three"]):
        deltas.append(piece)
        deltas.sent(_take(deltas, float(now)))
    assert deltas.seq == 3
    assert deltas.sent_text == deltas.text == "one two three"
    assert deltas.take(10.0) is None and deltas.due_in(10.0) is None


def test_a_piece_that_could_not_be_sent_leads_the_next_delta_under_the_same_seq() -> None:
    deltas = Coalescer(INTERVAL)
    deltas.append("first ")
    deltas.sent(_take(deltas, 0.0))
    deltas.append("lost ")
    failed = _take(deltas, 1.0)
    deltas.put_back(failed)
    deltas.append("later")
    assert deltas.seq == 1 and deltas.sent_text == "first "
    retried = _take(deltas, 2.0)
    assert retried == Delta(seq=2, text="lost later")
    deltas.sent(retried)
    assert deltas.sent_text == deltas.text == "first lost later"


def test_pieces_arriving_while_a_delta_is_in_flight_wait_for_the_next_one() -> None:
    deltas = Coalescer(INTERVAL)
    deltas.append("a")
    in_flight = _take(deltas, 0.0)
    deltas.append("b")
    assert deltas.pending == "b"
    assert deltas.sent_text == ""  # the delta in flight is not sent yet: a sync must not include it
    with pytest.raises(RuntimeError):
        deltas.take(1.0)  # one delta at a time
    deltas.sent(in_flight)
    assert deltas.sent_text == "a"
    assert _take(deltas, 1.0) == Delta(seq=2, text="b")


def test_a_failed_delta_counts_for_the_interval() -> None:
    """Redis away: retrying at every token would send nothing faster and cost a send per token."""
    deltas = Coalescer(INTERVAL)
    deltas.append("a")
    deltas.put_back(_take(deltas, 5.0))
    deltas.append("b")
    assert deltas.due_in(5.01) == pytest.approx(0.03)


def test_only_the_delta_in_flight_can_be_confirmed_or_put_back() -> None:
    deltas = Coalescer(INTERVAL)
    deltas.append("a")
    with pytest.raises(RuntimeError):
        deltas.sent(Delta(seq=1, text="a"))
    taken = _take(deltas, 0.0)
    deltas.sent(taken)
    with pytest.raises(RuntimeError):
        deltas.put_back(taken)  # already sent: putting it back would send its text twice


def test_arabic_and_emoji_pieces_keep_their_order() -> None:
    deltas = Coalescer(INTERVAL)
    pieces = ["مرحبا", " بك", " 👋🏽", "!"]
    for now, piece in enumerate(pieces):
        deltas.append(piece)
        delta = _take(deltas, float(now))
        if now == 1:
            deltas.put_back(delta)
        else:
            deltas.sent(delta)
    assert deltas.sent_text == "".join(pieces) and deltas.seq == 3


def _take(deltas: Coalescer, now: float) -> Delta:
    delta = deltas.take(now)
    assert delta is not None
    return delta
