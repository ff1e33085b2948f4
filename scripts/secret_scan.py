"""Fail when a tracked file holds something that looks like a key, token, password or private key.

The project this grew from leaked a Groq key in a script; secrets come from the environment only.
Runs over ``git ls-files`` (what would be committed) and prints file:line for each hit.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PATTERNS = {
    "Groq key": re.compile(r"gsk_[A-Za-z0-9]{20,}"),
    "OpenAI-style key": re.compile(r"sk-[A-Za-z0-9_-]{20,}"),
    "Hugging Face token": re.compile(r"hf_[A-Za-z0-9]{30,}"),
    "AWS access key": re.compile(r"AKIA[0-9A-Z]{16}"),
    "GitHub token": re.compile(r"gh[pousr]_[A-Za-z0-9]{30,}"),
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "assigned secret": re.compile(
        r"""(api[_-]?key|secret|password|passwd|token)["']?\s*[:=]\s*["'][A-Za-z0-9_\-/+=]{16,}["']""",
        re.IGNORECASE,
    ),
}
SKIP_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".ico", ".woff", ".woff2", ".gguf", ".lock"}
SKIP_NAMES = {"package-lock.json"}


def scan(root: Path) -> list[str]:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
    hits = []
    for name in filter(None, files.decode().split("\0")):
        path = root / name
        if path.suffix in SKIP_SUFFIXES or path.name in SKIP_NAMES or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for lineno, line in enumerate(text.splitlines(), 1):
            for label, pattern in PATTERNS.items():
                if pattern.search(line):
                    hits.append(f"{name}:{lineno}: looks like a {label}")
    return hits


def main() -> int:
    hits = scan(Path(__file__).resolve().parent.parent)
    for hit in hits:
        print(hit, file=sys.stderr)
    if hits:
        print(f"secret scan: {len(hits)} possible secret(s). Move them to the environment.", file=sys.stderr)
        return 1
    print("secret scan: no secrets in tracked files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
