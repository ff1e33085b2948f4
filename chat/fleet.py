"""Which Ollama hosts are up and which models each one has, as this process last saw them.

Why each process asks for itself: a GET /api/tags per host every OLLAMA_HEALTH_INTERVAL_S is
cheap for Ollama, and state that no other process keeps cannot be lost or go stale with a
process that died. An answer that finds its host gone marks it down at once (:meth:`Fleet.mark_down`),
so the next answers go elsewhere without waiting for the next check; the next check that gets
an answer brings the host back.

A host's URL may carry credentials (``http://user:pass@host``): ``ollama_gateway.shown`` is the
form that goes into logs, metrics and the admin page.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace

from django.conf import settings

from ollama_gateway import shared_gateway, shown
from telemetry.metrics import OLLAMA_HOST_UP

log = logging.getLogger(__name__)

CHECK_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class HostHealth:
    """One host as last checked: up or not, and the models it has (names as Ollama lists them)."""

    host: str
    up: bool
    models: frozenset[str] = field(default_factory=frozenset)
    error: str | None = None
    checked_at: float | None = None  # time.time() of the last check; None before the first

    def has(self, model: str) -> bool:
        return serves(self.models, model)


def serves(models: Collection[str], model: str) -> bool:
    """Whether a host listing ``models`` has ``model`` (a name without a tag means ``:latest``, as in Ollama)."""
    return model in models or (":" not in model and f"{model}:latest" in models)


class Fleet:
    """The Ollama hosts of this process's event loop, checked in the background."""

    def __init__(self, hosts: Sequence[str], *, interval_s: float, timeout_s: float = CHECK_TIMEOUT_S) -> None:
        if not hosts:
            raise ValueError("a fleet has at least one Ollama host")
        self.hosts: tuple[str, ...] = tuple(hosts)
        self._interval_s = interval_s
        self._timeout_s = timeout_s
        # Unknown until the first check: counted up, so a start-up with Ollama slow to list still tries it.
        self._health = {host: HostHealth(host, up=True) for host in self.hosts}
        self._checked = asyncio.Event()
        self._watcher: asyncio.Task[None] | None = None

    def watch(self) -> None:
        """Start the background checks (once; again if they stopped)."""
        if self._watcher is None or self._watcher.done():
            self._watcher = asyncio.get_running_loop().create_task(self._watch(), name="ollama hosts")

    async def serving(self, model: str) -> list[str]:
        """The hosts that are up and have ``model``, in OLLAMA_HOSTS order."""
        await self._first_check()
        return [h for h in self.hosts if self._health[h].up and self._health[h].has(model)]

    async def up(self) -> list[str]:
        await self._first_check()
        return [h for h in self.hosts if self._health[h].up]

    async def snapshot(self) -> list[HostHealth]:
        await self._first_check()
        return [self._health[h] for h in self.hosts]

    def mark_down(self, host: str, reason: str) -> None:
        """An answer found ``host`` gone: no new answer goes there until a check gets an answer."""
        before = self._health.get(host)
        if before is None or not before.up:
            return
        self._set(replace(before, up=False, error=reason))

    async def refresh(self) -> None:
        """Check every host now, in parallel."""
        results = await asyncio.gather(*(self._check(host) for host in self.hosts))
        for health in results:
            self._set(health)
        self._checked.set()

    async def _first_check(self) -> None:
        if not self._checked.is_set():
            self.watch()
            await self._checked.wait()

    async def _watch(self) -> None:
        while True:
            try:
                await self.refresh()
            except Exception as exc:  # never stop checking; the next round may work
                log.warning("checking the Ollama hosts failed: %s", exc)
            await asyncio.sleep(self._interval_s)

    async def _check(self, host: str) -> HostHealth:
        gateway = shared_gateway(host, read_timeout=self._timeout_s)
        try:
            models = await asyncio.wait_for(gateway.list_models(), self._timeout_s)
        except TimeoutError:
            return HostHealth(host, up=False, error=f"no answer within {self._timeout_s:.0f} s", checked_at=time.time())
        except Exception as exc:  # any failure means "not usable now", with its reason
            return HostHealth(host, up=False, error=str(exc) or type(exc).__name__, checked_at=time.time())
        return HostHealth(host, up=True, models=frozenset(m.name for m in models), checked_at=time.time())

    def _set(self, health: HostHealth) -> None:
        before = self._health[health.host]
        self._health[health.host] = health
        OLLAMA_HOST_UP.labels(shown(health.host)).set(1 if health.up else 0)
        if before.up and not health.up:
            log.warning("Ollama host %s is down, answers go to the others: %s", shown(health.host), health.error)
        elif not before.up and health.up:
            log.info("Ollama host %s is back", shown(health.host))


_fleets: dict[tuple[asyncio.AbstractEventLoop, tuple[str, ...], float], Fleet] = {}


def for_this_loop() -> Fleet:
    """The fleet of OLLAMA_HOSTS on the running loop (its gateways belong to that loop)."""
    hosts = tuple(settings.OLLAMA_HOSTS)
    key = (asyncio.get_running_loop(), hosts, settings.OLLAMA_HEALTH_INTERVAL_S)
    fleet = _fleets.get(key)
    if fleet is None:
        fleet = _fleets[key] = Fleet(hosts, interval_s=settings.OLLAMA_HEALTH_INTERVAL_S)
    return fleet
