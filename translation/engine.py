"""Running a translation job: batches through a backend, answers validated, results stored.

Work is a queue of batches drained by ``concurrency`` workers. Each answer is validated id by
id; accepted translations are stored at once (one fsync'd append per request), the rest are
split and retried until a segment alone still fails, which is then stored as failed with its
reason. A ``RunStopped`` from the backend (quota, outage, bad key) cancels the workers; the
batches they held are simply not recorded, so a rerun redoes exactly those.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from translation.backends.base import Backend
from translation.batcher import make_batches, split
from translation.errors import AnswerRejected, RunStopped
from translation.sources import Segment
from translation.store import Store
from translation.validate import Verdict, validate_answer

ProgressCallback = Callable[[int, int], None]  # (translated, failed) just stored


@dataclass(frozen=True)
class RunOptions:
    """How to cut and schedule the work (the CLI's --batch-size, --concurrency, --limit)."""

    batch_size: int = 20
    max_batch_chars: int = 4000
    concurrency: int = 4
    limit: int | None = None


@dataclass
class RunReport:
    """What a run did, for the summary."""

    total: int
    already_done: int
    pending: int
    translated: int = 0
    failed: int = 0
    failure_reasons: Counter[str] = field(default_factory=Counter)
    stopped: RunStopped | None = None

    @property
    def remaining(self) -> int:
        """Segments of the input still without a record after this run."""
        return self.total - self.already_done - self.translated - self.failed


def pending_segments(segments: Sequence[Segment], *stores: Store) -> list[Segment]:
    """The segments no store has a record for, in input order."""
    done = set().union(*(store.keys for store in stores))
    return [segment for segment in segments if segment.key not in done]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class _Job:
    def __init__(
        self, backend: Backend, output: Store, failures: Store, report: RunReport, on_progress: ProgressCallback | None
    ) -> None:
        self.backend, self.output, self.failures, self.report = backend, output, failures, report
        self.on_progress = on_progress
        self.write_lock = asyncio.Lock()

    def _record(self, segment: Segment, **fields: object) -> dict[str, object]:
        return {
            "id": segment.id,
            "text": segment.text,
            **fields,
            "backend": self.backend.name,
            "model": self.backend.model,
            "created_at": _now(),
        }

    async def translate(self, batch: list[Segment]) -> None:
        try:
            completion = await self.backend.complete(batch)
            verdict = validate_answer(completion.content, batch)
        except AnswerRejected as exc:
            verdict = Verdict(rejected={segment.key: str(exc) for segment in batch})
        accepted = verdict.accepted
        done = [self._record(s, translation=accepted[s.key]) for s in batch if s.key in accepted]
        rest = [segment for segment in batch if segment.key in verdict.rejected]
        failed = [self._record(s, error=verdict.rejected[s.key]) for s in rest] if len(batch) == 1 else []
        await self.save(done, failed)
        if len(batch) > 1:
            for part in split(rest):
                await self.translate(part)

    async def save(self, done: list[dict[str, object]], failed: list[dict[str, object]]) -> None:
        async with self.write_lock:
            await asyncio.to_thread(self.output.append, done)
            await asyncio.to_thread(self.failures.append, failed)
        self.report.translated += len(done)
        self.report.failed += len(failed)
        self.report.failure_reasons.update(str(record["error"]) for record in failed)
        if self.on_progress and (done or failed):
            self.on_progress(len(done), len(failed))


async def run(
    segments: Sequence[Segment],
    backend: Backend,
    output: Store,
    failures: Store,
    options: RunOptions,
    on_progress: ProgressCallback | None = None,
) -> RunReport:
    """Translate every segment without a record in ``output`` or ``failures`` (at most
    ``options.limit``). Returns when all are stored or the backend stopped the run."""
    pending = pending_segments(segments, output, failures)
    report = RunReport(total=len(segments), already_done=len(segments) - len(pending), pending=len(pending))
    if options.limit is not None:
        pending = pending[: options.limit]
        report.pending = len(pending)
    queue = list(reversed(make_batches(pending, options.batch_size, options.max_batch_chars)))
    job = _Job(backend, output, failures, report, on_progress)

    async def worker() -> None:
        while queue:
            await job.translate(queue.pop())

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(max(1, min(options.concurrency, len(queue)))):
                group.create_task(worker())
    except* RunStopped as stops:
        report.stopped = stops.exceptions[0]  # type: ignore[assignment]
    return report
