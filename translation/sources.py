"""Reading the segments to translate from the files people actually have.

The origin project kept its data as ``{"segments": [{"id", "text"}]}``; exports from other
tools come as JSON Lines or spreadsheets (CSV/TSV). Every reader returns the same
``Segment`` list and refuses bad input with an error that names the record and the fix, so a
typo never turns into silently skipped data.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

FORMATS = ("json", "jsonl", "csv", "tsv")
_SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv"}


class SourceError(ValueError):
    """The input cannot be read as segments; the message names the problem and the fix."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One text to translate. ``id`` keeps the input's type (int or str) for the output record;
    ``key`` is its string form, used everywhere ids are compared (JSON object keys are strings)."""

    id: str | int
    text: str

    @property
    def key(self) -> str:
        return str(self.id)


def detect_format(path: Path, fmt: str | None = None) -> str:
    """The explicit ``fmt`` if given, else the format the file's suffix names."""
    if fmt:
        if fmt not in FORMATS:
            raise SourceError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
        return fmt
    try:
        return _SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise SourceError(
            f"cannot tell the format of {path} from its suffix {path.suffix!r}: "
            f"name it .json, .jsonl, .csv or .tsv, or pass --format {{{','.join(FORMATS)}}}"
        ) from None


def load_segments(
    path: Path, *, fmt: str | None = None, id_field: str = "id", text_field: str = "text", unique: bool = True
) -> list[Segment]:
    """All segments of ``path``. With ``unique`` (what ``run`` needs: the output is keyed by id),
    a repeated id is an error; ``clean`` reads with ``unique=False`` so it can drop repeats."""
    if not path.is_file():
        raise SourceError(f"input file {path} does not exist")
    kind = detect_format(path, fmt)
    if kind == "json":
        rows = _json_rows(path)
    elif kind == "jsonl":
        rows = _jsonl_rows(path)
    else:
        rows = _csv_rows(path, "\t" if kind == "tsv" else ",", (id_field, text_field))
    segments = [_segment(where, row, id_field, text_field) for where, row in rows]
    if unique:
        _reject_repeated_ids(path, segments)
    return segments


def _json_rows(path: Path) -> Iterator[tuple[str, object]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path} is not valid JSON ({exc}); fix the file or pass --format") from None
    items = data.get("segments") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise SourceError(f'{path}: expected {{"segments": [{{"id": …, "text": …}}, …]}} or a list of such objects')
    for number, item in enumerate(items, 1):
        yield f"{path}: segment {number}", item


def _jsonl_rows(path: Path) -> Iterator[tuple[str, object]]:
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield f"{path}:{number}", json.loads(line)
            except json.JSONDecodeError as exc:
                raise SourceError(f"{path}:{number} is not valid JSON ({exc.msg}); fix that line") from None


def _csv_rows(path: Path, delimiter: str, needed: Sequence[str]) -> Iterator[tuple[str, object]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        columns = reader.fieldnames or []
        missing = [name for name in needed if name not in columns]
        if missing:
            raise SourceError(
                f"{path} has no column {', '.join(map(repr, missing))}; its columns are "
                f"{', '.join(map(repr, columns)) or 'none'}: pass --id-field/--text-field"
            )
        for row in reader:
            yield f"{path}:{reader.line_num}", row


def _segment(where: str, row: object, id_field: str, text_field: str) -> Segment:
    if not isinstance(row, dict):
        raise SourceError(f"{where}: expected an object with {id_field!r} and {text_field!r}, got {type(row).__name__}")
    if id_field not in row or text_field not in row:
        raise SourceError(
            f"{where}: missing {id_field!r} or {text_field!r} (has {sorted(row)}); "
            "pass --id-field/--text-field if the names differ"
        )
    ident, text = row[id_field], row[text_field]
    if isinstance(ident, bool) or not isinstance(ident, int | str) or str(ident).strip() == "":
        raise SourceError(f"{where}: id must be a non-empty string or an integer, got {ident!r}")
    if not isinstance(text, str):
        raise SourceError(f"{where}: {text_field!r} must be a string, got {type(text).__name__}")
    return Segment(ident, text)


def _reject_repeated_ids(path: Path, segments: Iterable[Segment]) -> None:
    seen: set[str] = set()
    repeated: list[str] = []
    for segment in segments:
        if segment.key in seen:
            repeated.append(segment.key)
        seen.add(segment.key)
    if repeated:
        shown = ", ".join(map(repr, repeated[:5])) + (" …" if len(repeated) > 5 else "")
        raise SourceError(
            f"{path}: {len(repeated)} repeated id(s) ({shown}); ids must be unique. "
            "Fix the input, or run `python -m translation clean` to drop the repeats"
        )


def write_segments(path: Path, segments: Sequence[Segment], *, fmt: str | None = None) -> None:
    """Write segments in the format ``path`` names (same shapes ``load_segments`` reads)."""
    kind = detect_format(path, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [{"id": segment.id, "text": segment.text} for segment in segments]
    if kind == "json":
        path.write_text(json.dumps({"segments": rows}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    elif kind == "jsonl":
        path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, ["id", "text"], delimiter="\t" if kind == "tsv" else ",")
            writer.writeheader()
            writer.writerows(rows)
