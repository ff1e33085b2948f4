"""How many answers hadra streams at once: N clients each send one ``chat.send`` (spread over 2 s)
to hadra backed by the tests' fast fake Ollama (200 tokens at 50 tokens/s, so 4 s is the ideal
answer time), and every frame is timed on arrival.

    .venv/bin/python -m bench.capacity [--steps 50,100,200] [--processes 1|2] [--idle N] [--out docs/bench]
        [--server daphne,uvicorn] [--root PATH ...] [--profile]

Per step (a fresh hadra each step; the embedded MongoDB-protocol server in memory for the whole
run; Redis as the channel layer when ``--processes 2``) it reports, per answer: time to first token
(send → first ``message.delta``), every gap between consecutive deltas, missing ``seq`` numbers,
whether ``message.done`` came and its text equals the fake's exactly, and the answer time; on the
server: its CPU time (CPU µs per delivered token) and peak RSS, the database server's CPU and the
database's own count of write round trips and of all round trips a second (bench/dbstats.py).
``--idle N`` also holds N silent sockets open during each step. The accounts come from the
``create_bench_users`` management command, so the sign-up limits stay as they are. hadra's admission
limit is set to the step's answers (the fake has no limit of its own); ``--ollama-parallel N`` sets
it lower to watch the queue.

Each step runs once per server (``--server``, comma-separated: daphne as hadra ships it, uvicorn
with its websockets implementation) and per checkout (``--root``, repeatable: this one by default,
or e.g. a git worktree of an older commit run with this ``.venv``), one after the other against the
same database, fake Ollama and Redis (bench/servers.py). ``--profile`` runs py-spy on the (first)
server process while a step streams and prints where its CPU went (bench/profiling.py).

Prints a table, adds its steps to ``capacity-<P>p.json`` (a step measured again, same answers, idle
sockets and server label, replaces the old one) and draws ``capacity.png`` from every such JSON in
``--out`` (frame gap p99 and time to first token p99 against concurrency, a line per server).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import resource
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import websockets

from bench import profiling
from bench.common import BENCH_VAR, ROOT, Server
from bench.dbstats import DatabaseCounters, Samples
from bench.servers import SERVERS, Variant, serve
from embedded import mongo, process, redis
from tests.fakes.fake_ollama import DEFAULT_MODEL, Behaviour, FakeOllamaProcess

VAR = BENCH_VAR / "capacity"  # pid files and logs of this benchmark's services, apart from other benches
QUESTION = "Tell me a story."
ACCOUNTS_PER_CALL = 5_000  # create_bench_users makes at most 10,000 a call
CONNECTS_AT_ONCE = 64  # handshakes in flight: each one looks its token up in the database
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


# --- what the server's processes use, read from /proc (psutil is not a dependency) ---------------


def _group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:  # field 5 of stat: the process group
                pids.append(int(entry))
    return pids


def group_cpu_s(pgid: int) -> float:
    """User + system CPU seconds of every process in the group (a service and its children)."""
    total = 0
    for pid in _group_pids(pgid):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLK_TCK


def group_rss_bytes(pgid: int) -> int:
    total = 0
    for pid in _group_pids(pgid):
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except OSError:
            continue
    return total


# --- one client: one question, every frame of its answer timed ------------------------------------


@dataclass
class Answer:
    """What one client saw of its answer (times from ``time.perf_counter``)."""

    connected: bool = False
    error: str | None = None
    sent_at: float | None = None
    answer_id: str | None = None
    delta_at: list[float] = field(default_factory=list)
    seqs: list[int] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    done_at: float | None = None
    done_status: str | None = None
    done_content: str | None = None
    done_seq: int | None = None

    def ttft(self) -> float | None:
        return self.delta_at[0] - self.sent_at if self.delta_at and self.sent_at is not None else None

    def gaps(self) -> list[float]:
        return [b - a for a, b in zip(self.delta_at, self.delta_at[1:], strict=False)]

    def seq_gaps(self) -> int:
        """Deltas missing from the ``seq`` numbering, up to what ``message.done`` says was sent."""
        missing, last = 0, 0
        for seq in self.seqs:
            missing += max(0, seq - last - 1)
            last = max(last, seq)
        if self.done_seq is not None:
            missing += max(0, self.done_seq - last)
        return missing

    def exact(self, reply: str) -> bool:
        """The text the client ends up with (``message.done``'s) is the fake's reply, complete."""
        return self.done_status == "complete" and self.done_content == reply

    def streamed_exact(self, reply: str) -> bool:
        """The deltas alone, put together, made the whole reply (nothing missing, nothing twice)."""
        return "".join(self.text) == reply

    def answer_time(self) -> float | None:
        return self.done_at - self.sent_at if self.done_at is not None and self.sent_at is not None else None


async def _connect(url: str, token: str, gate: asyncio.Semaphore) -> websockets.ClientConnection:
    async with gate:
        # No keepalive pings: a browser sends none, and a late pong on a loaded server would close
        # the socket and count as the server's failure.
        return await websockets.connect(
            url, additional_headers={"Authorization": f"Bearer {token}"}, ping_interval=None, open_timeout=120
        )


async def _connect_all(
    urls: list[str], tokens: list[str], gate: asyncio.Semaphore, within_s: float
) -> list[websockets.ClientConnection | BaseException]:
    """A socket per token (URLs taken in turn), or why not; those not open within ``within_s`` are given up."""
    tasks = [asyncio.create_task(_connect(urls[i % len(urls)], t, gate)) for i, t in enumerate(tokens)]
    if not tasks:
        return []
    _, pending = await asyncio.wait(tasks, timeout=within_s)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    return [
        TimeoutError(f"not connected within {within_s:g} s") if task in pending else task.exception() or task.result()
        for task in tasks
    ]


async def _close_all(sockets: list[websockets.ClientConnection], within_s: float = 30) -> None:
    """Close handshakes at once; sockets still closing after ``within_s`` are dropped."""
    if not sockets:
        return
    closing = [asyncio.create_task(ws.close()) for ws in sockets]
    _, pending = await asyncio.wait(closing, timeout=within_s)
    for task in pending:
        task.cancel()
    for ws in sockets:
        ws.transport.abort()
    await asyncio.gather(*closing, return_exceptions=True)


async def _ask(ws: websockets.ClientConnection, answer: Answer, send_at: float) -> None:
    await asyncio.sleep(max(0.0, send_at - time.perf_counter()))
    answer.sent_at = time.perf_counter()
    await ws.send(json.dumps({"type": "chat.send", "content": QUESTION}))
    async for raw in ws:
        now = time.perf_counter()
        frame = json.loads(raw)
        kind = frame.get("type")
        if kind == "message.created" and frame["message"]["role"] == "assistant":
            answer.answer_id = frame["message"]["id"]
        elif kind == "message.delta" and frame["message_id"] in (answer.answer_id, None):
            answer.delta_at.append(now)
            answer.seqs.append(frame["seq"])
            answer.text.append(frame["text"])
        elif kind == "message.done" and frame["message_id"] == answer.answer_id:
            answer.done_at, answer.done_status = now, frame["status"]
            answer.done_content, answer.done_seq = frame["content"], frame["seq"]
            return
        elif kind == "error":
            answer.error = frame.get("code")
            return


# --- one step: N answers at once on fresh hadra process(es) ---------------------------------------


@dataclass
class StepResult:
    answers: int
    processes: int
    idle: int
    connected: int
    sent: int
    got_delta: int
    done: int
    exact: int
    streamed_exact: int
    errors: dict[str, int]
    ttft_p50_s: float | None
    ttft_p99_s: float | None
    gap_p50_ms: float | None
    gap_p99_ms: float | None
    gap_max_ms: float | None
    answer_p50_s: float | None
    answer_p99_s: float | None
    seq_gaps: int
    answers_with_seq_gaps: int
    tokens_delivered: int
    wall_s: float
    server_cpu_s: float
    server_cpu_us_per_token: float | None
    server_cpu_pct: float
    server_rss_start_mb: float
    server_rss_peak_mb: float
    idle_rss_kb_per_socket: float | None
    db_cpu_pct: float
    db_writes: int | None  # write round trips (insert, update, delete commands) over the step
    db_requests: int | None  # every round trip to the database over the step
    db_writes_per_answer: float | None
    db_writes_per_s: float | None
    db_requests_per_s: float | None
    db_streaming_writes_per_s: float | None  # while every answer streams: from the last first delta to the first done
    db_streaming_requests_per_s: float | None
    db_streaming_window_s: float | None
    db_writes_each_s: list[int]  # in each second from the first send (as sampled every 0.25 s)
    clients_cpu_pct: float
    load_avg_start: list[float]
    load_avg_end: list[float]


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


async def _sample_rss(pgids: list[int], peak: list[int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], sum(group_rss_bytes(p) for p in pgids))
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except TimeoutError:
            pass


def _rate(count: int | None, seconds: float | None) -> float | None:
    return round(count / seconds, 1) if count is not None and seconds else None


async def run_step(
    servers: list[Server],
    tokens: list[str],
    idle_tokens: list[str],
    database: tuple[int, DatabaseCounters],
    reply: str,
    args: argparse.Namespace,
    profile_to: Path | None = None,
) -> StepResult:
    db_pgid, counters = database
    pgids = [s.proc.pid for s in servers]
    gate = asyncio.Semaphore(CONNECTS_AT_ONCE)
    rss_before_idle = sum(group_rss_bytes(p) for p in pgids)
    urls = [s.ws_url for s in servers]
    idle = await _connect_all(urls, idle_tokens, gate, args.timeout)
    idle_open = [ws for ws in idle if not isinstance(ws, BaseException)]
    await asyncio.sleep(1)
    rss_start = sum(group_rss_bytes(p) for p in pgids)
    idle_kb = (rss_start - rss_before_idle) / 1024 / len(idle_open) if idle_open else None

    answers = [Answer() for _ in tokens]
    sockets = await _connect_all(urls, tokens, gate, args.timeout)
    for answer, ws in zip(answers, sockets, strict=True):
        if isinstance(ws, BaseException):
            answer.error = f"connect: {type(ws).__name__}"
        else:
            answer.connected = True

    load_start = list(os.getloadavg())
    cpu0 = sum(group_cpu_s(p) for p in pgids)
    db0 = group_cpu_s(db_pgid)
    self0 = time.process_time()
    peak, stop = [rss_start], asyncio.Event()
    db_samples = Samples(counters)
    db_samples.start()
    sampler = asyncio.create_task(_sample_rss(pgids, peak, stop))
    recording = profiling.Recording(servers[0].proc.pid, profile_to) if profile_to else None
    start = time.perf_counter() + 0.2
    tasks = [
        asyncio.create_task(_ask(ws, answer, start + args.spread * i / len(tokens)))
        for i, (answer, ws) in enumerate(zip(answers, sockets, strict=True))
        if not isinstance(ws, BaseException)
    ]
    _, pending = await asyncio.wait(tasks, timeout=args.timeout) if tasks else (set(), set())
    wall = time.perf_counter() - start
    cpu = sum(group_cpu_s(p) for p in pgids) - cpu0
    db = group_cpu_s(db_pgid) - db0
    clients = time.process_time() - self0
    load_end = list(os.getloadavg())
    stop.set()
    await asyncio.gather(sampler, db_samples.stop())
    if recording:
        recording.stop()
    for task in pending:
        task.cancel()
    for task in tasks:
        if task.done() and not task.cancelled() and task.exception() is not None:
            answers[tasks.index(task)].error = f"socket: {type(task.exception()).__name__}"
    await _close_all([ws for ws in [*sockets, *idle_open] if not isinstance(ws, BaseException)])

    errors: dict[str, int] = {}
    for answer in answers:
        if answer.error:
            errors[answer.error] = errors.get(answer.error, 0) + 1
    if len(idle_open) < len(idle_tokens):
        errors["idle socket could not connect"] = len(idle_tokens) - len(idle_open)
    ttfts = [t for a in answers if (t := a.ttft()) is not None]
    gaps = [g for a in answers for g in a.gaps()]
    times = [t for a in answers if (t := a.answer_time()) is not None]
    delivered = sum(len("".join(a.text).split()) for a in answers)
    ms = 1000
    db_step = db_samples.between(start, start + wall)
    # While every answer streams (from the last first delta to the first done) no answer is being
    # created or ended: the writes are the checkpoints alone.
    first_deltas = [a.delta_at[0] for a in answers if a.delta_at]
    first_done = min((a.done_at for a in answers if a.done_at is not None), default=start + wall)
    all_streaming = len(first_deltas) == sum(a.sent_at is not None for a in answers) and first_deltas
    db_streaming = db_samples.between(max(first_deltas), first_done) if all_streaming else None

    def scaled(value: float | None, by: float = 1) -> float | None:
        return None if value is None else round(value * by, 3)

    return StepResult(
        answers=len(tokens),
        processes=len(servers),
        idle=len(idle_tokens),
        connected=sum(a.connected for a in answers),
        sent=sum(a.sent_at is not None for a in answers),
        got_delta=sum(bool(a.delta_at) for a in answers),
        done=sum(a.done_at is not None for a in answers),
        exact=sum(a.exact(reply) for a in answers),
        streamed_exact=sum(a.streamed_exact(reply) for a in answers),
        errors=errors,
        ttft_p50_s=scaled(percentile(ttfts, 50)),
        ttft_p99_s=scaled(percentile(ttfts, 99)),
        gap_p50_ms=scaled(percentile(gaps, 50), ms),
        gap_p99_ms=scaled(percentile(gaps, 99), ms),
        gap_max_ms=scaled(max(gaps) if gaps else None, ms),
        answer_p50_s=scaled(percentile(times, 50)),
        answer_p99_s=scaled(percentile(times, 99)),
        seq_gaps=sum(a.seq_gaps() for a in answers),
        answers_with_seq_gaps=sum(a.seq_gaps() > 0 for a in answers),
        tokens_delivered=delivered,
        wall_s=round(wall, 2),
        server_cpu_s=round(cpu, 2),
        server_cpu_us_per_token=round(cpu / delivered * 1e6, 1) if delivered else None,
        server_cpu_pct=round(100 * cpu / wall, 1),
        server_rss_start_mb=round(rss_start / 2**20, 1),
        server_rss_peak_mb=round(peak[0] / 2**20, 1),
        idle_rss_kb_per_socket=scaled(idle_kb),
        db_cpu_pct=round(100 * db / wall, 1),
        db_writes=db_step[0] if db_step else None,
        db_requests=db_step[1] if db_step else None,
        db_writes_per_answer=round(db_step[0] / len(tokens), 2) if db_step and tokens else None,
        db_writes_per_s=_rate(*db_step[::2]) if db_step else None,
        db_requests_per_s=_rate(*db_step[1:]) if db_step else None,
        db_streaming_writes_per_s=_rate(*db_streaming[::2]) if db_streaming else None,
        db_streaming_requests_per_s=_rate(*db_streaming[1:]) if db_streaming else None,
        db_streaming_window_s=round(db_streaming[2], 1) if db_streaming else None,
        db_writes_each_s=db_samples.writes_each_second(start, start + wall),
        clients_cpu_pct=round(100 * clients / wall, 1),
        load_avg_start=[round(x, 2) for x in load_start],
        load_avg_end=[round(x, 2) for x in load_end],
    )


# --- services, accounts, output -------------------------------------------------------------------


@contextmanager
def services(
    processes: int, tokens: int, tokens_per_s: float
) -> Iterator[tuple[dict[str, str], tuple[int, DatabaseCounters], str]]:
    """The database (in memory), Redis when several processes share answers, and the fake Ollama
    as its own process; yields hadra's environment, the database's process group and counters,
    and the reply."""
    with ExitStack() as stack:
        mongo_port = process.free_port()
        db_pgid = process.start(mongo.service(mongo_port, VAR, storage=":memory:"), VAR)
        stack.callback(process.stop, mongo.NAME, VAR)
        counters = DatabaseCounters(mongo.uri(mongo_port))
        stack.callback(counters.close)
        env = {
            "MONGODB_URI": mongo.uri(mongo_port),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEFAULT_MODEL": DEFAULT_MODEL,
            "REDIS_URL": "",
        }
        if processes > 1:
            redis_port = process.free_port()
            process.start(redis.service(redis_port, VAR), VAR)
            stack.callback(process.stop, redis.NAME, VAR)
            env["REDIS_URL"] = redis.url(redis_port)
        fake = stack.enter_context(FakeOllamaProcess())
        fake.set_behaviour(DEFAULT_MODEL, tokens=tokens, tokens_per_s=tokens_per_s)
        env["OLLAMA_HOST"] = fake.url
        yield env, (db_pgid, counters), Behaviour(tokens=tokens, tokens_per_s=tokens_per_s).reply()


def bench_tokens(env: dict[str, str], count: int) -> list[str]:
    """``count`` new accounts with an API token each, made by the bench-only management command
    (of this checkout, whichever ``--root`` serves), at most ACCOUNTS_PER_CALL a call."""
    tokens: list[str] = []
    while len(tokens) < count:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "django",
                "create_bench_users",
                "--count",
                str(min(ACCOUNTS_PER_CALL, count - len(tokens))),
            ],
            cwd=ROOT,
            env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "asgi_app.settings"},
            capture_output=True,
            text=True,
            check=True,
        )
        tokens += json.loads(result.stdout)
    return tokens


def _raise_open_files() -> int:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def fmt(value: float | None, spec: str = ".2f") -> str:
    return "—" if value is None else format(value, spec)


HEADER = (
    "| server | concurrent answers | complete & exact | TTFT p50 / p99 | frame gap p99 "
    "| answer time p50 (ideal {ideal:g} s) | seq gaps | server CPU µs/token | server CPU | DB CPU "
    "| DB writes/s (while streaming) | DB round trips/s (while streaming) | DB writes per answer "
    "| server RSS peak | load avg 1 min (start→end) |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def row(r: dict[str, Any]) -> str:
    lost = r["answers"] - r["done"]
    exact = f"{r['exact']}" + (f" ({lost} no `message.done`)" if lost else "")
    idle = f" + {r['idle']} idle" if r["idle"] else ""
    return (
        f"| {r['label']} | {r['answers']}{idle} | {exact} "
        f"| {fmt(r['ttft_p50_s'])} / {fmt(r['ttft_p99_s'])} s | {fmt(r['gap_p99_ms'], '.0f')} ms "
        f"| {fmt(r['answer_p50_s'], '.1f')} s | {r['seq_gaps']} | {fmt(r['server_cpu_us_per_token'], '.0f')} "
        f"| {r['server_cpu_pct']:.0f} % | {r['db_cpu_pct']:.0f} % "
        f"| {fmt(r['db_writes_per_s'], '.1f')} ({fmt(r['db_streaming_writes_per_s'], '.1f')}) "
        f"| {fmt(r['db_requests_per_s'], '.0f')} ({fmt(r['db_streaming_requests_per_s'], '.0f')}) "
        f"| {fmt(r['db_writes_per_answer'], '.1f')} | {r['server_rss_peak_mb']:.0f} MB "
        f"| {r['load_avg_start'][0]:.2f} → {r['load_avg_end'][0]:.2f} |"
    )


def label(step: dict[str, Any]) -> str:
    """The step's server label; steps recorded before servers were named ran daphne on some commit."""
    return str(step.get("label", "daphne (commit not recorded)"))


def plot(out: Path) -> Path:
    """Frame gap p99 and TTFT p99 against concurrency, one line per process count found in ``out``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (gap_ax, ttft_ax) = plt.subplots(1, 2, figsize=(11, 4.2))
    runs = [json.loads(path.read_text()) for path in sorted(out.glob("capacity-*p.json"))]
    for run in runs:
        for series in sorted({(label(s), s["idle"]) for s in run["steps"]}):
            steps = [s for s in run["steps"] if (label(s), s["idle"]) == series]
            name = f"{series[0]}, {run['processes']} process{'es' if run['processes'] > 1 else ''}"
            name += f", {series[1]} idle sockets" if series[1] else ""
            xs = [s["answers"] for s in steps]
            gap_ax.plot(xs, [s["gap_p99_ms"] for s in steps], "o-", label=name)
            ttft_ax.plot(xs, [s["ttft_p99_s"] for s in steps], "o-", label=name)
    gap_ax.axhline(200, color="grey", ls="--", lw=1, label="goal 200 ms")
    ttft_ax.axhline(1, color="grey", ls="--", lw=1, label="goal 1 s")
    concurrency = sorted({s["answers"] for run in runs for s in run["steps"]})
    for ax, title, unit in ((gap_ax, "frame gap p99", "ms"), (ttft_ax, "time to first token p99", "s")):
        ax.set(title=title, xlabel="concurrent answers", ylabel=unit)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(concurrency, [str(n) for n in concurrency])
        ax.minorticks_off()
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
    if runs:
        fake, cpus = runs[0]["fake_ollama"], runs[0]["machine"]["cpus"]
        fig.suptitle(
            f"hadra: {fake['tokens']} tokens at {fake['tokens_per_s']:g} tokens/s per answer, "
            f"everything on one {cpus}-CPU machine"
        )
    fig.tight_layout()
    target = out / "capacity.png"
    fig.savefig(target, dpi=110)
    return target


def record(path: Path, run: dict[str, Any], step: dict[str, Any]) -> None:
    """Add a step to the results for this process count; a step measured again (same answers, idle
    sockets and server label) replaces the old figure, so separate runs (e.g. 400 and 800 later) add up."""
    steps = json.loads(path.read_text())["steps"] if path.exists() else []
    key = (step["answers"], step["idle"], label(step))
    steps = [s for s in steps if (s["answers"], s["idle"], label(s)) != key] + [step]
    steps.sort(key=lambda s: (label(s), s["idle"], s["answers"]))
    path.write_text(json.dumps({**run, "steps": steps}, indent=2) + "\n")


def machine() -> dict[str, Any]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {"cpus": os.cpu_count(), "cpu": model, "python": platform.python_version(), "kernel": platform.release()}


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.capacity", description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", default="50,100,200", help="concurrent answers per step, comma-separated")
    parser.add_argument("--processes", type=int, choices=(1, 2), default=1)
    parser.add_argument("--idle", type=int, default=0, help="silent sockets held open during each step")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "bench")
    parser.add_argument("--timeout", type=float, default=180, help="seconds a step waits for its answers")
    parser.add_argument("--spread", type=float, default=2, help="seconds over which the sends start")
    parser.add_argument("--tokens", type=int, default=200)
    parser.add_argument("--tokens-per-s", type=float, default=50)
    parser.add_argument(
        "--server", default="daphne", help=f"ASGI servers to run each step under, comma-separated: {', '.join(SERVERS)}"
    )
    parser.add_argument(
        "--root",
        type=Path,
        action="append",
        help="a hadra checkout to run the server from (repeatable; default: this one), with this .venv",
    )
    parser.add_argument(
        "--ollama-parallel",
        type=int,
        default=0,
        help="answers hadra lets the fake Ollama stream at once (HADRA_OLLAMA_MAX_PARALLEL; the rest queue); "
        "default: all of a step's answers (the fake has no limit of its own)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="py-spy on the server process during each step; prints the top functions"
    )
    args = parser.parse_args(argv)
    # `kill` and Ctrl-C (ignored by background jobs of a non-interactive shell unless set here)
    # both unwind through the context managers, which stop every service this run started.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    steps = [int(s) for s in args.steps.split(",")]
    try:
        variants = [Variant.of(server, root) for root in args.root or [ROOT] for server in args.server.split(",")]
    except (ValueError, subprocess.CalledProcessError) as exc:
        parser.error(str(exc))
    if args.profile:
        profiling.py_spy()  # fails now, not after the accounts are made
    open_files = _raise_open_files()
    args.out.mkdir(parents=True, exist_ok=True)
    results_path = args.out / f"capacity-{args.processes}p.json"
    run: dict[str, Any] = {
        "machine": machine(),
        "processes": args.processes,
        "database": "embedded MongoDB-protocol server (SecantusDB, in memory)",
        "fake_ollama": {"tokens": args.tokens, "tokens_per_s": args.tokens_per_s},
        "open_files_limit": open_files,
    }
    command = "python -m bench.capacity " + " ".join(argv if argv is not None else sys.argv[1:])
    print(HEADER.format(ideal=args.tokens / args.tokens_per_s), flush=True)
    with services(args.processes, args.tokens, args.tokens_per_s) as (env, database, reply):
        # Fresh accounts for every step's answers; the idle sockets' accounts (they send nothing) serve every step.
        all_tokens = bench_tokens(env, sum(steps) * len(variants) + args.idle)
        idle_tokens, all_tokens = all_tokens[: args.idle], all_tokens[args.idle :]
        for n in steps:
            for variant in variants:
                tokens, all_tokens = all_tokens[:n], all_tokens[n:]
                date = datetime.now(UTC).isoformat(timespec="seconds")
                slug = re.sub(r"[^\w.-]+", "-", f"{variant.label}-{args.processes}p-{n}-{args.idle}idle")
                profile_to = args.out / f"profile-{slug}.txt" if args.profile else None
                # The queue holds every answer the limit keeps waiting: the bench measures delivery, not refusals.
                parallel = args.ollama_parallel or n
                admission = {"HADRA_OLLAMA_MAX_PARALLEL": str(parallel), "HADRA_OLLAMA_MAX_QUEUE": str(n)}
                with ExitStack() as stack:
                    servers = [stack.enter_context(serve(variant, env | admission)) for _ in range(args.processes)]
                    step = run_step(servers, tokens, idle_tokens, database, reply, args, profile_to)
                    measured = asdict(asyncio.run(step))
                    result = {"label": variant.label, **variant.describe(), "ollama_max_parallel": parallel, **measured}
                print(row(result), flush=True)
                if profile_to:
                    result["profile"] = str(profile_to)
                    print(profiling.table(profile_to), flush=True)
                record(results_path, run, {"command": command, "date": date, **result})
    print(f"results: {results_path}\nplot: {plot(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
