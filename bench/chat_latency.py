"""Time to first token and stop latency through hadra, against Ollama's own, in one run.

    .venv/bin/python -m bench.chat_latency [--rounds 20]

Each round asks the same question twice, interleaved: straight to Ollama's /api/chat (stream, time
to the first content chunk), and through hadra (WebSocket chat.send in a new conversation, time
to the first message.delta). hadra's round then presses stop and times the message.done. Both
paths use the same real CPU Ollama, model and options. Also prints the server's memory (RSS).

Both kinds of request end early (the direct one is closed after its first token, hadra's is
stopped), and Ollama needs a moment to wind a cancelled answer down: a request sent straight after
one waits for it. Each measurement therefore starts SETTLE_S after the previous one ended, the same
for both paths.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from pathlib import Path

import httpx

from bench.common import Server, bearer_token, hadra, services, summary
from bench.ws import ChatSocket

QUESTION = "What is the capital of France?"
ANSWER_TOKENS = 64
SETTLE_S = 0.15


async def ollama_ttft(host: str, model: str) -> float:
    body = {
        "model": model,
        "messages": [{"role": "user", "content": QUESTION}],
        "stream": True,
        "options": {"num_predict": ANSWER_TOKENS},
    }
    async with httpx.AsyncClient(base_url=host, timeout=120) as client:
        started = time.perf_counter()
        async with client.stream("POST", "/api/chat", json=body) as response:
            async for line in response.aiter_lines():
                if line and json.loads(line).get("message", {}).get("content"):
                    return (time.perf_counter() - started) * 1000
    raise RuntimeError("Ollama sent no content")


async def hadra_round(client: ChatSocket) -> tuple[float, float]:
    started = time.perf_counter()
    await client.send("chat.send", conversation_id=None, content=QUESTION)
    placeholder = await client.until(lambda f: f["type"] == "message.created" and f["message"]["role"] == "assistant")
    answer_id = placeholder["message"]["id"]
    first = await client.until(
        lambda f: f["type"] in {"message.delta", "message.done"} and f["message_id"] == answer_id, 120
    )
    ttft = (first["_at"] - started) * 1000
    stop_sent = time.perf_counter()
    await client.send("chat.stop", message_id=answer_id)
    done = await client.until(lambda f: f["type"] == "message.done" and f["message_id"] == answer_id, 60)
    return ttft, (done["_at"] - stop_sent) * 1000


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def measure(env: dict[str, str], server: Server, rounds: int) -> None:
    idle_rss = rss_mb(server.proc.pid)
    client = await ChatSocket.connect(server.ws_url, await bearer_token(server.url))
    await ollama_ttft(env["OLLAMA_HOST"], env["DEFAULT_MODEL"])  # load the model once
    await hadra_round(client)
    direct, through, stops = [], [], []
    for _ in range(rounds):
        await asyncio.sleep(SETTLE_S)
        direct.append(await ollama_ttft(env["OLLAMA_HOST"], env["DEFAULT_MODEL"]))
        await asyncio.sleep(SETTLE_S)
        ttft, stop = await hadra_round(client)
        through.append(ttft)
        stops.append(stop)
    busy_rss = rss_mb(server.proc.pid)
    await client.close()
    ratio = statistics.median(through) / statistics.median(direct)
    print(f"model {env['DEFAULT_MODEL']} on the local CPU Ollama, {rounds} interleaved rounds")
    print(f"Ollama's own TTFT      {summary(direct)}")
    print(f"hadra TTFT (WebSocket) {summary(through)}")
    print(f"ratio hadra ÷ Ollama   {ratio:.3f}×  (+{statistics.median(through) - statistics.median(direct):.1f} ms)")
    print(f"stop → message.done    {summary(stops)}")
    print(f"server memory (RSS)    idle {idle_rss:.0f} MB, after the rounds {busy_rss:.0f} MB")


def main(rounds: int) -> None:
    # The services start before the event loop: registering the model uses the gateway's sync facade.
    with (
        services() as env,
        hadra(env, HADRA_MAX_ANSWER_TOKENS=str(ANSWER_TOKENS), HADRA_MESSAGES_PER_MINUTE="10000") as server,
    ):
        asyncio.run(measure(env, server, rounds))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    main(parser.parse_args().rounds)
