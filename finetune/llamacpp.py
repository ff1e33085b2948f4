"""llama.cpp's GGUF converters, from a pinned registry package (never fetched from GitHub at run time).

The llama-cpp-python 0.3.36 sdist on PyPI vendors llama.cpp with ``convert_hf_to_gguf.py``,
``convert_lora_to_gguf.py``, their ``conversion/`` package and their own ``gguf-py`` (PyPI's gguf
0.19.0 is older than these scripts and fails on them). :func:`ensure` downloads the sdist once with
pip, checks its sha256, and unpacks only those parts (about 10 MB of 76) into ``var/llama.cpp-0.3.36``.
Set ``HADRA_LLAMA_CPP_DIR`` to use an existing llama.cpp checkout instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from embedded.process import VAR_DIR
from finetune.errors import FinetuneError

VERSION = "0.3.36"
SDIST_SHA256 = "832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e"
_PREFIX = f"llama_cpp_python-{VERSION}/vendor/llama.cpp/"
_WANTED = (
    "convert_hf_to_gguf.py",
    "convert_lora_to_gguf.py",
    "conversion/",
    "gguf-py/",
    "LICENSE",
    "models/ggml-vocab-qwen2.gguf",
    "models/templates/",
)
_STAMP = ".hadra-tools"


def tools_dir() -> Path:
    override = os.environ.get("HADRA_LLAMA_CPP_DIR")
    return Path(override) if override else VAR_DIR / f"llama.cpp-{VERSION}"


def ensure() -> Path:
    """The folder holding the converters; downloaded and unpacked on first use (idempotent)."""
    target = tools_dir()
    if os.environ.get("HADRA_LLAMA_CPP_DIR"):
        if not (target / "convert_hf_to_gguf.py").is_file():
            raise FinetuneError(f"HADRA_LLAMA_CPP_DIR={target} has no convert_hf_to_gguf.py")
        return target
    stamp = target / _STAMP
    if stamp.is_file() and stamp.read_text().strip() == SDIST_SHA256:
        return target
    with tempfile.TemporaryDirectory(prefix="hadra-llamacpp-") as tmp:
        sdist = _download(Path(tmp))
        building = target.with_name(target.name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        with tarfile.open(sdist) as archive:
            members = [
                m
                for m in archive.getmembers()
                if m.name.startswith(_PREFIX) and m.name[len(_PREFIX) :].startswith(_WANTED)
            ]
            for member in members:
                member.name = member.name[len(_PREFIX) :]
            archive.extractall(building, members=members, filter="data")
        (building / _STAMP).write_text(SDIST_SHA256 + "\n")
        shutil.rmtree(target, ignore_errors=True)
        building.rename(target)
    return target


def _download(into: Path) -> Path:
    requirement = into / "requirements.txt"
    requirement.write_text(f"llama-cpp-python=={VERSION} --hash=sha256:{SDIST_SHA256}\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--require-hashes",
            "-r",
            str(requirement),
            "-d",
            str(into),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    found = sorted(into.glob("llama_cpp_python-*.tar.gz"))
    if result.returncode != 0 or not found:
        raise FinetuneError(
            f"could not download llama-cpp-python=={VERSION} (the sdist that carries llama.cpp's GGUF "
            f"converters) with pip:\n{result.stderr.strip()[-2000:]}\n"
            "Check access to PyPI, or set HADRA_LLAMA_CPP_DIR to a llama.cpp checkout."
        )
    return found[0]


def convert(script: str, args: list[str], what: str) -> None:
    """Run one converter with this Python; its own gguf-py comes first on its path (the script does that)."""
    tools = ensure()
    result = subprocess.run([sys.executable, str(tools / script), *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise FinetuneError(
            f"{what} failed ({script} exited {result.returncode}):\n{(result.stderr or result.stdout).strip()[-3000:]}"
        )
