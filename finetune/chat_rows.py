"""Dataset rows → what TRL's SFTTrainer and the evaluator take: a prompt and the answer to learn.

Prompt-completion form makes TRL compute the loss on the answer only; learning to reproduce the
system prompt and the user's text would only dilute the training signal.
"""

from __future__ import annotations

from typing import Any

from finetune.errors import FinetuneError


def prompt_completion(row: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    messages = row.get("messages") or []
    if len(messages) < 2 or messages[-1].get("role") != "assistant":
        raise FinetuneError(f"dataset row {row.get('id', '?')} does not end with an assistant answer")
    return {"prompt": messages[:-1], "completion": messages[-1:]}
