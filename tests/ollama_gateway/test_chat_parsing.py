"""The gateway's chat parsing without a server: Ollama's NDJSON body, however the network splits it,
becomes the same chunks, with the text, the ending and the stats Ollama reported."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ollama_gateway import ChatChunk, ChatStats, OllamaRequestFailed
from ollama_gateway.chat import NDJSONLines, chunk_of, parse_part

HOST = "http://127.0.0.1:11434"
CREATED = "2026-12-02T02:12:11.123456789Z"
# What Ollama 0.5.4 streams for /api/chat: a line per token, then the done line with the figures.
BODY = [
    {"model": "gemma3", "created_at": CREATED, "message": {"role": "assistant", "content": "Salam"}, "done": False},
    {"model": "gemma3", "created_at": CREATED, "message": {"role": "assistant", "content": " كيداير،"}, "done": False},
    {"model": "gemma3", "created_at": CREATED, "message": {"role": "assistant", "content": '\n"ok"'}, "done": False},
    {
        "model": "gemma3",
        "created_at": CREATED,
        "message": {"role": "assistant", "content": ""},
        "done_reason": "stop",
        "done": True,
        "total_duration": 2_000_000_000,
        "load_duration": 5_000_000,
        "prompt_eval_count": 26,
        "prompt_eval_duration": 100_000_000,
        "eval_count": 3,
        "eval_duration": 60_000_000,
    },
]
WIRE = b"".join(json.dumps(part, ensure_ascii=False).encode() + b"\n" for part in BODY)
EXPECTED = [
    ChatChunk("Salam", False),
    ChatChunk(" كيداير،", False),
    ChatChunk('\n"ok"', False),
    ChatChunk("", True, "stop", ChatStats(3, 60_000_000, 26, 100_000_000, 5_000_000, 2_000_000_000)),
]


def _chunks(blocks: list[bytes]) -> list[ChatChunk]:
    lines = NDJSONLines()
    parts = [part for block in blocks for part in lines.feed(block)] + lines.rest()
    return [chunk_of(parse_part(line, HOST)) for line in parts]


def test_a_body_read_line_by_line_gives_the_text_the_ending_and_the_stats() -> None:
    chunks = _chunks([line + b"\n" for line in WIRE.splitlines()])
    assert chunks == EXPECTED
    assert chunks[-1].stats is not None and chunks[-1].stats.tokens_per_s == pytest.approx(50)


@given(st.lists(st.integers(min_value=0, max_value=len(WIRE)), max_size=12))
def test_however_the_network_splits_the_body_the_chunks_are_the_same(cuts: list[int]) -> None:
    edges = [0, *sorted(cuts), len(WIRE)]
    blocks = [WIRE[start:end] for start, end in itertools.pairwise(edges)]
    assert _chunks(blocks) == EXPECTED


def test_blank_lines_are_skipped_and_a_last_line_without_line_feed_is_kept() -> None:
    assert _chunks([b"\n", WIRE.rstrip(b"\n").replace(b"\n", b"\n\r\n")]) == EXPECTED


def test_missing_content_and_figures_are_empty_not_errors() -> None:
    assert chunk_of({"done": False}) == ChatChunk("", False)
    assert chunk_of({"message": {"role": "assistant", "content": None}, "done": True}) == ChatChunk(
        "", True, None, ChatStats(None, None, None, None, None, None)
    )


@pytest.mark.parametrize("line", [b"<html>502 Bad Gateway</html>", b"[1, 2]", b'{"message": '])
def test_a_line_that_is_not_a_json_object_is_a_typed_failure(line: bytes) -> None:
    with pytest.raises(OllamaRequestFailed, match=re.escape(f"Ollama at {HOST} sent")):
        parse_part(line, HOST)
