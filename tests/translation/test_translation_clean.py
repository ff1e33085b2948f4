"""Cleaning: what goes (links, mentions, emojis, noise, empties, repeats) and what stays."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.translation.conftest import cli
from translation.clean import clean_segments, clean_text
from translation.sources import Segment

ARABIC_LETTERS = [chr(c) for c in range(0x0621, 0x064B) if unicodedata.category(chr(c)) == "Lo" and c != 0x0640]
LATIN_LETTERS = list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèàçêôù")
EMOJIS = ["😂", "❤️", "🔥", "👍🏽", "🇩🇿", "👨‍👩‍👧"]


def test_strips_links_mentions_emojis_and_noise() -> None:
    removed: Counter[str] = Counter()
    text = "@amine wach rak 😂😂 https://t.co/xYz www.site.dz #دزاير_بلادي!!!  زيـــن ♫ 你好"
    assert clean_text(text, removed) == "wach rak دزاير بلادي! زين"
    assert removed["links"] == 2
    assert removed["mentions"] == 1
    assert removed["emojis"] >= 2
    assert removed["noise characters"] >= 3  # tatweel, the Chinese letters


def test_keeps_arabizi_digits_french_accents_and_harakat() -> None:
    assert clean_text("3lach ma jitch l'école 7bibi?") == "3lach ma jitch l'école 7bibi?"
    assert clean_text("مَرْحبا") == "مَرْحبا"


def test_folds_presentation_forms_to_plain_letters() -> None:
    assert clean_text("ﻻ باس") == "لا باس"


@given(st.lists(st.sampled_from([*ARABIC_LETTERS, *LATIN_LETTERS, " ", "  ", *EMOJIS]), max_size=60))
def test_every_arabic_and_latin_letter_survives_in_order(pieces: list[str]) -> None:
    text = "".join(pieces)
    letters = [char for char in text if char in ARABIC_LETTERS or char in LATIN_LETTERS]
    cleaned = clean_text(text)
    assert [char for char in cleaned if not char.isspace()] == letters
    assert "  " not in cleaned and cleaned == cleaned.strip()


def test_drops_empties_and_repeats_with_reasons() -> None:
    segments = [
        Segment(1, "Wach rak"),
        Segment(2, "😂😂"),
        Segment(3, "wach   rak!!"),
        Segment(4, "wach rak"),
        Segment(1, "other text, same id"),
        Segment(5, "https://t.co/x"),
    ]
    kept, report = clean_segments(segments)
    assert kept == [Segment(1, "Wach rak"), Segment(3, "wach rak!")]
    reasons = {(d.segment.key, d.reason) for d in report.dropped}
    assert reasons == {
        ("2", "no letters left after cleaning"),
        ("4", "same text as id 1"),
        ("1", "repeated id"),
        ("5", "no letters left after cleaning"),
    }


def test_clean_command_writes_kept_and_dropped_and_reports(tmp_path: Path) -> None:
    source = tmp_path / "raw.csv"
    source.write_text("msg,body\n1,wach rak 😂 @x\n2,😂\n3,wach rak\n", encoding="utf-8")
    result = cli("clean", str(source), str(tmp_path / "clean.jsonl"), "--id-field", "msg", "--text-field", "body")
    assert result.returncode == 0, result.stderr
    kept = [json.loads(line) for line in (tmp_path / "clean.jsonl").read_text(encoding="utf-8").splitlines()]
    assert kept == [{"id": "1", "text": "wach rak"}]
    dropped = [json.loads(line) for line in (tmp_path / "clean.dropped.jsonl").read_text().splitlines()]
    assert [(d["id"], d["reason"]) for d in dropped] == [
        ("2", "no letters left after cleaning"),
        ("3", "same text as id 1"),
    ]
    assert "segments kept" in result.stdout and "emojis removed" in result.stdout
    assert (tmp_path / "raw.csv").read_text(encoding="utf-8").startswith("msg,body")  # input untouched
