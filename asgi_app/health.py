"""``GET /healthz``: is each part this process depends on up, and which version is it?

Answers 503 naming the parts that are down, so a load balancer and a person both see why:
MongoDB, the channel layer, or Ollama when no host of OLLAMA_HOSTS can answer with the default
model. The detail (versions, per-host models and load) is for staff: it maps the deployment.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable
from typing import Any

from channels.layers import get_channel_layer
from django.conf import settings
from django.http import HttpRequest, JsonResponse

from access.auth import staff_of
from chat import admission
from chat.fleet import HostHealth
from models.database import server_version
from ollama_gateway import shared_gateway, shown

CHECK_TIMEOUT_S = 3.0
HOST_TIMEOUT_S = 2.5  # inside the Ollama check's time: a silent host is named, the others still count


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


async def _host(host: str) -> dict[str, Any]:
    """One Ollama host: its version and models, and the answers it holds or queues (every process)."""
    gateway = shared_gateway(host)
    load = asyncio.ensure_future(admission.for_host(host).load())
    try:
        version, models = await asyncio.gather(gateway.version(), gateway.list_models())
    finally:
        await asyncio.wait([load])
    health = HostHealth(host, up=True, models=frozenset(m.name for m in models))
    return {
        "version": version,
        "models": sorted(health.models),
        "default_model_available": health.has(settings.DEFAULT_MODEL),
        "answers": None if load.exception() else load.result(),  # Redis away: the channel layer says so
    }


async def _ollama() -> dict[str, Any]:
    """Up when at least one host can answer with the default model: then a new chat works. Down,
    it keeps every host's detail (its ``ok`` overrides :func:`_check`'s)."""
    probes = (functools.partial(_host, host) for host in settings.OLLAMA_HOSTS)
    checked = await asyncio.gather(*(_check(probe, HOST_TIMEOUT_S) for probe in probes))
    hosts = [{"host": shown(host), **h} for host, h in zip(settings.OLLAMA_HOSTS, checked, strict=True)]
    serving = [h for h in hosts if h["ok"] and h["default_model_available"]]
    status: dict[str, Any] = {"default_model": settings.DEFAULT_MODEL, "serving": len(serving), "hosts": hosts}
    if not serving:
        reasons = [f"{h['host']}: {h.get('error') or 'no ' + settings.DEFAULT_MODEL}" for h in hosts]
        status |= {
            "ok": False,
            "error": "no Ollama host can answer with the default model (" + "; ".join(reasons) + ")",
        }
    return status


async def _check(probe: Callable[[], Awaitable[dict[str, Any]]], timeout_s: float = CHECK_TIMEOUT_S) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        result = await asyncio.wait_for(probe(), timeout_s)
    except TimeoutError:
        return {"ok": False, "error": f"no answer within {timeout_s:g} s"}
    except Exception as exc:  # every failure is reported, none crashes the health check
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__}
    return {"ok": True, "latency_ms": round((time.perf_counter() - started) * 1000, 1), **result}


async def healthz(request: HttpRequest) -> JsonResponse:
    """Public: the status and the names of the parts that are down. Staff (a session or an API
    token) also get each part's detail: versions, and per Ollama host up or down, models, answers."""
    names = ("mongodb", "channel_layer", "ollama")
    results = await asyncio.gather(_check(_mongodb), _check(_channel_layer), _check(_ollama))
    parts: dict[str, Any] = dict(zip(names, results, strict=True))
    down = [name for name in names if not parts[name]["ok"]]
    body: dict[str, Any] = {"status": "ok" if not down else "unavailable"}
    if down:
        body["down"] = down
    if await _staff(request):
        body.update(parts)
    return JsonResponse(body, status=503 if down else 200)


async def _staff(request: HttpRequest) -> bool:
    try:
        user = await staff_of(request)
    except Exception:  # the database being down is reported above; the detail is not shown then
        return False
    return user is not None
