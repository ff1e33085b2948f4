"""The append-only JSONL files a run writes, and what they tell a rerun.

Why append-only with an fsync per write: the origin rewrote its whole output after every item,
so a crash mid-write could lose everything, and the cost grew with the file. Here a finished
request costs one ``write`` + ``fsync`` of its own records; a kill -9 or a power cut can only
leave a torn last line, which ``open_store`` cuts off (that request is simply redone). The
files are the resume state: an id found in them is done.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path


class StoreError(RuntimeError):
    """An output file is damaged in a way a crash cannot cause; the message says where."""


@dataclass
class Store:
    """One append-only JSONL file, opened for appending by ``open_store``."""

    path: Path
    keys: set[str] = field(default_factory=set)  # ids already recorded, as strings
    repaired_bytes: int = 0  # size of the torn last line removed on open
    _fd: int | None = None

    def append(self, records: Iterable[Mapping[str, object]]) -> None:
        """Write ``records`` as JSON lines and fsync before returning: once this returns they
        survive a crash. Raises if a record's id is already in the file (no duplicates, ever)."""
        lines, new_keys = [], []
        for record in records:
            key = str(record["id"])
            if key in self.keys or key in new_keys:
                raise StoreError(f"id {key!r} is already recorded in {self.path}")
            new_keys.append(key)
            lines.append(json.dumps(record, ensure_ascii=False) + "\n")
        if not lines:
            return
        if self._fd is None:
            raise StoreError(f"{self.path} is closed")
        data = "".join(lines).encode("utf-8")
        written = 0
        while written < len(data):
            written += os.write(self._fd, data[written:])
        os.fsync(self._fd)
        self.keys.update(new_keys)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def open_store(path: Path) -> Store:
    """Open ``path`` for appending (creating it and its folder), cut a torn last line left by a
    crash, and load the ids it holds. A damaged line anywhere else is an error, not something
    to guess around."""
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    store = Store(path)
    store.repaired_bytes = _cut_torn_tail(path) if not created else 0
    store.keys = _read_keys(path) if not created else set()
    store._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    if created:
        _fsync_dir(path.parent)  # the new file's name must survive a crash too
    return store


def read_records(path: Path) -> list[dict[str, object]]:
    """Every complete record of a store file (a torn last line is ignored, not repaired)."""
    if not path.exists():
        return []
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.endswith("\n"):
                break
            if line.strip():
                records.append(_parse(path, number, line))
    return records


def _read_keys(path: Path) -> set[str]:
    return {str(record["id"]) for record in read_records(path)}


def _parse(path: Path, number: int, line: str) -> dict[str, object]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        record = None
    if not isinstance(record, dict) or "id" not in record:
        raise StoreError(
            f"{path}:{number} is not a record this tool wrote; the file was edited or "
            "damaged. Fix or delete that line, then rerun"
        )
    return record


def _cut_torn_tail(path: Path) -> int:
    """Truncate after the last newline; returns how many bytes were cut."""
    with path.open("rb+") as handle:
        size = handle.seek(0, os.SEEK_END)
        end = size
        while end > 0:
            start = max(0, end - 65536)
            handle.seek(start)
            chunk = handle.read(end - start)
            if end == size and chunk.endswith(b"\n"):
                return 0
            newline = chunk.rfind(b"\n")
            if newline >= 0:
                end = start + newline + 1
                break
            end = start
        if end < size:
            handle.truncate(end)
            handle.flush()
            os.fsync(handle.fileno())
        return size - end


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
