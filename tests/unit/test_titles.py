"""A conversation's title from its first question (chat/titles.py): pure, no server."""

from __future__ import annotations

import pytest

from chat.titles import MAX_CHARS, title_from


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("What is a cat?", "What is a cat?"),
        ("  what\n\tis   this?  ", "what is this?"),
        ("**Explain** `asyncio` in _short_", "Explain asyncio in short"),
        ("# Heading\n> quoted [link]", "Heading quoted link"),
        ("é" * MAX_CHARS, "é" * MAX_CHARS),  # characters are counted, not UTF-8 bytes
    ],
)
def test_a_short_question_is_its_own_title_without_markdown_or_extra_whitespace(question, title) -> None:
    assert title_from(question) == title


@pytest.mark.parametrize(
    ("question", "title"),
    [
        (
            "Explain the difference between threads and processes in Python, with examples",
            "Explain the difference between threads and…",
        ),
        ("a" * 100, "a" * MAX_CHARS + "…"),  # one long word: cut inside it
        ("x" * 44 + ", yy zzzzzzzz", "x" * 44 + "…"),  # no comma before the ellipsis
    ],
)
def test_a_long_question_is_cut_at_a_word_with_an_ellipsis(question, title) -> None:
    assert title_from(question) == title


@pytest.mark.parametrize(
    ("question", "title"),
    [
        # The cut falls right after an Arabic comma (،), which goes like a Latin one.
        (
            "ما هو أفضل وقت لزيارة المتحف الوطني في الرياض، وهل يجب الحجز مسبقا؟",
            "ما هو أفضل وقت لزيارة المتحف الوطني في الرياض…",
        ),
        # An Arabic comma inside the title stays; the cut is at a space, between words.
        (
            "كيف أكتب دالة بايثون تقرأ ملفا، ثم تحسب عدد الكلمات فيه بسرعة؟",
            "كيف أكتب دالة بايثون تقرأ ملفا، ثم تحسب عدد…",
        ),
        ("مرحبا  بالعالم\n", "مرحبا بالعالم"),
    ],
)
def test_right_to_left_questions_keep_their_words_in_order(question, title) -> None:
    assert title_from(question) == title


@pytest.mark.parametrize("question", ["x " * 200, "ب" * 300, "word, " * 40])
def test_no_title_is_longer_than_the_limit_and_its_ellipsis(question) -> None:
    title = title_from(question)
    assert title is not None and len(title) <= MAX_CHARS + 1


@pytest.mark.parametrize("question", ["", "   \n\t", "**``**", "# > [ ]"])
def test_a_question_with_no_words_leaves_the_chat_untitled(question) -> None:
    assert title_from(question) is None  # each client shows its own words for an untitled chat
