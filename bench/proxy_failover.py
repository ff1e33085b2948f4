"""What users see when one hadra process dies mid-answers behind the proxy: N users chat through
nginx (docker/nginx/hadra.conf, as docker-compose.yml runs it) over two hadra processes on Redis,
the tests' fake Ollama streaming every answer; once every answer is streaming, one process is
killed (SIGKILL, a crash).

    .venv/bin/python -m bench.proxy_failover [--users 100] [--tokens 400] [--tokens-per-s 40] [--out docs/bench]

Three phases, each on fresh processes and fresh accounts, in the same run:
- direct: the users' sockets straight to the two processes (alternating), nothing killed: the baseline;
- proxy: the same through nginx, nothing killed: what the proxy costs;
- proxy + kill: through nginx, one process killed a few seconds into the answers.

The users behave as the web app does: a socket that closes is reopened through the same address
with the app's backoff (0.5 s doubling, jittered), the conversation is opened again (its snapshot:
what the user is shown), the user waits for the answer to end and then sends the next question in
the same conversation. Per user it records which process nginx gave the socket (nginx's
$upstream_addr, in a header the benchmark's own nginx configuration adds), how the answer ended, the
text shown before the kill, after reconnecting and at the end, and the times from the kill until the
socket is back and until the conversation takes a new question (the answer of the dead process must
first be marked interrupted by a living one: chat/recovery.py). What is stored is read the way a
user reads it, from a fresh socket's snapshot after the end.

Prints a table, writes ``proxy_failover.json`` and ``proxy_failover.png`` (users of the killed
process back on a socket, and able to send again, against seconds after the kill) to ``--out``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
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

from bench.capacity import bench_tokens, fmt, machine, percentile
from bench.common import BENCH_VAR, ROOT, Server, answering, database_and_redis
from embedded import launcher, process
from embedded.nginx import UPSTREAM_HEADER, Nginx
from tests.fakes.fake_ollama import DEFAULT_MODEL, Behaviour, FakeOllamaProcess

VAR = BENCH_VAR / "proxy_failover"  # pid files and logs of this benchmark's services
QUESTION = "Tell me a story."
PHASES = ("direct", "proxy", "proxy + kill")


def backoff_s(attempt: int) -> float:
    """The web app's reconnect delay (web/src/socket.ts backoffMs): 0.5 s doubling, capped, jittered."""
    return min(15.0, 0.5 * 2 ** max(0, attempt - 1)) * (0.75 + 0.5 * random.random())


@dataclass
class User:
    """One person: one conversation, one question, and what happened to its answer."""

    token: str
    upstream: str = ""
    conversation_id: str | None = None
    answer_id: str | None = None
    sent_at: float | None = None
    first_delta_at: float | None = None
    seen: list[str] = field(default_factory=list)  # deltas, in order
    done_at: float | None = None
    status: str | None = None  # how the answer ended, as the user was told
    done_content: str | None = None
    closed_at: float | None = None
    reconnected_at: float | None = None
    reconnect_attempts: int = 0
    shown_after_reconnect: str | None = None
    sent_again_at: float | None = None
    again_status: str | None = None
    stored: str | None = None  # the answer's text in a fresh snapshot after the end
    error: str | None = None

    @property
    def seen_text(self) -> str:
        return "".join(self.seen)


async def _open(url: str, token: str) -> tuple[websockets.ClientConnection, str]:
    ws = await websockets.connect(
        url, additional_headers={"Authorization": f"Bearer {token}"}, ping_interval=None, open_timeout=60
    )
    return ws, ws.response.headers.get(UPSTREAM_HEADER, url)


async def _frames(ws: websockets.ClientConnection):
    async for raw in ws:
        yield time.perf_counter(), json.loads(raw)


async def _until_done(ws: websockets.ClientConnection, user: User, message_id: str) -> tuple[float, dict]:
    async for at, frame in _frames(ws):
        if frame["type"] == "message.done" and frame["message_id"] == message_id:
            return at, frame
        if frame["type"] == "error":
            raise RuntimeError(frame["code"])
    raise websockets.ConnectionClosedOK(None, None)


async def _ask(ws: websockets.ClientConnection, user: User, conversation_id: str | None, reply: str) -> str:
    """chat.send; the new answer's id (and the conversation's, the first time)."""
    await ws.send(json.dumps({"type": "chat.send", "conversation_id": conversation_id, "content": QUESTION}))
    async for _, frame in _frames(ws):
        if frame["type"] == "message.created" and frame["message"]["role"] == "assistant":
            user.conversation_id = frame["message"]["conversation_id"]
            return str(frame["message"]["id"])
        if frame["type"] == "error":
            raise RuntimeError(frame["code"])
    raise websockets.ConnectionClosedOK(None, None)


