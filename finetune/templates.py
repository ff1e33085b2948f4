"""Which Ollama chat template a fine-tuned model gets: the chat format it was trained on.

The served model must see prompts exactly as the training did, so the family is read from the
tokenizer's own (Jinja) chat template and mapped to its Ollama equivalent (written out in
``ollama_gateway.templates``); an unknown family is an error with a way out
(``--template FILE --stop TOKEN``), never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from finetune.errors import FinetuneError
from ollama_gateway.templates import CHATML_STOP, CHATML_TEMPLATE, GEMMA_STOP, GEMMA_TEMPLATE


@dataclass(frozen=True)
class ChatFormat:
    family: str
    template: str
    stops: tuple[str, ...]


CHATML = ChatFormat("chatml", CHATML_TEMPLATE, (CHATML_STOP,))
GEMMA = ChatFormat("gemma", GEMMA_TEMPLATE, (GEMMA_STOP,))


def detect(jinja_template: str) -> ChatFormat:
    """The Ollama format matching a Hugging Face tokenizer's chat template."""
    if "<|im_start|>" in jinja_template:
        return CHATML
    if "<start_of_turn>" in jinja_template:
        return GEMMA
    raise FinetuneError(
        "unknown chat template family (hadra knows ChatML/Qwen and Gemma): pass --template FILE "
        "(an Ollama TEMPLATE in Go template syntax) and --stop TOKEN to export"
    )


def modelfile(source_lines: list[str], chat: ChatFormat) -> str:
    """A Modelfile for ``ollama create -f``; ``source_lines`` are its FROM/ADAPTER lines.

    No SYSTEM: each conversation sends its own system prompt (or none), as the model was trained;
    a baked-in one would prompt every chat that has none (once, every chat became a translator).
    """
    lines = [*source_lines, f'TEMPLATE """{chat.template}"""']
    lines += [f'PARAMETER stop "{stop}"' for stop in chat.stops]
    return "\n".join(lines) + "\n"
