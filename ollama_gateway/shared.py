"""One gateway per Ollama host and event loop, reused by every request of the process.

Why: building a gateway builds two HTTP clients, and each loads a TLS context (~40 ms measured
here, even for plain http) — on the path to the first token that is most of hadra's overhead.
Reuse also keeps connections to Ollama alive between answers.
"""

from __future__ import annotations

import asyncio

from ollama_gateway.gateway import OllamaGateway

_gateways: dict[tuple[asyncio.AbstractEventLoop, str, float, int | None], OllamaGateway] = {}


def shared_gateway(host: str, *, read_timeout: float = 300.0, max_streams: int | None = None) -> OllamaGateway:
    """The process's gateway to ``host`` on the running loop; never close it, it is shared.
    ``max_streams``: the answers the host is let stream at once, which sizes the HTTP pool."""
    key = (asyncio.get_running_loop(), host, read_timeout, max_streams)
    gateway = _gateways.get(key)
    if gateway is None:
        gateway = _gateways[key] = OllamaGateway(host, read_timeout=read_timeout, max_streams=max_streams)
    return gateway


async def close_shared_gateways() -> None:
    """Close the gateways of the running loop, before the loop itself closes (a test session's end):
    their connections are closed instead of being reported as left open when collected."""
    loop = asyncio.get_running_loop()
    for key in [key for key in _gateways if key[0] is loop]:
        await _gateways.pop(key).aclose()
