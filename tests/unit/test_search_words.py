"""The one normalisation search uses (models/search_words.py), on the scripts hadra's users write."""

from __future__ import annotations

from models.search_words import MAX_WORD_CHARS, Terms, search_words, snippet


def test_arabic_letter_variants_diacritics_and_tatweel_fold() -> None:
    assert search_words("أَهْلاً بِكُمْ فِي المَدْرَسَةِ") == ["اهلا", "بكم", "في", "المدرسه"]
    assert search_words("إسلام آمن ٱلله") == ["اسلام", "امن", "الله"]
    assert search_words("مستشفى إلى") == ["مستشفي", "الي"]
    assert search_words("جميـــــل") == ["جميل"]
    # One word however it is written: with or without hamza, harakat, taa marbuta or alef maqsura.
    assert search_words("المدرسة") == search_words("المدرسه") == search_words("ٱلْمَدْرَسَة")


def test_darija_in_latin_letters_keeps_its_digits_inside_words() -> None:
    assert search_words("3lach ma jitich? s7a7, 9alb, 5ouya, 2ahlan") == [
        "3lach",
        "ma",
        "jitich",
        "s7a7",
        "9alb",
        "5ouya",
        "2ahlan",
    ]
    assert search_words("3ayla") != search_words("ayla")


def test_french_accents_and_case_fold() -> None:
    assert search_words("L'été, Ça VA ? Élève façade") == ["l", "ete", "ca", "va", "eleve", "facade"]
    assert search_words("ÉTÉ") == search_words("été") == search_words("e\u0301te\u0301") == ["ete"]


def test_english_case_punctuation_and_numbers() -> None:
    assert search_words("Hello, WORLD! It's 2026 (new-year) hello") == [
        "hello",
        "world",
        "it",
        "s",
        "2026",
        "new",
        "year",
    ]
    assert search_words("snake_case ٢٠٢٦") == ["snake", "case", "2026"]
    assert search_words("   ") == [] and search_words("🙂 — !!") == []


def test_compatibility_forms_are_plain_letters() -> None:
    assert search_words("ﬁne ＡＢＣ straße ﻻ") == ["fine", "abc", "strasse", "لا"]


def test_long_words_are_cut_for_the_text_and_the_query_alike() -> None:
    long_word = "a" * 100
    assert search_words(long_word) == ["a" * MAX_WORD_CHARS]
    assert Terms.of(long_word).prefix == "a" * MAX_WORD_CHARS


def test_a_query_is_every_word_with_the_last_one_as_a_prefix() -> None:
    terms = Terms.of("Été ÇA et")
    assert terms.exact == ("ete", "ca") and terms.prefix == "et"
    assert terms.match(["ca", "ete", "etoile"]) and terms.match(["ca", "ete"])
    assert not terms.match(["ca", "etoile"])
    assert not Terms.of("  \t ") and not Terms.of("?!")


def test_the_snippet_is_the_original_text_around_the_first_match() -> None:
    text = "Intro. " * 40 + "Nous avons parlé de l'ÉTÉ\n\nà Oran." + " Fin." * 60
    shown = snippet(text, Terms.of("ete"))
    assert len(shown) <= 160
    assert "parlé de l'ÉTÉ à Oran." in shown and shown.startswith("…") and shown.endswith("…")
    arabic = snippet("مقدمة " * 50 + "في المَدْرَسَة الكبيرة", Terms.of("المدرسه"))
    assert "في المَدْرَسَة الكبيرة" in arabic and len(arabic) <= 160
    assert snippet("short text", Terms.of("text")) == "short text"
    assert snippet("no match here", Terms.of("zzz")) == "no match here"
