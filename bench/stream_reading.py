"""What reading an answer stream costs per token: the gateway's stream now (aiohttp, read once per
delta interval, everything that arrived in one go) against the httpx stream it replaced (one read
per token), on the same fake Ollama, in one run.

    .venv/bin/python -m bench.stream_reading [--answers 100] [--tokens 200] [--tokens-per-s 50] [--repeats 2]

``--answers`` streams at once from the tests' fake Ollama (its own process), each read to its end;
CPU is this process's (the reading only: no hadra server, no sockets to clients). The httpx variant
is the gateway's code before the change (kept here as the baseline). The paced variants wait
``FLUSH_INTERVAL_S`` between reads, as chat/generation.py does.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import AsyncGenerator, Awaitable, Callable

import httpx

from chat.coalescer import FLUSH_INTERVAL_S
from ollama_gateway import OllamaGateway
from ollama_gateway.chat import NDJSONLines, chunk_of, parse_part, request_body
from tests.fakes.fake_ollama import FakeOllamaProcess

MODEL = "bench-stream"
MESSAGES = [{"role": "user", "content": "Tell me a story."}]


async def _httpx_chunks(client: httpx.AsyncClient) -> AsyncGenerator[int, None]:
    """The gateway's stream before: one network block per HTTP chunk (a token), parsed as it comes."""
    lines = NDJSONLines()
    async with client.stream("POST", "/api/chat", json=request_body(MODEL, MESSAGES, stream=True)) as response:
        async for block in response.aiter_bytes():
            for line in lines.feed(block):
                chunk = chunk_of(parse_part(line, "bench"))
                yield len(chunk.content.split())
                if chunk.done:
                    return


async def httpx_per_token(url: str, answers: int) -> int:
    limits = httpx.Limits(max_connections=answers, max_keepalive_connections=answers)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:

        async def one() -> int:
            return sum([words async for words in _httpx_chunks(client)])

        return sum(await asyncio.gather(*(one() for _ in range(answers))))


async def gateway(url: str, answers: int, pace_s: float) -> int:
    async with OllamaGateway(url, max_streams=answers) as ollama:

        async def one() -> int:
            words = 0
            async with ollama.chat_stream(MODEL, MESSAGES) as stream:
                async for batch in stream.batches():
                    words += sum(len(chunk.content.split()) for chunk in batch)
                    if pace_s:
                        await asyncio.sleep(pace_s)
            return words

        return sum(await asyncio.gather(*(one() for _ in range(answers))))


def measure(read: Callable[[], Awaitable[int]]) -> tuple[float, float, int]:
    cpu, wall = time.process_time(), time.perf_counter()
    words = asyncio.run(read())
    return time.process_time() - cpu, time.perf_counter() - wall, words


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stream_reading", description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=100)
    parser.add_argument("--tokens", type=int, default=200)
    parser.add_argument("--tokens-per-s", type=float, default=50)
    parser.add_argument("--repeats", type=int, default=2, help="runs of each variant, interleaved; the best counts")
    args = parser.parse_args(argv)
    with FakeOllamaProcess() as fake:
        behaviour = fake.set_behaviour(MODEL, tokens=args.tokens, tokens_per_s=args.tokens_per_s)
        variants: dict[str, Callable[[], Awaitable[int]]] = {
            "httpx, a read per token (before)": lambda: httpx_per_token(fake.url, args.answers),
            "aiohttp, a read per token": lambda: gateway(fake.url, args.answers, 0),
            "aiohttp, a read per delta (now)": lambda: gateway(fake.url, args.answers, FLUSH_INTERVAL_S),
        }
        best: dict[str, tuple[float, float]] = {}
        expected = args.answers * len(behaviour.reply().split())
        for _ in range(args.repeats):
            for name, read in variants.items():
                cpu, wall, words = measure(read)
                assert words == expected, (name, words, expected)
                if name not in best or cpu < best[name][0]:
                    best[name] = (cpu, wall)
    tokens = args.answers * args.tokens
    baseline = next(iter(best.values()))[0]
    print(f"{args.answers} answers of {args.tokens} tokens at {args.tokens_per_s:g} tokens/s, best of {args.repeats}")
    print(f"{'reader':<36} {'CPU µs/token':>13} {'× before':>9} {'wall s':>7}")
    for name, (cpu, wall) in best.items():
        print(f"{name:<36} {cpu / tokens * 1e6:>13.1f} {cpu / baseline:>9.2f} {wall:>7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
