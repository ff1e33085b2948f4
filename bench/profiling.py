"""Where a server process's CPU goes during a benchmark step: py-spy attached by pid, summarised.

py-spy (``pip install -e .[bench]``) samples the running process from outside (100 times a second;
it needs ptrace: root, or ``kernel.yama.ptrace_scope`` 0) and writes collapsed stacks, one line per
distinct stack with its sample count (``--format raw``; ``flamegraph.pl`` or speedscope.app draw
them). Only the thread holding the GIL is sampled (``--gil``): a thread waiting in ``epoll`` or for
work does not hold it, so the shares are of the time the process ran Python, its busy time (C code
that releases the GIL, a socket write, is not in it). A frame's *self* time is the samples in which
it is the innermost frame: the work it did itself, not its callees'.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# A frame in py-spy's raw output: ``function (path/to/module.py:line)``; native or idle frames may lack the place.
_FRAME = re.compile(r"^(?P<function>.*?)(?: \((?P<file>[^:()]+)(?::\d+)?\))?$")


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(found).is_file():
        raise RuntimeError("py-spy is not installed: pip install -e '.[bench]'")
    return found


class Recording:
    """``py-spy record`` on ``pid`` until :meth:`stop` (py-spy writes its file on SIGINT)."""

    def __init__(self, pid: int, output: Path, rate: int = 100) -> None:
        self.output = output
        self._log = output.with_suffix(".log")
        argv = [py_spy(), "record", "--pid", str(pid), "--format", "raw", "--rate", str(rate), "--gil"]
        argv += ["--output", str(output)]
        with self._log.open("wb") as log:
            self._proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)

    def stop(self, timeout: float = 30) -> None:
        if self._proc.poll() is None:
            self._proc.send_signal(signal.SIGINT)
        try:
            self._proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        if not self.output.is_file():
            raise RuntimeError(f"py-spy wrote no profile; see {self._log}")


@dataclass(frozen=True)
class Share:
    name: str
    samples: int
    share: float  # of all samples, 0..1


def _leaves(raw: Path) -> Counter[tuple[str, str]]:
    """Samples per innermost frame, as (function, file); line numbers merged."""
    leaves: Counter[tuple[str, str]] = Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        match = _FRAME.match(stack.rsplit(";", 1)[-1])
        if match:
            leaves[(match["function"], match["file"] or "")] += int(count)
    return leaves


def _package(file: str) -> str:
    """``channels/layers.py`` → ``channels``; ``selectors.py`` → ``selectors`` (py-spy shortens paths)."""
    first = file.split("/", 1)[0]
    return first.removesuffix(".py") or "(native)"


def self_time(raw: Path, top: int = 15) -> tuple[int, list[Share], list[Share]]:
    """Total samples, the ``top`` functions by self time, and self time by package (library or hadra's)."""
    leaves = _leaves(raw)
    total = sum(leaves.values())
    if not total:
        return 0, [], []
    functions = [Share(f"{function} ({file})", n, n / total) for (function, file), n in leaves.most_common(top)]
    packages: Counter[str] = Counter()
    for (_, file), n in leaves.items():
        packages[_package(file)] += n
    by_package = [Share(name, n, n / total) for name, n in packages.most_common(top)]
    return total, functions, by_package


def table(raw: Path, top: int = 15) -> str:
    total, functions, packages = self_time(raw, top)
    if not total:
        return f"profile {raw}: no samples"
    lines = [f"profile {raw} ({total} samples): self time by function", "  share  samples  function (module)"]
    lines += [f"  {s.share:5.1%}  {s.samples:7d}  {s.name}" for s in functions]
    lines += ["self time by package", "  share  samples  package"]
    lines += [f"  {s.share:5.1%}  {s.samples:7d}  {s.name}" for s in packages]
    return "\n".join(lines)
