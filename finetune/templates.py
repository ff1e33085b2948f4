"""Ollama chat templates (Go text/template) for the chat formats a fine-tuned model was trained on.

The served model must see prompts exactly as the training did, so the family is read from the
tokenizer's own (Jinja) chat template and mapped to its Ollama equivalent; an unknown family is an
error with a way out (``--template FILE --stop TOKEN``), never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from embedded.ollama import GEMMA_STOP, GEMMA_TEMPLATE
from finetune.errors import FinetuneError

# ChatML as Qwen2/2.5 write it: the system turn (from SYSTEM or the request), then the turns,
# then an open assistant turn. System messages reach the template as .System.
CHATML_TEMPLATE = """{{- if .System }}<|im_start|>system
{{ .System }}<|im_end|>
{{ end }}
{{- range $i, $_ := .Messages }}
{{- $last := eq (len (slice $.Messages $i)) 1 }}
{{- if eq .Role "user" }}<|im_start|>user
{{ .Content }}<|im_end|>
{{ else if eq .Role "assistant" }}<|im_start|>assistant
{{ .Content }}{{ if not $last }}<|im_end|>
{{ end }}
{{- end }}
{{- if and (ne .Role "assistant") $last }}<|im_start|>assistant
{{ end }}
{{- end }}"""


@dataclass(frozen=True)
class ChatFormat:
    family: str
    template: str
    stops: tuple[str, ...]


CHATML = ChatFormat("chatml", CHATML_TEMPLATE, ("<|im_end|>",))
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


def modelfile(source_lines: list[str], chat: ChatFormat, system: str) -> str:
    """A Modelfile for ``ollama create -f``; ``source_lines`` are its FROM/ADAPTER lines."""
    if '"""' in system:
        raise FinetuneError('the system prompt contains """, which a Modelfile cannot quote')
    lines = [*source_lines, f'TEMPLATE """{chat.template}"""']
    if system:
        lines.append(f'SYSTEM """{system}"""')
    lines += [f'PARAMETER stop "{stop}"' for stop in chat.stops]
    return "\n".join(lines) + "\n"