class Starts:
    """Set once every user's first answer is streaming (or that user gave up): then the kill."""

    def __init__(self, users: int) -> None:
        self.left = users
        self.all = asyncio.Event()

    def one(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self.all.set()


async def _stream(ws: websockets.ClientConnection, user: User, starts: Starts) -> None:
    """The first answer's deltas until it ends (or the socket does)."""
    async for at, frame in _frames(ws):
        if frame["type"] == "message.delta" and frame["message_id"] == user.answer_id:
            if user.first_delta_at is None:
                user.first_delta_at = at
                starts.one()
            user.seen.append(frame["text"])
        elif frame["type"] == "message.done" and frame["message_id"] == user.answer_id:
            user.done_at, user.status, user.done_content = at, frame["status"], frame["content"]
            return
        elif frame["type"] == "error":
            raise RuntimeError(frame["code"])


async def _come_back(url: str, user: User, reply: str) -> None:
    """As the web app does after its socket closed: reconnect with backoff, reopen the conversation,
    wait for the answer to end, then send the next question there and read it to the end."""
    while True:
        user.reconnect_attempts += 1
        await asyncio.sleep(backoff_s(user.reconnect_attempts))
        try:
            ws, _ = await _open(url, user.token)
            break
        except (OSError, websockets.InvalidHandshake):
            continue
    try:
        await ws.send(json.dumps({"type": "conversation.open", "conversation_id": user.conversation_id}))
        async for at, frame in _frames(ws):
            if frame["type"] == "conversation.snapshot":
                user.reconnected_at = at
                answer = next(m for m in frame["messages"] if m["id"] == user.answer_id)
                user.shown_after_reconnect = answer["content"]
                if answer["status"] not in ("queued", "streaming"):
                    user.done_at, user.status, user.done_content = at, answer["status"], answer["content"]
                break
        if user.status is None:
            user.done_at, done = await _until_done(ws, user, str(user.answer_id))
            user.status, user.done_content = done["status"], done["content"]
        again = await _ask(ws, user, user.conversation_id, reply)
        user.sent_again_at = time.perf_counter()
        _, done = await _until_done(ws, user, again)
        user.again_status = "complete & exact" if done["content"] == reply else done["status"]
    finally:
        await ws.close()


async def _user(url: str, user: User, send_at: float, reply: str, starts: Starts) -> None:
    try:
        await _user_life(url, user, send_at, reply, starts)
    finally:
        if user.first_delta_at is None:
            starts.one()


async def _user_life(url: str, user: User, send_at: float, reply: str, starts: Starts) -> None:
    try:
        ws, user.upstream = await _open(url, user.token)
    except (OSError, websockets.InvalidHandshake) as exc:
        user.error = f"connect: {type(exc).__name__}"
        return
    try:
        await asyncio.sleep(max(0.0, send_at - time.perf_counter()))
        user.sent_at = time.perf_counter()
        user.answer_id = await _ask(ws, user, None, reply)
        await _stream(ws, user, starts)
        if user.status is None:
            raise websockets.ConnectionClosedOK(None, None)
        await ws.close()
    except websockets.ConnectionClosed:
        user.closed_at = time.perf_counter()
        if user.answer_id is None:
            user.error = "closed before the answer started"
            return
        await _come_back(url, user, reply)
    except RuntimeError as exc:
        user.error = str(exc)


async def _stored(url: str, user: User) -> None:
    """The answer's text as a fresh socket's snapshot shows it: what was kept."""
    if user.conversation_id is None:
        return
    ws, _ = await _open(url, user.token)
    try:
        await ws.send(json.dumps({"type": "conversation.open", "conversation_id": user.conversation_id}))
        async for _, frame in _frames(ws):
            if frame["type"] == "conversation.snapshot":
                user.stored = next(m["content"] for m in frame["messages"] if m["id"] == user.answer_id)
                return
    finally:
        await ws.close()


# --- one phase -------------------------------------------------------------------------------------


@dataclass
class PhaseResult:
    phase: str
    users: int
    on_killed_process: int
    complete_exact: int
    interrupted: int
    failed_or_other: dict[str, int]
    errors: dict[str, int]
    ttft_p50_s: float | None
    answer_p50_s: float | None  # answers that completed
    reconnect_p50_s: float | None  # after the kill, users of the killed process
    reconnect_max_s: float | None
    send_again_p50_s: float | None
    send_again_max_s: float | None
    answers_after_complete_exact: int
    seen_chars: int  # shown before the kill, interrupted answers
    shown_after_reconnect_chars: int
    stored_chars: int
    seen_not_stored_chars: int  # text a user saw that the stored answer does not have
    stored_not_seen_chars: int  # text stored that the user had not been sent before the kill
    all_text_is_the_models: bool
    wall_s: float
    reconnect_s: list[float]
    send_again_s: list[float]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _summarise(phase: str, users: list[User], killed: str | None, kill_at: float | None, reply: str, wall: float):
    def r(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    hit = [u for u in users if killed and u.upstream.split(", ")[-1] == killed]
    interrupted = [u for u in users if u.status == "interrupted"]
    other: dict[str, int] = {}
    for u in users:
        if u.status not in (None, "complete", "interrupted") or (u.status == "complete" and u.done_content != reply):
            other[str(u.status)] = other.get(str(u.status), 0) + 1
    errors: dict[str, int] = {}
    for u in users:
        if u.error:
            errors[u.error] = errors.get(u.error, 0) + 1
    reconnect = sorted(u.reconnected_at - kill_at for u in hit if kill_at and u.reconnected_at)
    send_again = sorted(u.sent_again_at - kill_at for u in hit if kill_at and u.sent_again_at)
    texts = [t for u in users for t in (u.seen_text, u.shown_after_reconnect, u.stored, u.done_content) if t]
    return PhaseResult(
        phase=phase,
        users=len(users),
        on_killed_process=len(hit),
        complete_exact=sum(u.status == "complete" and u.done_content == reply for u in users),
        interrupted=len(interrupted),
        failed_or_other=other,
        errors=errors,
        ttft_p50_s=r(percentile([u.first_delta_at - u.sent_at for u in users if u.first_delta_at and u.sent_at], 50)),
        answer_p50_s=r(percentile([u.done_at - u.sent_at for u in users if u.status == "complete" and u.sent_at], 50)),
        reconnect_p50_s=r(percentile(reconnect, 50)),
        reconnect_max_s=r(max(reconnect, default=None)),
        send_again_p50_s=r(percentile(send_again, 50)),
        send_again_max_s=r(max(send_again, default=None)),
        answers_after_complete_exact=sum(u.again_status == "complete & exact" for u in users),
        seen_chars=sum(len(u.seen_text) for u in interrupted),
        shown_after_reconnect_chars=sum(len(u.shown_after_reconnect or "") for u in interrupted),
        stored_chars=sum(len(u.stored or "") for u in interrupted),
        seen_not_stored_chars=sum(len(u.seen_text) - _common_prefix(u.seen_text, u.stored or "") for u in interrupted),
        stored_not_seen_chars=sum(
            len(u.stored or "") - _common_prefix(u.seen_text, u.stored or "") for u in interrupted
        ),
        all_text_is_the_models=all(reply.startswith(t) for t in texts),
        wall_s=round(wall, 1),
        reconnect_s=[round(x, 2) for x in reconnect],
        send_again_s=[round(x, 2) for x in send_again],
    )


async def run_phase(
    phase: str, servers: list[Server], proxy: Nginx | None, tokens: list[str], reply: str, args: argparse.Namespace
) -> PhaseResult:
    users = [User(token) for token in tokens]
    urls = [proxy.ws_url] if proxy else [s.ws_url for s in servers]
    starts = Starts(len(users))
    start = time.perf_counter() + 1
    tasks = [
        asyncio.create_task(_user(urls[i % len(urls)], u, start + args.spread * i / len(users), reply, starts))
        for i, u in enumerate(users)
    ]
    killed, kill_at = None, None
    if phase == "proxy + kill":
        # Once every answer streams, and a checkpoint (about a second) has saved some of each.
        await asyncio.wait_for(starts.all.wait(), args.timeout)
        await asyncio.sleep(args.kill_after)
        victim = servers[0]
        killed = victim.url.removeprefix("http://")
        kill_at = time.perf_counter()
        os.killpg(victim.proc.pid, signal.SIGKILL)  # the whole process group: a crash
    _, pending = await asyncio.wait(tasks, timeout=args.timeout)
    for task in pending:
        task.cancel()
    wall = time.perf_counter() - start
    # What was kept, read as a user reads it (a surviving process answers through the same address).
    read_at = [proxy.ws_url] if proxy else [servers[-1].ws_url]
    await asyncio.gather(*(_stored(read_at[0], u) for u in users), return_exceptions=True)
    return _summarise(phase, users, killed, kill_at, reply, wall)


# --- services, output ------------------------------------------------------------------------------


@contextmanager
def services(tokens: int, tokens_per_s: float) -> Iterator[tuple[dict[str, str], str]]:
    """The database (in memory), Redis, and the fake Ollama as its own process; hadra's environment
    and the reply every answer is."""
    with database_and_redis(VAR) as env, FakeOllamaProcess() as fake:
        fake.set_behaviour(DEFAULT_MODEL, tokens=tokens, tokens_per_s=tokens_per_s)
        env |= {"OLLAMA_HOST": fake.url, "DEFAULT_MODEL": DEFAULT_MODEL}
        yield env, Behaviour(tokens=tokens, tokens_per_s=tokens_per_s).reply()


@contextmanager
def hadra_process(env: dict[str, str], index: int) -> Iterator[Server]:
    """daphne as the Procfile runs it (--proxy-headers), on a free port."""
    port = process.free_port()
    log = VAR / "log" / f"daphne-{index}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        proc = launcher.serve(
            "127.0.0.1",
            port,
            env,
            ("--proxy-headers",),
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    with answering(proc, port, 60, log) as server:
        yield server


HEADER = (
    "| phase | users | on the killed process | complete & exact | interrupted | failed / other "
    "| TTFT p50 (× direct) | answer time p50 | back on a socket p50 / max | can send again p50 / max "
    "| next answer complete & exact | text seen / stored / seen but not stored (chars) |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def row(r: dict[str, Any], baseline_ttft: float | None) -> str:
    ratio = f" ({r['ttft_p50_s'] / baseline_ttft:.2f}×)" if baseline_ttft and r["ttft_p50_s"] else ""
    other = sum(r["failed_or_other"].values()) + sum(r["errors"].values())
    text = f"{r['seen_chars']:,} / {r['stored_chars']:,} / {r['seen_not_stored_chars']:,}" if r["interrupted"] else "—"
    return (
        f"| {r['phase']} | {r['users']} | {r['on_killed_process']} | {r['complete_exact']} | {r['interrupted']} "
        f"| {other} | {fmt(r['ttft_p50_s'])} s{ratio} | {fmt(r['answer_p50_s'], '.1f')} s "
        f"| {fmt(r['reconnect_p50_s'], '.1f')} / {fmt(r['reconnect_max_s'], '.1f')} s "
        f"| {fmt(r['send_again_p50_s'], '.1f')} / {fmt(r['send_again_max_s'], '.1f')} s "
        f"| {r['answers_after_complete_exact'] if r['on_killed_process'] else '—'} | {text} |"
    )


def plot(result: dict[str, Any], out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    killed = next(p for p in result["phases"] if p["phase"] == "proxy + kill")
    n = killed["on_killed_process"] or 1
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for key, name in (("reconnect_s", "back on a socket (snapshot shown)"), ("send_again_s", "can send again")):
        xs = killed[key]
        ax.step([0, *xs], [0, *[100 * (i + 1) / n for i in range(len(xs))]], where="post", label=name)
    ax.set(
        xlabel="seconds after the process was killed",
        ylabel="% of the killed process's users",
        title=f"{killed['users']} users through nginx over 2 hadra processes; one killed mid-answers",
    )
    ax.set_ylim(0, 105)
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    target = out / "proxy_failover.png"
    fig.savefig(target, dpi=110)
    return target


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.proxy_failover", description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--tokens", type=int, default=400, help="tokens per answer")
    parser.add_argument("--tokens-per-s", type=float, default=40)
    parser.add_argument("--spread", type=float, default=2, help="seconds over which the first questions are sent")
    parser.add_argument("--kill-after", type=float, default=3, help="seconds after every answer streams")
    parser.add_argument("--timeout", type=float, default=180, help="seconds a phase waits for its users")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "bench")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    args.out.mkdir(parents=True, exist_ok=True)
    print(HEADER, flush=True)
    phases: list[dict[str, Any]] = []
    with services(args.tokens, args.tokens_per_s) as (env, reply):
        all_tokens = bench_tokens(env, args.users * len(PHASES))
        # Room for every answer at once, twice (the first questions and the next ones): the
        # benchmark measures the failover, not the model queue.
        admission = {"HADRA_OLLAMA_MAX_PARALLEL": str(2 * args.users), "HADRA_OLLAMA_MAX_QUEUE": str(2 * args.users)}
        for i, phase in enumerate(PHASES):
            tokens = all_tokens[i * args.users : (i + 1) * args.users]
            with ExitStack() as stack:
                servers = [stack.enter_context(hadra_process(env | admission, n)) for n in range(2)]
                proxy = None
                if phase != "direct":
                    backends = [s.url.removeprefix("http://") for s in servers]
                    proxy = Nginx(backends, VAR / "nginx" / phase.replace(" + ", "-")).start()
                    stack.callback(proxy.stop)
                measured = asdict(asyncio.run(run_phase(phase, servers, proxy, tokens, reply, args)))
            phases.append(measured)
            print(row(measured, phases[0]["ttft_p50_s"]), flush=True)
    result = {
        "command": "python -m bench.proxy_failover " + " ".join(argv if argv is not None else sys.argv[1:]),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "fake_ollama": {"tokens": args.tokens, "tokens_per_s": args.tokens_per_s},
        "kill_after_s": args.kill_after,
        "phases": phases,
    }
    path = args.out / "proxy_failover.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"results: {path}\nplot: {plot(result, args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
