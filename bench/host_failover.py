"""What users see when an Ollama host dies under load, with two hosts (OLLAMA_HOSTS) against one.

    .venv/bin/python -m bench.host_failover [--users 40] [--parallel 8] [--tokens 100] [--tokens-per-s 20]
        [--out docs/bench]

Set-up: the embedded MongoDB-protocol server (in memory), Redis, two hadra processes on it (users
alternate between them), and Ollama hosts played by the tests' fake Ollama, each its own process
(``--tokens`` at ``--tokens-per-s`` per answer), each admitting ``--parallel`` answers at once.

Each scenario: every user sends one question; once every answer is streaming or queued, host B is
killed (the fake's process terminated: its sockets close mid-answer); then every user sends a
second question; then B comes back on its address and the time until hadra gives it an answer again
is measured (the fleet checks hosts every HADRA_OLLAMA_HEALTH_INTERVAL_S, 5 s by default).
- baseline: B is the only host (OLLAMA_HOST): what one Ollama machine gives today;
- fleet: OLLAMA_HOSTS=A,B.

Per answer: how it ended, and whether the text the user was shown equals the text stored. The two
processes' /metrics (on HADRA_METRICS_PORT) are sampled every 0.25 s for answers in flight and
queued per host: the plot ``host_failover.png`` draws them, and a snapshot of one process's
/metrics (hadra's series) taken while the first wave streams and after the second is saved as
``host_failover-<scenario>-metrics.txt``.
Results go to ``host_failover.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import websockets
from bson import ObjectId
from prometheus_client.parser import text_string_to_metric_families
from pymongo import MongoClient

from bench.capacity import bench_tokens
from bench.common import BENCH_VAR, ROOT, Server, database_and_redis, hadra
from embedded import process
from tests.fakes.fake_ollama import DEFAULT_MODEL, FakeOllamaProcess

VAR = BENCH_VAR / "host_failover"
PROBE = "probe"  # a two-token model: a probe answer ends at once, so probes follow each other closely
QUESTIONS = ("Tell me a story.", "Another one, please.", "Say hello.")


@dataclass
class Seen:
    """One answer as its user saw it, and as the database kept it."""

    wave: int
    process: int
    host: str = ""  # "A" or "B", from the conversation (the host hadra chose)
    answer_id: str | None = None
    conversation_id: str | None = None
    queued: bool = False
    first_token_at: float | None = None
    shown: list[str] = field(default_factory=list)
    status: str | None = None
    error: str | None = None
    done_at: float | None = None
    stored_equals_shown: bool | None = None


class User:
    def __init__(self, ws: websockets.ClientConnection, process_index: int) -> None:
        self.ws, self.process = ws, process_index
        self.conversation_id: str | None = None

    async def ask(self, seen: Seen, started: asyncio.Event, model: str | None = None) -> None:
        frame = {"type": "chat.send", "conversation_id": self.conversation_id, "content": QUESTIONS[seen.wave]}
        await self.ws.send(json.dumps(frame | ({"model": model} if model else {})))
        async for raw in self.ws:
            frame = json.loads(raw)
            kind = frame.get("type")
            if kind == "message.created" and frame["message"]["role"] == "assistant":
                seen.answer_id = frame["message"]["id"]
                seen.conversation_id = self.conversation_id = frame["message"]["conversation_id"]
            elif kind == "message.queued" and frame["message_id"] == seen.answer_id:
                seen.queued = True
                started.set()
            elif kind == "message.delta" and frame["message_id"] == seen.answer_id:
                seen.first_token_at = seen.first_token_at or time.perf_counter()
                seen.shown.append(frame["text"])
                started.set()
            elif kind == "message.done" and frame["message_id"] == seen.answer_id:
                seen.status, seen.done_at = frame["status"], time.perf_counter()
                seen.error = (frame.get("error") or {}).get("code")
                started.set()
                return
            elif kind == "error":
                seen.status, seen.error = "refused", frame.get("code")
                started.set()
                return


class Sampler:
    """Answers in flight and queued per host, summed over hadra's processes, from their /metrics."""

    def __init__(self, metrics_urls: list[str], names: dict[str, str]) -> None:
        self.urls, self.names = metrics_urls, names
        self.rows: list[dict[str, Any]] = []
        self.t0 = time.perf_counter()

    async def run(self, stop: asyncio.Event) -> None:
        async with httpx.AsyncClient(timeout=5) as http:
            while not stop.is_set():
                row: dict[str, Any] = {"t": time.perf_counter() - self.t0}
                for url in self.urls:
                    try:
                        text = (await http.get(url)).text
                    except httpx.HTTPError:
                        continue
                    for family in text_string_to_metric_families(text):
                        if family.name in ("hadra_answers_in_flight", "hadra_answers_queued"):
                            for sample in family.samples:
                                host = self.names.get(sample.labels.get("host", ""))
                                if host:
                                    key = f"{family.name.removeprefix('hadra_answers_')} {host}"
                                    row[key] = row.get(key, 0) + sample.value
                self.rows.append(row)
                await asyncio.sleep(0.25)


