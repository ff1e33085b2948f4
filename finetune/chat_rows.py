"""Dataset rows → what TRL's trainers and the evaluator take: a prompt and the answer to learn.

Prompt-completion form makes TRL compute the loss on the answer only; learning to reproduce the
system prompt and the user's text would only dilute the training signal.

A multi-turn row longer than the sequence length loses whole exchanges from its start (the oldest
question and its answer), never the system prompt, the last question or the answer: cutting the end
would train on half an answer, and letting the tokenizer overflow only warns and truncates blindly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from finetune.errors import FinetuneError

Messages = list[dict[str, str]]


def prompt_completion(row: dict[str, Any]) -> dict[str, Messages]:
    messages = row.get("messages") or []
    if len(messages) < 2 or messages[-1].get("role") != "assistant":
        raise FinetuneError(f"dataset row {row.get('id', '?')} does not end with an assistant answer")
    return {"prompt": messages[:-1], "completion": messages[-1:]}


def fit(pair: dict[str, Messages], length: Callable[[Messages], int], max_length: int) -> dict[str, Messages] | None:
    """``pair`` with its oldest exchanges dropped until ``length(prompt + completion)`` is at most
    ``max_length``; None when the last question and the answer alone are longer."""
    prompt = list(pair["prompt"])
    head = prompt[:1] if prompt and prompt[0]["role"] == "system" else []
    turns = prompt[len(head) :]
    while True:
        candidate = {"prompt": head + turns, "completion": pair["completion"]}
        if length(candidate["prompt"] + candidate["completion"]) <= max_length:
            return candidate
        if len(turns) <= 1:
            return None
        turns = turns[2:]  # a question and its answer: the prompt still starts with a question


def token_counter(tokenizer: Any) -> Callable[[Messages], int]:
    """How many tokens the chat template makes of ``messages`` (tokenised without the tokenizer's
    too-long warning: measuring a row is not running it through the model)."""

    def length(messages: Messages) -> int:
        text = tokenizer.apply_chat_template(messages, tokenize=False)
        return len(tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"])

    return length
