"""Benchmark: hadra's batched translation vs the origin's one-request-per-segment loop.

Both translate the same N synthetic Darija segments through the same local Groq-compatible
server (``tests.fakes.fake_groq``) that enforces a requests-per-window limit with 429 +
``retry-after``, in the same run. The origin's approach, reproduced faithfully: one request per
segment with the ``groq`` SDK's defaults (it retries 429s twice, honouring ``retry-after``), a
1-second sleep between calls, and the whole output file rewritten after every item. hadra:
``translation.engine`` with batches, the rate gate and the append-only store.

Time is compressed: a rate-limit "minute" lasts ``--window`` seconds (default 2), and the
origin's 1-second sleep is scaled by the same factor, so the ratios hold while the run takes
about a minute instead of half an hour. "Limit minutes" = wall time / window: what the run
would take against a real per-minute limit. The fake answers instantly (no model latency).

    python bench/translation_batching.py [--segments 1000] [--rpm 30] [--window 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import groq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fakes.fake_groq import FakeGroq
from translation.backends.groq import GroqBackend
from translation.engine import RunOptions, run
from translation.sources import Segment
from translation.store import open_store, read_records

PROMPT = "Translate this Algerian Darija text to English: "
WORDS = [
    "wach",
    "rak",
    "khouya",
    "kifach",
    "dayer",
    "lyoum",
    "3lach",
    "ma",
    "jitch",
    "rani",
    "fel",
    "5edma",
    "bezzaf",
    "mlih",
    "ghodwa",
    "nroh",
    "lbhar",
    "واش",
    "راك",
    "خويا",
    "كيفاش",
    "اليوم",
    "بزاف",
    "مليح",
    "غدوة",
    "نروح",
    "للبحر",
    "صحا",
    "عيدكم",
    "الخدمة",
]


@dataclass
class Result:
    name: str
    http_requests: int  # everything the server received
    chat_requests: int  # chat completions only (what per-minute and per-day quotas count)
    rate_limited: int
    translated: int
    wall: float


def make_segments(count: int, seed: int = 7) -> list[Segment]:
    rng = random.Random(seed)
    return [Segment(i, " ".join(rng.choices(WORDS, k=rng.randint(3, 14)))) for i in range(count)]


async def hadra(
    segments: list[Segment], server: FakeGroq, key: str, rpm: float, args: argparse.Namespace, folder: Path
) -> Result:
    backend = GroqBackend(api_key=key, base_url=server.base_url, rpm=rpm)
    output, failures = open_store(folder / "hadra.jsonl"), open_store(folder / "hadra.failed.jsonl")
    started = time.perf_counter()
    await backend.preflight()
    report = await run(
        segments, backend, output, failures, RunOptions(batch_size=args.batch_size, concurrency=args.concurrency)
    )
    wall = time.perf_counter() - started
    await backend.aclose()
    output.close()
    failures.close()
    assert report.stopped is None and report.translated == len(segments), report
    assert len(read_records(folder / "hadra.jsonl")) == len(segments)
    return Result(
        "hadra (batched)",
        server.stats["http requests"],
        server.stats["chat requests"],
        server.stats["status 429"],
        report.translated,
        wall,
    )


def origin(segments: list[Segment], server: FakeGroq, key: str, sleep: float, folder: Path) -> Result:
    client = groq.Groq(api_key=key, base_url=server.base_url)  # SDK defaults, as the origin had
    output = folder / "origin.json"
    results: list[dict[str, object]] = []
    started = time.perf_counter()
    for segment in segments:
        try:
            answer = client.chat.completions.create(
                model="llama-3.3-70b-versatile",
                messages=[{"role": "user", "content": PROMPT + segment.text}],
            )
            results.append({"id": segment.id, "text": segment.text, "translation": answer.choices[0].message.content})
        except groq.APIStatusError as exc:  # the origin crashed here; we note it and go on
            results.append({"id": segment.id, "text": segment.text, "error": str(exc.status_code)})
        output.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")  # whole file, every item
        time.sleep(sleep)
    wall = time.perf_counter() - started
    client.close()
    translated = sum(1 for item in results if "translation" in item)
    return Result(
        "origin (1 per segment)",
        server.stats["http requests"],
        server.stats["chat requests"],
        server.stats["status 429"],
        translated,
        wall,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--segments", type=int, default=1000)
    parser.add_argument("--rpm", type=int, default=30, help="requests the server allows per window")
    parser.add_argument("--window", type=float, default=2.0, help="seconds in one rate-limit 'minute'")
    parser.add_argument("--batch-size", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    key = "bench-" + secrets.token_hex(8)
    segments = make_segments(args.segments)
    scale = args.window / 60.0
    print(
        f"{args.segments} segments; server limit {args.rpm} requests per {args.window:g} s window "
        f"(a minute compressed {1 / scale:g}x); hadra batch size {args.batch_size}, concurrency {args.concurrency}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with FakeGroq(api_key=key, rpm=args.rpm, window=args.window) as server:
            ours = asyncio.run(hadra(segments, server, key, args.rpm / scale, args, folder))
        print(f"  {ours.name}: done in {ours.wall:.1f} s")
        with FakeGroq(api_key=key, rpm=args.rpm, window=args.window) as server:
            theirs = origin(segments, server, key, 1.0 * scale, folder)
        print(f"  {theirs.name}: done in {theirs.wall:.1f} s")
    print()
    print(
        f"{'approach':<24}{'HTTP requests':>14}{'chat':>7}{'429s':>7}{'translated':>12}{'wall s':>9}"
        f"{'limit minutes':>15}"
    )
    for result in (theirs, ours):
        print(
            f"{result.name:<24}{result.http_requests:>14}{result.chat_requests:>7}{result.rate_limited:>7}"
            f"{result.translated:>12}{result.wall:>9.1f}{result.wall / args.window:>15.1f}"
        )
    print()
    print(
        f"requests: {theirs.http_requests / ours.http_requests:.1f}x fewer with hadra, all HTTP requests counted "
        f"({theirs.chat_requests / ours.chat_requests:.1f}x counting chat completions only); goal >= 20x"
    )
    print(f"wall time: {theirs.wall / ours.wall:.1f}x shorter with hadra")


if __name__ == "__main__":
    main()
