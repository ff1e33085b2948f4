"""What one token of an Ollama answer costs the gateway to parse: the ``ollama`` library's path
against a dict from ``json.loads`` and from ``orjson.loads`` (the gateway's), in one run. (How a
whole stream is read, per token, is ``bench/stream_reading.py``.)

    .venv/bin/python -m bench.chunk_parsing [--tokens 200] [--answers 50] [--repeats 7]

The lines are Ollama 0.5.4's ``/api/chat`` stream (one line per token, then the ``done`` line with
the figures), in its compact JSON, the text a mix of English, Darija in Arabic script, punctuation
and line breaks. Per line, the best of ``--repeats`` runs, variants interleaved: bytes of one line
to a :class:`ChatChunk`. The library's path decodes the line to text (``aiter_lines``),
``json.loads`` it and builds a pydantic ``ChatResponse``, from which the gateway made its chunk;
the others parse the bytes to a dict and build the chunk from it.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable
from importlib.metadata import version

import httpx
import ollama
import orjson

from ollama_gateway.chat import ChatChunk, ChatStats, chunk_of, parse_part

HOST = "http://ollama.bench"
MODEL = "gemma3-270m:latest"
WORDS = ["The", " cat", " sat", " on", " the", " mat", ".", "\n\n", " Salam", ",", " كيداير", "؟", " مزيان", " بزاف",
         " \"quoted\"", " 42", "%", " —", " d'accord", " ok"]  # fmt: skip


def stream_lines(tokens: int) -> list[bytes]:
    """One answer as Ollama streams it: a line per token and the done line (Go's compact JSON)."""
    lines = []
    for index in range(tokens):
        created = f"2026-12-02T02:12:{index % 60:02d}.{index * 7919 % 10**9:09d}Z"
        part = {
            "model": MODEL,
            "created_at": created,
            "message": {"role": "assistant", "content": WORDS[index % len(WORDS)]},
            "done": False,
        }
        lines.append(json.dumps(part, ensure_ascii=False, separators=(",", ":")).encode())
    done = {
        "model": MODEL,
        "created_at": "2026-12-02T02:12:59.999999999Z",
        "message": {"role": "assistant", "content": ""},
        "done_reason": "stop",
        "done": True,
        "total_duration": 4_123_456_789,
        "load_duration": 12_345_678,
        "prompt_eval_count": 26,
        "prompt_eval_duration": 98_765_432,
        "eval_count": tokens,
        "eval_duration": 4_000_000_000,
    }
    lines.append(json.dumps(done, separators=(",", ":")).encode())
    return lines


def chunk_of_response(response: ollama.ChatResponse) -> ChatChunk:
    """How the gateway made a chunk of the library's ``ChatResponse`` before it parsed lines itself."""
    if not response.done:
        return ChatChunk(content=response.message.content or "", done=False)
    return ChatChunk(
        content=response.message.content or "",
        done=True,
        done_reason=response.done_reason,
        stats=ChatStats(
            eval_count=response.eval_count,
            eval_duration=response.eval_duration,
            prompt_eval_count=response.prompt_eval_count,
            prompt_eval_duration=response.prompt_eval_duration,
            load_duration=response.load_duration,
            total_duration=response.total_duration,
        ),
    )


def via_ollama(line: bytes) -> ChatChunk:
    part = json.loads(line.decode())
    if err := part.get("error"):
        raise ollama.ResponseError(err)
    return chunk_of_response(ollama.ChatResponse(**part))


def via_json(line: bytes) -> ChatChunk:
    part = json.loads(line)
    if err := part.get("error"):
        raise ollama.ResponseError(err)
    return chunk_of(part)


def via_orjson(line: bytes) -> ChatChunk:
    return chunk_of(parse_part(line, HOST))


PER_LINE: dict[str, Callable[[bytes], ChatChunk]] = {
    "ollama ChatResponse (before)": via_ollama,
    "json.loads + dict": via_json,
    "orjson.loads + dict (now)": via_orjson,
}


def per_line_us(parse: Callable[[bytes], ChatChunk], lines: list[bytes], answers: int) -> float:
    started = time.perf_counter_ns()
    for _ in range(answers):
        for line in lines:
            parse(line)
    return (time.perf_counter_ns() - started) / 1000 / (answers * len(lines))


def table(title: str, best: dict[str, float]) -> None:
    baseline = next(iter(best.values()))
    print(f"\n{title}")
    print(f"{'path':<42} {'µs/chunk':>9} {'× before':>9}")
    for name, us in best.items():
        print(f"{name:<42} {us:9.2f} {us / baseline:9.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokens", type=int, default=200, help="tokens per answer")
    parser.add_argument("--answers", type=int, default=50, help="answers per run")
    parser.add_argument("--repeats", type=int, default=7, help="runs of each variant; the best counts")
    args = parser.parse_args()
    lines = stream_lines(args.tokens)
    expected = [via_ollama(line) for line in lines]
    assert all([parse(line) for line in lines] == expected for parse in PER_LINE.values())

    print(
        f"Python {platform.python_version()}, ollama {version('ollama')}, pydantic {version('pydantic')}, "
        f"orjson {orjson.__version__}, httpx {httpx.__version__}; {args.answers} answers of "
        f"{args.tokens} tokens + done, best of {args.repeats}"
    )
    line_best = dict.fromkeys(PER_LINE, float("inf"))
    for _ in range(args.repeats):
        for name, parse in PER_LINE.items():
            line_best[name] = min(line_best[name], per_line_us(parse, lines, args.answers))
    table("Per line: bytes to a ChatChunk", line_best)


if __name__ == "__main__":
    main()
