"""What one delta costs the channel layer, and whether it arrives: hadra's FanoutLayer against the
layers Channels ships, measured in the same run.

    .venv/bin/python -m bench.layer_fanout [--messages 5000] [--idle 0,1000,2000] [--out docs/bench]

One process: a conversation with 2 sockets, ``--idle`` other sockets open (each in its own user
group, as hadra's are), ``--messages`` group sends to the conversation while its sockets read.
Reported: CPU µs per delivered message, for Channels' InMemoryChannelLayer (the baseline) and
FanoutLayer without Redis.

Two processes (two layers on one event loop, on a Redis started for the run): a conversation with
one socket in each, the same group sends from one of them, sent at once (a burst, as many
answers' deltas are). Reported: CPU µs per delivered message and how many messages each side
lost, for channels_redis' core layer (the baseline, hadra's layer before issue 12), its pub/sub
layer and FanoutLayer on Redis. CPU is this process's (both sides and the clients of Redis), not
Redis's.

Prints a table with ratios against each baseline and draws ``layer_fanout.png`` in ``--out``.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from channels.layers import InMemoryChannelLayer
from channels_redis.core import RedisChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer

from asgi_app.channel_layer import FanoutLayer
from bench.common import BENCH_VAR, ROOT
from embedded import process, redis

VAR = BENCH_VAR / "layer_fanout"
QUIET_S = 2.0  # a reader that hears nothing for this long has everything it will get
GROUP = "conversation.bench"
FRAME = '{"type":"message.delta","message_id":"0123456789abcdef01234567","seq":1,"text":" word"}'


class Reader:
    """Receives from one channel until it has ``expected`` messages; a lossy layer's reader is
    stopped once nothing has come for QUIET_S."""

    def __init__(self, layer: Any, channel: str, expected: int) -> None:
        self.got = 0
        self.last = time.monotonic()
        self.task = asyncio.create_task(self._run(layer, channel, expected))

    async def _run(self, layer: Any, channel: str, expected: int) -> None:
        while self.got < expected:
            await layer.receive(channel)
            self.got += 1
            self.last = time.monotonic()


async def _finish(readers: list[Reader]) -> int:
    while not all(r.task.done() for r in readers):
        if all(r.task.done() or time.monotonic() - r.last > QUIET_S for r in readers):
            for r in readers:
                r.task.cancel()
            break
        await asyncio.sleep(0.05)
    return sum(r.got for r in readers)


async def _send(layer: Any, seq: int) -> None:
    await layer.group_send(GROUP, {"type": "chat.event", "frame": FRAME, "seq": seq})


async def one_process(make: Callable[[], Any], idle: int, messages: int) -> dict[str, Any]:
    layer = make()
    for index in range(idle):
        await layer.group_add(f"user.{index}", await layer.new_channel())
    members = [await layer.new_channel() for _ in range(2)]
    for channel in members:
        await layer.group_add(GROUP, channel)
    readers = [Reader(layer, channel, messages) for channel in members]
    cpu = time.process_time()
    for seq in range(messages):
        await _send(layer, seq)
        await asyncio.sleep(0)  # as a generation does between deltas: the readers get their turn
    delivered = await _finish(readers)
    cpu = time.process_time() - cpu
    return {"delivered": delivered, "lost": 2 * messages - delivered, "cpu_us": cpu / max(1, delivered) * 1e6}


async def two_processes(make: Callable[[], Any], messages: int) -> dict[str, Any]:
    a, b = make(), make()
    on_a, on_b = await a.new_channel(), await b.new_channel()
    await a.group_add(GROUP, on_a)
    await b.group_add(GROUP, on_b)
    await asyncio.sleep(0.2)  # subscriptions settle
    readers = [Reader(a, on_a, messages), Reader(b, on_b, messages)]
    cpu = time.process_time()
    # A burst: every send at once, as the deltas of many answers are.
    chunk = 50  # channels_redis core runs out of pooled connections at 200 sends in flight
    for start in range(0, messages, chunk):
        await asyncio.gather(*(_send(a, seq) for seq in range(start, min(messages, start + chunk))))
    delivered = await _finish(readers)
    cpu = time.process_time() - cpu  # a lossy layer's readers also wait QUIET_S, which costs little CPU
    for layer in (a, b):
        await layer.flush()
    return {
        "delivered": delivered,
        "lost": 2 * messages - delivered,
        "cpu_us": cpu / max(1, delivered) * 1e6,
    }


def plot(rows: list[dict[str, Any]], out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for name in sorted({r["layer"] for r in rows if r["kind"] == "one process"}):
        points = [(r["idle"], r["cpu_us"]) for r in rows if r["layer"] == name and r["kind"] == "one process"]
        ax.plot(*zip(*points, strict=True), marker="o", label=name)
    ax.set_xlabel("other sockets open")
    ax.set_ylabel("CPU µs per delivered message")
    ax.set_title("One process: cost of a delta against sockets open")
    ax.grid(alpha=0.3)
    ax.legend()
    path = out / "layer_fanout.png"
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path


async def run(args: argparse.Namespace, redis_url: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    local = {
        "InMemoryChannelLayer": lambda: InMemoryChannelLayer(capacity=1500),
        "FanoutLayer": lambda: FanoutLayer(capacity=1000),
    }
    for idle in args.idle:
        for name, make in local.items():
            rows.append(
                {"kind": "one process", "layer": name, "idle": idle, **await one_process(make, idle, args.messages)}
            )
    remote = {
        "channels_redis core": lambda: RedisChannelLayer(hosts=[{"address": redis_url}], capacity=1500),
        "channels_redis pubsub": lambda: RedisPubSubChannelLayer(hosts=[{"address": redis_url}]),
        "FanoutLayer on Redis": lambda: FanoutLayer(redis_url=redis_url, capacity=100_000),
    }
    for name, make in remote.items():
        rows.append({"kind": "two processes", "layer": name, "idle": 0, **await two_processes(make, args.messages)})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.layer_fanout", description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--idle", type=lambda s: [int(x) for x in s.split(",")], default=[0, 1000, 2000])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "bench")
    args = parser.parse_args(argv)
    port = process.free_port()
    process.start(redis.service(port, VAR), VAR)
    try:
        rows = asyncio.run(run(args, redis.url(port)))
    finally:
        process.stop(redis.NAME, VAR)
    baselines = {"one process": {}, "two processes": {}}
    for r in rows:
        key = r["idle"]
        if r["layer"] in ("InMemoryChannelLayer", "channels_redis core"):
            baselines[r["kind"]][key] = r["cpu_us"]
    print(f"{'kind':<14} {'layer':<24} {'idle':>5} {'delivered':>9} {'lost':>6} {'µs/msg':>8} {'× base':>7}")
    for r in rows:
        base = baselines[r["kind"]].get(r["idle"])
        ratio = f"{r['cpu_us'] / base:.2f}" if base else "-"
        print(
            f"{r['kind']:<14} {r['layer']:<24} {r['idle']:>5} {r['delivered']:>9} {r['lost']:>6} "
            f"{r['cpu_us']:>8.1f} {ratio:>7}"
        )
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"plot: {plot(rows, args.out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
