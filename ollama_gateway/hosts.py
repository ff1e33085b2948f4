"""An Ollama host's address as people and logs may see it."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def shown(host: str) -> str:
    """``host`` without the user name and password it may carry."""
    parts = urlsplit(host if "://" in host else f"http://{host}")
    if parts.username is None and parts.password is None:
        return host
    netloc = parts.hostname or ""
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))
