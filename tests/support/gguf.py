"""Small GGUF files written byte by byte, for tests of what reads them (finetune/gguf_check.py,
finetune register): a valid header and tensor data without a training run or the gguf package."""

from __future__ import annotations

import secrets
import struct

F32 = 0


def _string(text: str) -> bytes:
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


def _kv(key: str, value: str | int) -> bytes:
    if isinstance(value, str):
        return _string(key) + struct.pack("<I", 8) + _string(value)
    return _string(key) + struct.pack("<II", 4, value)


def gguf(metadata: dict[str, str | int], tensors: list[tuple[str, tuple[int, ...]]]) -> bytes:
    """A GGUF (version 3) with float32 tensors of zeros, laid out as llama.cpp writes them."""
    head = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(metadata))
    head += b"".join(_kv(k, v) for k, v in metadata.items())
    offset, data = 0, b""
    for name, dims in tensors:
        head += _string(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        head += struct.pack("<IQ", F32, offset)
        size = 4
        for dim in dims:
            size *= dim
        padded = -(-size // 32) * 32
        data += b"\0" * padded
        offset += padded
    return head + b"\0" * (-len(head) % 32) + data


def lora_adapter(architecture: str = "gemma3", width: int = 640, layer: int = 0) -> bytes:
    """A LoRA adapter of zeros on one attention weight: by default it fits the test model (gemma3,
    640 wide), so Ollama creates and loads it and it changes nothing; each call's file is new."""
    meta = {
        "general.architecture": architecture,
        "general.type": "adapter",
        "adapter.type": "lora",
        "tag": secrets.token_hex(8),
    }
    return gguf(
        meta,
        [(f"blk.{layer}.attn_q.weight.lora_a", (width, 4)), (f"blk.{layer}.attn_q.weight.lora_b", (4, 1024))],
    )
