"""``python -m translation run|clean``: the command line around the engine.

Everything that can be wrong before spending quota is checked first (arguments, the key,
the input, the output files, the backend's model), each with a message that says the fix.
Exit codes: 0 done, 2 bad arguments or input, 3 the backend refused us (key, model),
75 stopped early but resumable (quota, outage: rerun later), 130 interrupted (rerun).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from rich.console import Console

from translation.backends.base import Backend
from translation.backends.groq import DEFAULT_MODEL, DEFAULT_RPM, GroqBackend, api_key_from_env
from translation.backends.ollama import MODEL_ENV, OllamaBackend
from translation.clean import clean_segments
from translation.display import LiveProgress, clean_summary, run_summary
from translation.engine import RunOptions, RunReport, run
from translation.errors import BackendFatal, QuotaExhausted, RunStopped
from translation.ratelimit import RetryPolicy, format_wait
from translation.sources import FORMATS, Segment, SourceError, detect_format, load_segments, write_segments
from translation.store import Store, StoreError, open_store

EXIT_USAGE, EXIT_INTERRUPTED = 2, 130
# Most of this run's segments came back unusable (echoed, chatter, wrong script): the model or the
# backend is wrong for the job, and a "done" would hide it.
EXIT_MOSTLY_FAILED = 4

out = Console()
err = Console(stderr=True)


class UsageError(Exception):
    """A bad argument or input file: exit 2 with the message."""


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    def parse(value: str) -> float:
        number = kind(value)
        if number <= 0:
            raise argparse.ArgumentTypeError(f"must be greater than 0, got {value}")
        return number

    parse.__name__ = kind.__name__
    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m translation", description="Translate Algerian Darija segments to English, resumably."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def input_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("input", type=Path, help='segments: .json ({"segments": [...]}), .jsonl, .csv or .tsv')
        command.add_argument("output", type=Path)
        command.add_argument("--format", choices=FORMATS, help="input format when the suffix does not say")
        command.add_argument("--id-field", default="id", help="id field or column (default: id)")
        command.add_argument("--text-field", default="text", help="text field or column (default: text)")

    runner = commands.add_parser("run", help="translate INPUT into OUTPUT (JSONL); rerun to continue")
    input_options(runner)
    runner.add_argument("--backend", choices=("groq", "ollama"), default="groq")
    runner.add_argument("--model", help=f"groq default: {DEFAULT_MODEL}; ollama default: ${MODEL_ENV}")
    runner.add_argument("--batch-size", type=_positive(int), default=20, help="segments per request (20)")
    runner.add_argument(
        "--max-batch-chars", type=_positive(int), default=4000, help="characters of text per request at most (4000)"
    )
    runner.add_argument("--concurrency", type=_positive(int), default=4, help="requests in flight (4)")
    runner.add_argument("--limit", type=_positive(int), help="translate at most N more segments this run")
    runner.add_argument(
        "--rpm",
        type=float,
        default=DEFAULT_RPM,
        help=f"groq: requests per minute to stay under ({DEFAULT_RPM:g}, the free tier; 0: no pacing)",
    )
    runner.add_argument(
        "--max-wait",
        type=_positive(float),
        default=120.0,
        help="longest rate-limit wait to sit out; longer means quota exhausted: stop (120 s)",
    )
    runner.add_argument("--max-retries", type=int, default=5, help="retries of 5xx/timeouts per request (5)")
    runner.add_argument("--timeout", type=_positive(float), help="seconds per request (groq 60, ollama 300)")
    runner.add_argument("--base-url", help="Groq-compatible API root (default: $GROQ_BASE_URL or Groq)")
    runner.add_argument("--ollama-host", help="Ollama address (default: $OLLAMA_HOST or 127.0.0.1:11434)")
    runner.add_argument(
        "--min-translated",
        type=float,
        default=0.5,
        help="share of this run's segments that must come back translated, or the run exits 4 (0.5)",
    )
    runner.add_argument("--failed", type=Path, help="where failed segments go (default: OUTPUT.failed.jsonl)")
    runner.add_argument(
        "--retry-failed",
        action="store_true",
        help="try the failed segments again (the old failure file is kept, renamed)",
    )

    cleaner = commands.add_parser("clean", help="strip links, mentions, emojis and noise; drop empties and repeats")
    input_options(cleaner)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args) if args.command == "run" else _clean(args)
    except (UsageError, SourceError, StoreError) as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        return EXIT_USAGE
    except KeyboardInterrupt:  # before or after the run itself (which handles Ctrl-C on its own)
        err.print("[yellow]Interrupted.[/] Nothing is lost; rerun the same command to continue.")
        return EXIT_INTERRUPTED


def _clean(args: argparse.Namespace) -> int:
    if args.output.resolve() == args.input.resolve():
        raise UsageError("OUTPUT must be a new file: the input stays as it was")
    detect_format(args.output)  # fail on a bad output name before the work
    segments = load_segments(
        args.input, fmt=args.format, id_field=args.id_field, text_field=args.text_field, unique=False
    )
    kept, report = clean_segments(segments)
    write_segments(args.output, kept)
    dropped_path = args.output.with_name(f"{args.output.stem}.dropped.jsonl") if report.dropped else None
    if dropped_path:
        dropped_path.write_text(
            "".join(
                json.dumps({"id": d.segment.id, "text": d.segment.text, "reason": d.reason}, ensure_ascii=False) + "\n"
                for d in report.dropped
            ),
            encoding="utf-8",
        )
    out.print(clean_summary(report, len(segments), args.output, dropped_path))
    return 0


def _make_backend(args: argparse.Namespace) -> Backend:
    policy = RetryPolicy(max_retries=args.max_retries)
    if args.backend == "groq":
        key = api_key_from_env()
        return GroqBackend(
            api_key=key,
            model=args.model or DEFAULT_MODEL,
            base_url=args.base_url,
            rpm=args.rpm or None,
            max_wait=args.max_wait,
            timeout=args.timeout or 60.0,
            policy=policy,
        )
    model = args.model or os.environ.get(MODEL_ENV)
    if not model:
        raise UsageError(f"--backend ollama needs a model: pass --model NAME or set {MODEL_ENV}")
    return OllamaBackend(model=model, host=args.ollama_host, timeout=args.timeout or 300.0, policy=policy)


def _open_stores(args: argparse.Namespace) -> tuple[Store, Store]:
    failed_path = args.failed or args.output.with_name(f"{args.output.stem}.failed.jsonl")
    paths = {args.input.resolve(), args.output.resolve(), failed_path.resolve()}
    if len(paths) < 3:
        raise UsageError("INPUT, OUTPUT and the failure file must be three different files")
    if args.retry_failed and failed_path.exists() and failed_path.stat().st_size:
        kept = failed_path.with_name(f"{failed_path.stem}.{datetime.now():%Y%m%dT%H%M%S}.jsonl")
        failed_path.rename(kept)
        err.print(f"retrying failed segments; the previous failures are kept in {kept}")
    output, failures = open_store(args.output), open_store(failed_path)
    for store in (output, failures):
        if store.repaired_bytes:
            err.print(
                f"[yellow]repaired {store.path}:[/] removed a torn last line ({store.repaired_bytes} bytes) "
                "left by an interrupted run; that segment will be redone"
            )
    return output, failures


def _run(args: argparse.Namespace) -> int:
    if args.max_retries < 0:
        raise UsageError("--max-retries must be 0 or more")
    try:
        backend = _make_backend(args)  # a missing key stops us here, before any work
    except BackendFatal as exc:
        err.print(f"[red]error:[/] {exc.message}", highlight=False)
        return EXIT_USAGE
    segments = load_segments(args.input, fmt=args.format, id_field=args.id_field, text_field=args.text_field)
    output, failures = _open_stores(args)
    try:
        _record_empty(segments, output, failures, backend)
        started = time.monotonic()
        report, interrupted = asyncio.run(_translate(args, backend, segments, output, failures))
        out.print(run_summary(report, backend.usage, time.monotonic() - started, output.path, failures.path))
        return _verdict(report, interrupted, args.min_translated)
    finally:
        output.close()
        failures.close()


def _record_empty(segments: list[Segment], output: Store, failures: Store, backend: Backend) -> None:
    """Blank texts cost nothing and have nothing to translate: recorded as failed at once."""
    blank = [s for s in segments if not s.text.strip() and s.key not in output.keys | failures.keys]
    failures.append(
        {
            "id": s.id,
            "text": s.text,
            "error": "empty text: nothing to translate (run clean first)",
            "backend": backend.name,
            "model": backend.model,
            "created_at": datetime.now().astimezone().isoformat(timespec="milliseconds"),
        }
        for s in blank
    )


async def _translate(
    args: argparse.Namespace, backend: Backend, segments: list[Segment], output: Store, failures: Store
) -> tuple[RunReport, bool]:
    """The run itself; Ctrl-C and SIGTERM cancel it cleanly (what is stored stays stored)."""
    task = asyncio.current_task()
    assert task is not None
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, task.cancel)
    options = RunOptions(
        batch_size=args.batch_size, max_batch_chars=args.max_batch_chars, concurrency=args.concurrency, limit=args.limit
    )
    done = len({s.key for s in segments} & (output.keys | failures.keys))
    report = RunReport(total=len(segments), already_done=done, pending=len(segments) - done)
    progress = LiveProgress(err, total=len(segments), done=done, usage=backend.usage, waiting=backend.waiting)
    try:
        if report.pending:
            await backend.preflight()
            async with progress:
                report = await run(segments, backend, output, failures, options, progress.advance)
        return report, False
    except RunStopped as exc:
        report.stopped = exc
        return report, False
    except asyncio.CancelledError:
        task.uncancel()
        report.translated, report.failed = progress.translated, progress.failed
        return report, True
    finally:
        await backend.aclose()


def _verdict(report: RunReport, interrupted: bool, min_translated: float = 0.5) -> int:
    """Say how the run ended and what to do next; return the exit code."""
    if interrupted:
        err.print("[yellow]Interrupted.[/] Everything translated so far is saved; rerun the same command to continue.")
        return EXIT_INTERRUPTED
    if report.stopped is not None:
        stop = report.stopped
        advice = "Fix that, then rerun the same command to continue."
        if isinstance(stop, QuotaExhausted):
            resume, wait = stop.resume_at(), format_wait(stop.wait_seconds or 0)
            advice = (
                f"Rerun the same command after {resume:%Y-%m-%d %H:%M %Z} (in {wait}) to continue."
                if resume
                else "Rerun the same command later to continue."
            )
        elif stop.exit_code == 75:
            advice = "Everything done so far is saved; rerun the same command later to continue."
        err.print(f"[red]Stopped:[/] {stop.message}. {advice}", highlight=False)
        return stop.exit_code
    attempted = report.translated + report.failed
    if attempted and report.translated < min_translated * attempted:
        reasons = ", ".join(f"{reason} ({count:,})" for reason, count in report.failure_reasons.most_common(3))
        err.print(
            f"[red]Mostly failed:[/] {report.translated:,} of {attempted:,} segments were translated this run"
            f" (at least {min_translated:.0%} expected). Most common reasons: {reasons or 'none recorded'}. "
            "Check that the model translates at all (a small local model often echoes the source: use a larger"
            " one, or Groq); the failures are kept, rerun with --retry-failed once it does.",
            highlight=False,
        )
        return EXIT_MOSTLY_FAILED
    if report.remaining:
        err.print(f"Stopped at --limit: {report.remaining:,} segments still to do; rerun to continue.")
    else:
        err.print("[green]Done:[/] every segment has a record.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
