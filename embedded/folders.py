"""Replacing a folder that another process may be reading (the CPU Ollama's runtime, a converted
training base) without ever showing it half-written or half-deleted."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def swap_in(building: Path, target: Path) -> None:
    """Replace ``target`` by ``building`` with renames, so a process running from it never sees a
    half-deleted folder (its open files survive; new ones are opened from the finished copy)."""
    retired = target.with_name(f".{target.name}.old-{os.getpid()}")
    try:
        target.rename(retired)
    except FileNotFoundError:
        pass
    try:
        building.rename(target)
    except OSError:  # another process put its identical copy in place first
        shutil.rmtree(building, ignore_errors=True)
    shutil.rmtree(retired, ignore_errors=True)
