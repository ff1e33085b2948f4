"""What a GGUF file says about itself, read before it is uploaded: a corrupt, truncated or non-GGUF
file, or an adapter made for another base, must be refused here with a sentence saying which file
and why, not turned into an Ollama model that fails on its first answer.

Reads the header only (key-values and tensor descriptions), then checks that the file is long
enough for every tensor it describes: a copy cut short is caught without reading its data.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from finetune.errors import FinetuneError

MAGIC = b"GGUF"
VERSIONS = (2, 3)
DEFAULT_ALIGNMENT = 32
# Header fields past these counts are corruption, not models (llama.cpp's own sanity limits are similar).
MAX_COUNT = 1 << 24
MAX_STRING = 1 << 26

# Key-value types: struct format of the scalars; 8 = string, 9 = array.
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9
# ggml tensor types: (values per block, bytes per block), from ggml.h; others are not size-checked.
_BLOCKS = {
    0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24), 8: (32, 34), 9: (32, 36),
    10: (256, 84), 11: (256, 110), 12: (256, 144), 13: (256, 176), 14: (256, 210), 15: (256, 292),
    16: (256, 66), 17: (256, 74), 18: (256, 98), 19: (256, 50), 20: (32, 18), 21: (256, 110), 22: (256, 82),
    23: (256, 136), 24: (1, 1), 25: (1, 2), 26: (1, 4), 27: (1, 8), 28: (1, 8), 29: (256, 56), 30: (1, 2),
    34: (256, 54), 35: (256, 66), 39: (32, 17),
}  # fmt: skip


# Modules whose input is the model's embedding width (their LoRA A matrix is that wide).
_READ_EMBEDDINGS = frozenset({"attn_q", "attn_k", "attn_v", "ffn_gate", "ffn_up"})


class _Truncated(Exception):
    pass


@dataclass
class Tensor:
    name: str
    dims: tuple[int, ...]  # ggml order: dims[0] is the row length
    type: int
    offset: int


@dataclass
class GgufHeader:
    version: int
    metadata: dict[str, Any]  # arrays as their length only
    tensors: list[Tensor] = field(default_factory=list)

    @property
    def architecture(self) -> str | None:
        value = self.metadata.get("general.architecture")
        return value if isinstance(value, str) else None

    @property
    def is_adapter(self) -> bool:
        return self.metadata.get("general.type") == "adapter"


def _read(file: BinaryIO, size: int) -> bytes:
    data = file.read(size)
    if len(data) != size:
        raise _Truncated
    return data


def _unpack(file: BinaryIO, fmt: str) -> Any:
    return struct.unpack(fmt, _read(file, struct.calcsize(fmt)))[0]


def _string(file: BinaryIO) -> str:
    size = _unpack(file, "<Q")
    if size > MAX_STRING:
        raise ValueError(f"a string of {size} bytes")
    return _read(file, size).decode("utf-8", errors="replace")


def _value(file: BinaryIO, kind: int) -> Any:
    if kind in _SCALARS:
        return _unpack(file, _SCALARS[kind])
    if kind == _STRING:
        return _string(file)
    if kind == _ARRAY:
        item, count = _unpack(file, "<I"), _unpack(file, "<Q")
        if count > MAX_COUNT * 64:
            raise ValueError(f"an array of {count} values")
        for _ in range(count):
            _value(file, item)
        return count
    raise ValueError(f"unknown value type {kind}")


def _tensor_bytes(tensor: Tensor) -> int:
    per_block, block_bytes = _BLOCKS.get(tensor.type, (1, 0))
    values = 1
    for dim in tensor.dims:
        values *= dim
    return values // per_block * block_bytes


def read_header(path: Path) -> GgufHeader:
    """The header of ``path``; FinetuneError naming the file and what is wrong with it."""
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            magic = file.read(4)
            if magic != MAGIC:
                raise FinetuneError(
                    f"{path.name} is not a GGUF file (it starts with {magic!r}, not {MAGIC!r}): export it again"
                )
            header = _parse(file)
            header_end = file.tell()
            alignment = header.metadata.get("general.alignment", DEFAULT_ALIGNMENT)
            data_start = -(-file.tell() // alignment) * alignment
    except _Truncated:
        raise FinetuneError(f"{path.name} is cut short inside its GGUF header: the file is incomplete") from None
    except (ValueError, UnicodeDecodeError, ZeroDivisionError) as exc:
        raise FinetuneError(f"{path.name} has a corrupt GGUF header ({exc}): export it again") from None
    need = max((data_start + t.offset + _tensor_bytes(t) for t in header.tensors), default=header_end)
    if size < need:
        raise FinetuneError(
            f"{path.name} is truncated: its header describes {need} bytes of tensors but the file has "
            f"{size}; copy or export it again"
        )
    return header


def _parse(file: BinaryIO) -> GgufHeader:
    version = _unpack(file, "<I")
    if version not in VERSIONS:
        raise ValueError(f"GGUF version {version}, which this reader does not know")
    tensor_count, kv_count = _unpack(file, "<Q"), _unpack(file, "<Q")
    if tensor_count > MAX_COUNT or kv_count > MAX_COUNT:
        raise ValueError(f"{tensor_count} tensors and {kv_count} keys")
    metadata = {}
    for _ in range(kv_count):
        key = _string(file)
        metadata[key] = _value(file, _unpack(file, "<I"))
    tensors = []
    for _ in range(tensor_count):
        name = _string(file)
        n_dims = _unpack(file, "<I")
        if n_dims > 8:
            raise ValueError(f"tensor {name} with {n_dims} dimensions")
        dims = tuple(_unpack(file, "<Q") for _ in range(n_dims))
        tensors.append(Tensor(name, dims, _unpack(file, "<I"), _unpack(file, "<Q")))
    return GgufHeader(version, metadata, tensors)


def check_adapter_base(
    adapter: GgufHeader, adapter_name: str, base: GgufHeader | dict[str, Any], base_name: str
) -> None:
    """An adapter applies only to the base it was trained on: same architecture, and its LoRA
    matrices as wide as the base's embeddings. ``base`` is the base's GGUF header, or the model info
    Ollama reports for a base it serves (``general.architecture``, ``<arch>.embedding_length``)."""
    info = base.metadata if isinstance(base, GgufHeader) else base
    base_arch = info.get("general.architecture")
    if not adapter.is_adapter:
        raise FinetuneError(f"{adapter_name} is a GGUF model, not a LoRA adapter: export the adapter form again")
    if adapter.architecture != base_arch:
        raise FinetuneError(
            f"{adapter_name} is an adapter for a {adapter.architecture!r} model, but its base {base_name} is "
            f"{base_arch!r}: train and export it on the model it is meant for"
        )
    width, blocks = info.get(f"{base_arch}.embedding_length"), info.get(f"{base_arch}.block_count")
    for tensor in adapter.tensors:
        parts = tensor.name.split(".")  # blk.<n>.<module>.weight.lora_a
        if len(parts) < 3 or parts[0] != "blk" or not parts[1].isdigit():
            continue
        if isinstance(blocks, int) and int(parts[1]) >= blocks:
            raise FinetuneError(
                f"{adapter_name} adapts layer {parts[1]}, but its base {base_name} has {blocks} layers: "
                "it belongs to another base model"
            )
        reads_embeddings = parts[2] in _READ_EMBEDDINGS and tensor.name.endswith(".lora_a")
        if isinstance(width, int) and reads_embeddings and tensor.dims and tensor.dims[0] != width:
            raise FinetuneError(
                f"{adapter_name} was trained on a model {tensor.dims[0]} wide, but its base {base_name} is "
                f"{width} wide: it belongs to another base model"
            )
