"""A tiny random-weight Qwen2 base model, built locally in seconds: the pipeline's smoke test.

Tests (and a user trying the pipeline without a GPU or a 15 GB download) need a real Qwen2-architecture
model that llama.cpp and Ollama load like any other. This one has the real Qwen2 tokenizer (from the
vocab GGUF in the pinned llama.cpp sources, so nothing comes from a hub) and Qwen2.5-Instruct's chat
template, but only 2 layers of width 64: it says nothing sensible until it is fine-tuned.
"""

from __future__ import annotations

from pathlib import Path

from finetune import llamacpp

_VOCAB = "models/ggml-vocab-qwen2.gguf"
_TEMPLATE = "models/templates/Qwen-Qwen2.5-7B-Instruct.jinja"


def build(out: Path, seed: int = 0) -> Path:
    import torch
    from transformers import AutoTokenizer, Qwen2Config, Qwen2ForCausalLM

    tools = llamacpp.ensure()
    tokenizer = AutoTokenizer.from_pretrained(str(tools / "models"), gguf_file=Path(_VOCAB).name)
    tokenizer.chat_template = (tools / _TEMPLATE).read_text(encoding="utf-8")
    tokenizer.eos_token = "<|im_end|>"  # as in Qwen2.5-Instruct: an answer ends its turn
    tokenizer.pad_token = "<|endoftext|>"
    torch.manual_seed(seed)
    config = Qwen2Config(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=2048,
        tie_word_embeddings=True,
        # With the usual 0.02 init, tied embeddings cap every logit near 1: the output stays almost
        # uniform over 152k tokens however well it learns, and GGUF quantisation can flip greedy picks.
        initializer_range=0.3,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=None,
    )
    model = Qwen2ForCausalLM(config)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))
    return out
