"""The legacy Modelfile text that Ollama servers before the 0.5.5 create API need.

Why: Intel's IPEX-LLM builds (Ollama 0.5.4, the CPU Ollama hadra embeds) only accept
``{"model", "modelfile"}`` on ``/api/create``; current servers take
``{"model", "from", "files", "adapters"}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


def is_digest(value: str) -> bool:
    """Whether ``value`` names an uploaded blob (``sha256:<64 hex>``) rather than a model."""
    return _DIGEST.fullmatch(value) is not None


def require_digest(value: str, what: str) -> str:
    if not is_digest(value):
        raise ValueError(
            f"{what} {value!r} is not a blob digest (sha256:<64 hex>); upload the file with push_blob first"
        )
    return value


def _quoted(text: str, what: str) -> str:
    # Ollama's Modelfile parser knows no escapes: a value is "..." or """...""" verbatim.
    if '"""' in text:
        raise ValueError(f'{what} contains """, which a Modelfile cannot hold; remove it')
    if '"' in text or "\n" in text:
        return f'"""{text}"""'
    return f'"{text}"'


def _parameter_lines(parameters: Mapping[str, Any]) -> list[str]:
    lines = []
    for key, value in parameters.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            if isinstance(item, str):
                text = _quoted(item, f"parameter {key}")
            else:
                text = str(item).lower() if isinstance(item, bool) else str(item)
            lines.append(f"PARAMETER {key} {text}")
    return lines


def legacy_modelfile(
    base: str,
    adapters: Sequence[str] = (),
    template: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    system: str | None = None,
) -> str:
    """A Modelfile for ``base`` (a model name or a blob digest) plus adapter blob digests."""
    lines = [f"FROM @{base}" if is_digest(base) else f"FROM {base}"]
    lines += [f"ADAPTER @{require_digest(digest, 'adapter')}" for digest in adapters]
    if template is not None:
        lines.append(f"TEMPLATE {_quoted(template, 'template')}")
    if system is not None:
        lines.append(f"SYSTEM {_quoted(system, 'system prompt')}")
    lines += _parameter_lines(parameters or {})
    return "\n".join(lines) + "\n"