@contextmanager
def _services() -> Iterator[dict[str, str]]:
    with database_and_redis(VAR) as env:
        yield env | {"DEFAULT_MODEL": DEFAULT_MODEL, "HADRA_MESSAGES_PER_MINUTE": "1000"}


async def _metrics(port: int) -> str:
    """hadra's own series from one process's metrics port (the client library's python_/process_ left out)."""
    async with httpx.AsyncClient(timeout=5) as http:
        text = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
    return "".join(line + "\n" for line in text.splitlines() if "hadra_" in line)


def _behave(fake: FakeOllamaProcess, args: argparse.Namespace) -> None:
    fake.set_behaviour(DEFAULT_MODEL, tokens=args.tokens, tokens_per_s=args.tokens_per_s)
    fake.set_behaviour(PROBE, tokens=2, tokens_per_s=1000)


def _hosts_of(uri: str, seen: list[Seen], names: dict[str, str]) -> None:
    """Which host each answer went to: its conversation's, read while it is the answer's."""
    with MongoClient(uri) as client:
        db = client.get_default_database()
        for s in seen:
            if s.conversation_id is not None:
                conversation = db.conversations.find_one({"_id": ObjectId(s.conversation_id)}) or {}
                s.host = names.get(conversation.get("ollama_host", ""), "?")


def _stored(uri: str, seen: list[Seen]) -> None:
    """Whether the text stored for each answer is the text its user was shown."""
    with MongoClient(uri) as client:
        db = client.get_default_database()
        for s in seen:
            if s.answer_id is not None:
                message = db.messages.find_one({"_id": ObjectId(s.answer_id)}) or {}
                s.stored_equals_shown = message.get("content") == "".join(s.shown)


async def _scenario(name: str, env: dict[str, str], args: argparse.Namespace, out: Path) -> dict[str, Any]:
    with ExitStack() as stack:
        a = stack.enter_context(FakeOllamaProcess()) if name == "fleet" else None
        b = stack.enter_context(FakeOllamaProcess())
        for fake in (a, b):
            if fake is not None:
                _behave(fake, args)
        names = {b.url: "B"} | ({a.url: "A"} if a else {})
        hosts = {"OLLAMA_HOSTS": f"{a.url},{b.url}"} if a else {"OLLAMA_HOSTS": b.url}
        metrics_ports = [process.free_port(), process.free_port()]
        servers: list[Server] = [
            stack.enter_context(
                hadra(
                    env,
                    60,
                    **hosts,
                    HADRA_OLLAMA_MAX_PARALLEL=str(args.parallel),
                    HADRA_METRICS_PORT=str(port),
                    HADRA_GENERATIONS_PER_USER="5",
                )
            )
            for port in metrics_ports
        ]
        tokens = bench_tokens(env, args.users)
        users = []
        for i, token in enumerate(tokens):
            ws = await websockets.connect(
                servers[i % 2].ws_url, additional_headers={"Authorization": f"Bearer {token}"}, ping_interval=None
            )
            users.append(User(ws, i % 2))
        sampler = Sampler([f"http://127.0.0.1:{p}/metrics" for p in metrics_ports], names)
        stop_sampling = asyncio.Event()
        sampling = asyncio.create_task(sampler.run(stop_sampling))
        seen: list[Seen] = []

        async def wave(index: int) -> list[asyncio.Task[None]]:
            started = [asyncio.Event() for _ in users]
            batch = [Seen(wave=index, process=u.process) for u in users]
            seen.extend(batch)
            tasks = [asyncio.create_task(u.ask(s, e)) for u, s, e in zip(users, batch, started, strict=True)]
            await asyncio.wait_for(asyncio.gather(*(e.wait() for e in started)), 120)
            return tasks

        first = await wave(0)
        await asyncio.sleep(1.0)  # every answer streaming or queued, a second of text shown
        _hosts_of(env["MONGODB_URI"], seen, names)  # before the second question moves conversations
        snapshots = {"while the first question's answers stream": await _metrics(metrics_ports[0])}
        killed_at = time.perf_counter()
        b.stop()
        await asyncio.gather(*first)
        second = await wave(1)
        await asyncio.gather(*second)
        _hosts_of(env["MONGODB_URI"], [x for x in seen if x.wave == 1], names)
        snapshots["after the second question's answers"] = await _metrics(metrics_ports[0])
        # B back on its address: how long until hadra starts an answer on it again. Two questions
        # at once: when both hosts are idle the first goes to A, the second to B once B is back.
        b.start()
        _behave(b, args)
        back_at = time.perf_counter()
        back_after: float | None = None
        while back_after is None and time.perf_counter() - back_at < 60:
            probes = [Seen(wave=2, process=u.process) for u in users[:2]]
            for user in users[:2]:
                user.conversation_id = None
            await asyncio.gather(*(u.ask(p, asyncio.Event(), PROBE) for u, p in zip(users, probes, strict=False)))
            _hosts_of(env["MONGODB_URI"], probes, names)
            on_b = [p for p in probes if p.host == "B" and p.first_token_at is not None]
            if on_b:
                back_after = on_b[0].first_token_at - back_at
        stop_sampling.set()
        await sampling
        for user in users:
            await user.ws.close()
        _stored(env["MONGODB_URI"], seen)
        (out / f"host_failover-{name}-metrics.txt").write_text(
            "".join(f"# --- {when} (one of the two processes) ---\n{text}" for when, text in snapshots.items())
        )
        return {
            "scenario": name,
            "killed_at_s": killed_at - sampler.t0,
            "back_at_s": back_at - sampler.t0,
            "back_after_s": back_after,
            "samples": sampler.rows,
            "answers": [
                asdict(s) | {"shown": len("".join(s.shown)), "done_after_kill_s": _after(s, killed_at)} for s in seen
            ],
        }


