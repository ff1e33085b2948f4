"""Reading segments: the origin's JSON, JSONL and CSV/TSV, and clear errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from translation.sources import Segment, SourceError, load_segments, write_segments


def test_reads_the_origin_json_shape(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text(
        json.dumps({"segments": [{"id": 1, "text": "واش راك"}, {"id": "b", "text": "wach"}]}), encoding="utf-8"
    )
    assert load_segments(path) == [Segment(1, "واش راك"), Segment("b", "wach")]


def test_reads_jsonl_with_other_field_names(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text('{"msg_id": "a1", "body": "saha"}\n\n{"msg_id": "a2", "body": "صحا"}\n', encoding="utf-8")
    assert load_segments(path, id_field="msg_id", text_field="body") == [Segment("a1", "saha"), Segment("a2", "صحا")]


def test_reads_chosen_csv_columns_with_excel_bom(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text('\ufeffkey,lang,message\n7,dz,"wach, rak"\n8,dz,كيراك\n', encoding="utf-8")
    assert load_segments(path, id_field="key", text_field="message") == [
        Segment("7", "wach, rak"),
        Segment("8", "كيراك"),
    ]


def test_written_segments_read_back_in_every_format(tmp_path: Path) -> None:
    segments = [Segment(1, 'واش, "راك"'), Segment("x", "3lach\tla")]
    for name in ("a.json", "a.jsonl", "a.csv", "a.tsv"):
        write_segments(tmp_path / name, segments)
        read = load_segments(tmp_path / name)
        assert [(s.key, s.text) for s in read] == [(s.key, s.text) for s in segments], name


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.csv", "id,body\n1,x\n", "no column 'text'; its columns are 'id', 'body'"),
        ("a.jsonl", '{"id": 1, "text": "x"}\n{"id": 2, "text": \n', "a.jsonl:2 is not valid JSON"),
        ("a.json", '{"segments": [{"id": 1, "text": "x"}, {"id": 1, "text": "y"}]}', "repeated id(s) ('1')"),
        ("a.json", '{"segments": [{"id": 1, "text": null}]}', "'text' must be a string"),
        ("a.json", '{"segments": [{"id": true, "text": "x"}]}', "id must be a non-empty string or an integer"),
        ("a.json", '{"rows": []}', 'expected {"segments"'),
        ("a.txt", "hello", "pass --format"),
    ],
)
def test_bad_input_is_refused_with_the_problem_and_the_fix(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_segments(path)
    assert expected in str(caught.value)


def test_repeated_ids_point_to_clean(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": 1, "text": "x"}\n{"id": "1", "text": "y"}\n', encoding="utf-8")
    with pytest.raises(SourceError, match="python -m translation clean"):
        load_segments(path)
    assert len(load_segments(path, unique=False)) == 2
