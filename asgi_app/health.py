"""``GET /healthz``: is each part this process depends on up, and which version is it?

Answers 503 naming the parts that are down, so a load balancer and a person both see why.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from channels.layers import get_channel_layer
from django.conf import settings
from django.http import JsonResponse

from models.database import server_version
from ollama_gateway import shared_gateway

CHECK_TIMEOUT_S = 3.0


async def _mongodb() -> dict[str, Any]:
    return {"version": await server_version()}


async def _channel_layer() -> dict[str, Any]:
    status: dict[str, Any] = {"backend": "redis" if settings.REDIS_URL else "in-memory"}
    if settings.REDIS_URL:
        from redis.asyncio import Redis

        from access.redis_options import connection_options

        # First, as it fails at once with the reason when Redis is away (the layer would wait).
        redis = Redis.from_url(settings.REDIS_URL, **connection_options())
        try:
            status["version"] = (await redis.info("server"))["redis_version"]
        finally:
            await redis.aclose()
    # A real round trip through the layer: for Redis this proves both publish and subscription.
    await get_channel_layer().round_trip(CHECK_TIMEOUT_S)
    return status


async def _ollama() -> dict[str, Any]:
    gateway = shared_gateway(settings.OLLAMA_HOST)
    version, models = await asyncio.gather(gateway.version(), gateway.list_models())
    names = [m.name for m in models]
    return {
        "host": settings.OLLAMA_HOST,
        "version": version,
        "models": names,
        "default_model": settings.DEFAULT_MODEL,
        "default_model_available": settings.DEFAULT_MODEL in names or f"{settings.DEFAULT_MODEL}:latest" in names,
    }


async def _check(probe: Callable[[], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        result = await asyncio.wait_for(probe(), CHECK_TIMEOUT_S)
    except TimeoutError:
        return {"ok": False, "error": f"no answer within {CHECK_TIMEOUT_S:.0f} s"}
    except Exception as exc:  # every failure is reported, none crashes the health check
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__}
    return {"ok": True, "latency_ms": round((time.perf_counter() - started) * 1000, 1), **result}


async def healthz(request) -> JsonResponse:
    names = ("mongodb", "channel_layer", "ollama")
    results = await asyncio.gather(_check(_mongodb), _check(_channel_layer), _check(_ollama))
    body: dict[str, Any] = dict(zip(names, results, strict=True))
    down = [name for name in names if not body[name]["ok"]]
    body["status"] = "ok" if not down else "unavailable"
    if down:
        body["down"] = down
    return JsonResponse(body, status=503 if down else 200)