def _after(seen: Seen, killed_at: float) -> float | None:
    return None if seen.done_at is None else round(seen.done_at - killed_at, 2)


def table(result: dict[str, Any]) -> list[str]:
    """Rows: first wave by host and whether it was queued at the kill, then the second wave."""
    rows = []
    groups: dict[tuple[int, str, bool], list[dict[str, Any]]] = {}
    for a in result["answers"]:
        groups.setdefault((a["wave"], a["host"], a["queued"] and a["wave"] == 0), []).append(a)
    for (wave, host, queued), answers in sorted(groups.items()):
        statuses: dict[str, int] = {}
        for a in answers:
            statuses[a["status"]] = statuses.get(a["status"], 0) + 1
        kept = sum(1 for a in answers if a["stored_equals_shown"])
        ended = sorted(a["done_after_kill_s"] for a in answers if a["done_after_kill_s"] is not None)
        median = f"{ended[len(ended) // 2]:.1f} s" if ended else "–"
        text = sum(1 for a in answers if a["shown"])
        what = "before the kill" if wave == 0 else "after the kill"
        where = f"host {host}" + (" (waiting in its queue at the kill)" if queued else "")
        rows.append(
            f"| {result['scenario']} | {what} | {where} | {len(answers)} | "
            + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
            + f" | {kept}/{len(answers)} | {text} | {median} |"
        )
    return rows


def plot(results: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results), figsize=(6 * len(results), 4), sharey=True, squeeze=False)
    for ax, result in zip(axes[0], results, strict=True):
        keys = sorted({k for row in result["samples"] for k in row if k != "t"})
        t = [row["t"] for row in result["samples"]]
        for key in keys:
            ax.plot(t, [row.get(key, 0) for row in result["samples"]], label=key)
        ax.axvline(result["killed_at_s"], color="red", linestyle="--", label="host B killed")
        ax.axvline(result["back_at_s"], color="green", linestyle="--", label="host B back")
        ax.set_title(f"{result['scenario']}: answers per Ollama host (/metrics)")
        ax.set_xlabel("seconds")
        ax.legend(fontsize=7)
    axes[0][0].set_ylabel("answers")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


async def main_async(args: argparse.Namespace, out: Path) -> int:
    results = []
    with _services() as env:
        for name in ("baseline", "fleet"):
            results.append(await _scenario(name, env, args, out))
    print(
        "| scenario | question | where | answers | how they ended | stored = shown | with text shown"
        " | ended, after the kill (median) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for result in results:
        for line in table(result):
            print(line)
    for result in results:
        back = result["back_after_s"]
        print(
            f"{result['scenario']}: host B back → an answer's first token from it after {back:.1f} s"
            if back
            else f"{result['scenario']}: host B never used again within 60 s"
        )
    failed = {r["scenario"]: sum(1 for a in r["answers"] if a["status"] != "complete") for r in results}
    total = len(results[0]["answers"])
    print(
        f"answers not complete: baseline {failed['baseline']}/{total}, fleet {failed['fleet']}/{total}"
        + (f" ({failed['fleet'] / failed['baseline']:.2f}× the baseline)" if failed["baseline"] else "")
    )
    record = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "args": vars(args),
        "results": [{k: v for k, v in r.items() if k != "samples"} for r in results],
    }
    (out / "host_failover.json").write_text(json.dumps(record, indent=1))
    plot(results, out / "host_failover.png")
    print(f"wrote {out / 'host_failover.json'}, {out / 'host_failover.png'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--parallel", type=int, default=8, help="answers each host streams at once")
    parser.add_argument("--tokens", type=int, default=100)
    parser.add_argument("--tokens-per-s", type=float, default=20)
    parser.add_argument("--out", default=str(ROOT / "docs" / "bench"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    return asyncio.run(main_async(args, out))


if __name__ == "__main__":
    raise SystemExit(main())
