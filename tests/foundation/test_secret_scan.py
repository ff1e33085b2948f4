"""The CI secret scan catches a committed key and passes a clean tree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCANNER = Path(__file__).resolve().parents[2] / "scripts" / "secret_scan.py"


def _repo(tmp_path: Path, content: str) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "secret_scan.py").write_text(SCANNER.read_text())
    (tmp_path / "app.py").write_text(content)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    return tmp_path


def _scan(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(root / "scripts" / "secret_scan.py")], capture_output=True, text=True)


def test_a_committed_groq_key_fails_the_scan(tmp_path: Path) -> None:
    fake_key = "gsk_" + "A1b2C3d4" * 4  # built at run time so this file itself stays clean
    result = _scan(_repo(tmp_path, f'client = Groq(api_key="{fake_key}")\n'))
    assert result.returncode == 1
    assert "app.py:1: looks like a Groq key" in result.stderr


def test_a_clean_tree_passes(tmp_path: Path) -> None:
    result = _scan(_repo(tmp_path, 'client = Groq(api_key=os.environ["GROQ_API_KEY"])\n'))
    assert result.returncode == 0, result.stderr
