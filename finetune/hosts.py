"""Which Ollama hosts a registration goes to: ``--ollama-host`` (repeated or comma-separated), else
the server's own setting from the environment, ``OLLAMA_HOSTS`` (the fleet), else ``OLLAMA_HOST``.

Read here and not from the server's settings: finetune/ runs in its own venv and may not import
the server's packages (pyproject's import contracts).
"""

from __future__ import annotations

import os

DEFAULT_HOST = "http://127.0.0.1:11434"


def ollama_hosts(given: list[str] | None = None) -> list[str]:
    """The hosts, each once, in the order given (trailing slashes dropped, as the server does)."""
    sources = given or [os.environ.get("OLLAMA_HOSTS") or os.environ.get("OLLAMA_HOST") or DEFAULT_HOST]
    hosts = [h.strip().rstrip("/") for value in sources for h in value.split(",") if h.strip()]
    return list(dict.fromkeys(hosts))
