"""What a person watching a run sees: a live progress bar, then a summary.

Long jobs that go quiet get killed by impatient people; the bar shows done/total, segments
per second, the ETA, requests and tokens spent, and why the run is waiting when it is (a 429,
a token budget), so a pause is never mistaken for a hang.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from translation.clean import CleanReport
from translation.engine import RunReport
from translation.ratelimit import Usage, format_wait


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} seg/s" if speed else "– seg/s", style="progress.data.speed")


class LiveProgress:
    """The progress bar of one run; ``advance`` is the engine's progress callback."""

    def __init__(
        self, console: Console, *, total: int, done: int, usage: Usage, waiting: Callable[[], tuple[float, str]]
    ) -> None:
        self.usage, self.waiting, self.failed = usage, waiting, 0
        self.translated = 0
        self._progress = Progress(
            TextColumn("[bold]translating"),
            BarColumn(),
            MofNCompleteColumn(),
            _RateColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[stats]}"),
            console=console,
            transient=False,
        )
        self._task = self._progress.add_task("translate", total=total, completed=done, stats="")
        self._ticker: asyncio.Task[None] | None = None

    def advance(self, translated: int, failed: int) -> None:
        self.translated += translated
        self.failed += failed
        self._progress.advance(self._task, translated + failed)
        self._refresh_stats()

    def _refresh_stats(self) -> None:
        stats = f"{self.usage.requests} req · {self.usage.tokens:,} tok"
        if self.failed:
            stats += f" · [red]{self.failed} failed[/]"
        seconds, reason = self.waiting()
        if seconds >= 1:
            stats += f" · [yellow]waiting {format_wait(seconds)}: {reason}[/]"
        self._progress.update(self._task, stats=stats)

    async def _tick(self) -> None:
        while True:
            self._refresh_stats()
            await asyncio.sleep(0.5)

    async def __aenter__(self) -> LiveProgress:
        self._progress.start()
        self._ticker = asyncio.create_task(self._tick())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._ticker:
            self._ticker.cancel()
        self._refresh_stats()
        self._progress.stop()


def run_summary(report: RunReport, usage: Usage, seconds: float, output: Path, failures: Path) -> Table:
    """The table printed when a run ends, however it ends."""
    table = Table(title="Translation summary", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    table.add_row("segments in input", f"{report.total:,}")
    table.add_row("done before this run", f"{report.already_done:,}")
    table.add_row("translated now", f"{report.translated:,}")
    failed = f"{report.failed:,}"
    if report.failure_reasons:
        reasons = "; ".join(f"{reason} ×{count}" for reason, count in report.failure_reasons.most_common(3))
        failed += f" → {failures} ({reasons})"
    table.add_row("failed now", failed)
    table.add_row("still to do", f"{report.remaining:,}")
    table.add_row("requests", f"{usage.requests:,} ({usage.rate_limited} rate-limited, {usage.retries} retried)")
    table.add_row("tokens", f"{usage.tokens:,} ({usage.prompt_tokens:,} prompt + {usage.completion_tokens:,} answer)")
    rate = (report.translated + report.failed) / seconds if seconds > 0 else 0.0
    table.add_row("time", f"{format_wait(seconds)} ({rate:.1f} segments/s)")
    table.add_row("output", str(output))
    return table


def clean_summary(report: CleanReport, read: int, output: Path, dropped: Path | None) -> Table:
    """What ``clean`` kept and removed."""
    table = Table(title="Cleaning summary", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    table.add_row("segments read", f"{read:,}")
    table.add_row("segments kept", f"{report.kept:,} → {output}")
    for what in ("links", "mentions", "emojis", "noise characters", "repeated punctuation"):
        table.add_row(f"{what} removed", f"{report.removed[what]:,}")
    reasons: dict[str, int] = {}
    for item in report.dropped:
        reason = "same text as an earlier segment" if item.reason.startswith("same text") else item.reason
        reasons[reason] = reasons.get(reason, 0) + 1
    for reason, count in reasons.items():
        table.add_row("dropped", f"{count:,}: {reason}")
    if dropped is not None:
        table.add_row("dropped segments", str(dropped))
    return table
