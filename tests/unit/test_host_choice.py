"""The rules that pick an answer's Ollama host (chat/host_choice.py), on a fleet whose health the
test sets and in-memory queues whose load it fills: which host a user's next answer goes to."""

from __future__ import annotations

import pytest

from chat import fleet, host_choice
from chat.admission import LocalQueue
from chat.fleet import Fleet, HostHealth
from ollama_gateway import OllamaUnavailable, shown

A, B, C = "http://a:11434", "http://b:11434", "http://c:11434"


class Hosts:
    """Three hosts, all up with model ``m``, one slot each, nothing running."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.fleet = Fleet([A, B, C], interval_s=600)
        self.fleet._checked.set()  # no checks: the test says what each host has
        self.queues = {host: LocalQueue(host, limit=1, bound=10) for host in (A, B, C)}
        for host in (A, B, C):
            self.set(host, up=True, models={"m:latest"})
        monkeypatch.setattr(fleet, "for_this_loop", lambda: self.fleet)
        monkeypatch.setattr(host_choice.admission, "for_host", self.queues.__getitem__)

    def set(self, host: str, *, up: bool, models: set[str]) -> None:
        self.fleet._set(HostHealth(host, up=up, models=frozenset(models)))

    async def busy(self, host: str, answers: int) -> None:
        for i in range(answers):
            await self.queues[host].join(f"{host}-{i}")

    async def choose(self, last: str | None = None, model: str = "m") -> str:
        return (await host_choice.choose(model, last)).host


async def test_the_least_busy_host_then_the_first_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    hosts = Hosts(monkeypatch)
    assert await hosts.choose() == A
    await hosts.busy(A, 1)
    await hosts.busy(B, 2)
    assert await hosts.choose() == C


async def test_the_conversations_last_host_while_it_has_a_free_slot(monkeypatch: pytest.MonkeyPatch) -> None:
    hosts = Hosts(monkeypatch)
    assert await hosts.choose(last=C) == C  # all idle: its prompt cache decides
    await hosts.busy(C, 1)
    assert await hosts.choose(last=C) == A  # full: another host answers sooner
    await hosts.busy(A, 1)
    await hosts.busy(B, 1)
    assert await hosts.choose(last=C) == C  # as busy as the others: back to its own host


async def test_only_hosts_up_with_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    hosts = Hosts(monkeypatch)
    hosts.set(A, up=False, models={"m:latest"})
    hosts.set(B, up=True, models={"other:latest"})
    assert await hosts.choose(last=A) == C
    await hosts.busy(C, 5)
    assert await hosts.choose() == C  # the only one with the model, however busy
    assert await hosts.choose(model="m:latest") == C


async def test_without_a_host_for_the_model_the_hosts_that_are_up_then_any(monkeypatch: pytest.MonkeyPatch) -> None:
    hosts = Hosts(monkeypatch)
    hosts.set(A, up=False, models=set())
    await hosts.busy(B, 1)
    # Nobody has "new": a host that is up is asked, and its "model not found" reaches the user.
    assert await hosts.choose(model="new") == C
    for host in (B, C):
        hosts.set(host, up=False, models=set())
    # Nobody is up as far as this process knows: one may be back before the next check.
    assert await hosts.choose() == A


async def test_a_host_marked_down_by_an_answer_gets_none_until_a_check_brings_it_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hosts = Hosts(monkeypatch)
    hosts.fleet.mark_down(A, "connection refused")
    assert await hosts.choose(last=A) == B
    assert [h.error for h in await hosts.fleet.snapshot()] == ["connection refused", None, None]
    hosts.set(A, up=True, models={"m:latest"})
    assert await hosts.choose(last=A) == A


def test_credentials_in_a_host_url_are_never_shown() -> None:
    host = "http://user:secret@ollama.internal:11434"
    assert shown(host) == "http://ollama.internal:11434"
    # What a failed answer's user, the logs and the admin page get of a host's error.
    error = OllamaUnavailable(f"Ollama at {host} is not reachable", host)
    assert "secret" not in str(error) and error.info().params == {"host": "http://ollama.internal:11434"}
    assert shown("https://ollama.internal") == "https://ollama.internal"
    assert shown(A) == A
