"""The append-only store: durable appends, torn-tail repair, no duplicates, loud on damage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from translation.store import StoreError, open_store, read_records


def test_appends_survive_reopening_and_ids_are_remembered(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "out.jsonl"
    store = open_store(path)
    store.append([{"id": 1, "translation": "Hi."}, {"id": "b", "translation": "Yes."}])
    store.close()
    reopened = open_store(path)
    assert reopened.keys == {"1", "b"} and reopened.repaired_bytes == 0
    reopened.append([{"id": 2, "translation": "No."}])
    reopened.close()
    assert [r["id"] for r in read_records(path)] == [1, "b", 2]


def test_a_torn_last_line_is_cut_and_its_segment_is_not_counted_done(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    good = json.dumps({"id": 1, "translation": "Hi."}) + "\n"
    torn = '{"id": 2, "transla'
    path.write_text(good + torn, encoding="utf-8")
    store = open_store(path)
    assert store.repaired_bytes == len(torn)
    assert store.keys == {"1"}
    store.append([{"id": 2, "translation": "Bye."}])
    store.close()
    assert [json.loads(line)["id"] for line in path.read_text().splitlines()] == [1, 2]


def test_a_file_that_is_one_torn_line_becomes_empty(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text('{"id": 1, "tr', encoding="utf-8")
    store = open_store(path)
    store.close()
    assert store.keys == set() and path.read_bytes() == b""


def test_a_damaged_line_in_the_middle_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text('{"id": 1}\nnot json\n{"id": 3}\n', encoding="utf-8")
    with pytest.raises(StoreError, match=r"out\.jsonl:2 .*Fix or delete that line"):
        open_store(path)


def test_an_id_is_never_recorded_twice(tmp_path: Path) -> None:
    store = open_store(tmp_path / "out.jsonl")
    store.append([{"id": 1}])
    with pytest.raises(StoreError, match="already recorded"):
        store.append([{"id": "1"}])
    with pytest.raises(StoreError, match="already recorded"):
        store.append([{"id": 2}, {"id": 2}])
    store.close()
    assert read_records(tmp_path / "out.jsonl") == [{"id": 1}]
