"""Answer validation: only trustworthy translations get through, each rejection has a reason."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from translation.sources import Segment
from translation.validate import check_translation, validate_answer

BATCH = [Segment(1, "wach rak khouya"), Segment(2, "واش راك"), Segment("x", "3lach ma jitch?")]
GOOD = {"1": "How are you, brother?", "2": "How are you?", "x": "Why didn't you come?"}


def test_a_correct_answer_is_accepted_whole() -> None:
    verdict = validate_answer(json.dumps(GOOD), BATCH)
    assert verdict.accepted == GOOD and verdict.rejected == {}


def test_chatter_around_the_json_rejects_the_whole_answer() -> None:
    verdict = validate_answer("Here is the translation:\n" + json.dumps(GOOD), BATCH)
    assert verdict.accepted == {}
    assert set(verdict.rejected) == {"1", "2", "x"}
    assert "not a bare JSON object" in verdict.rejected["1"]


def test_extra_or_repeated_ids_reject_the_whole_answer() -> None:
    extra = validate_answer(json.dumps({**GOOD, "9": "Hello."}), BATCH)
    assert extra.accepted == {} and "not asked for: 9" in extra.rejected["2"]
    repeated = validate_answer('{"1": "Hi.", "1": "Hello.", "2": "How are you?", "x": "Why?"}', BATCH)
    assert repeated.accepted == {} and "repeats id(s) 1" in repeated.rejected["x"]


def test_missing_and_bad_values_are_rejected_one_by_one() -> None:
    answer = {"1": "Here is the translation: how are you", "2": "واش راك"}
    verdict = validate_answer(json.dumps(answer, ensure_ascii=False), BATCH)
    assert verdict.accepted == {}
    assert verdict.rejected["x"] == "id missing from the answer"
    assert verdict.rejected["1"].startswith("chatter")
    assert verdict.rejected["2"] == "echoed the source text instead of translating it"


def test_values_that_are_not_english_text_are_rejected() -> None:
    assert check_translation("wach", 3) == "translation is int, not a string"
    assert check_translation("wach", "  ") == "empty translation"
    assert check_translation("wach rak", "راك لاباس") == "not English: mostly Arabic script"
    echo = check_translation("wach rak khouya", "WACH RAK, khouya!")
    assert echo == "echoed the source text instead of translating it"
    assert "chatter" in (check_translation("saha", "Sure! Here is what it means") or "")
    assert "chatter" in (check_translation("saha", "I cannot translate this text.") or "")


def test_ordinary_sentences_that_sound_like_chatter_pass() -> None:
    for honest in (
        "Sure, I'll come tomorrow.",
        "Sorry, I can't make it.",
        "Here is my house.",
        "Okay, see you there.",
        "The word Algeria is written الجزائر.",
    ):
        assert check_translation("kelma", honest) is None, honest


@given(st.text(alphabet=st.sampled_from("abcdefghij3579 واشرك"), min_size=1).filter(lambda t: t.strip()))
def test_a_copy_of_the_source_is_never_accepted(text: str) -> None:
    assert check_translation(text, text) is not None
