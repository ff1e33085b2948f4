"""Group commit (chat/group_commit.py): an item asked alone is written at once; items asked while a
write is on its way go out together, in order; a failed write fails exactly its own askers."""

from __future__ import annotations

import asyncio

import pytest

from chat.group_commit import GroupCommit

WAIT_S = 30.0


class Store:
    def __init__(self) -> None:
        self.writes: list[list[str]] = []
        self.release = asyncio.Event()
        self.release.set()
        self.fail_next = False

    async def write_all(self, items: list[str]) -> None:
        await self.release.wait()
        if self.fail_next:
            self.fail_next = False
            raise ConnectionError("database away")
        self.writes.append(items)


async def test_alone_at_once_then_what_queued_meanwhile_together() -> None:
    store = Store()
    group: GroupCommit[str] = GroupCommit(store.write_all, "test")
    await asyncio.wait_for(group.write("alone"), WAIT_S)
    assert store.writes == [["alone"]]
    store.release.clear()
    first = asyncio.create_task(group.write("a"))
    await asyncio.sleep(0)  # "a" is on its way, held by the store
    rest = [asyncio.create_task(group.write(item)) for item in ("b", "c", "d")]
    await asyncio.sleep(0)
    store.release.set()
    await asyncio.wait_for(asyncio.gather(first, *rest), WAIT_S)
    assert store.writes == [["alone"], ["a"], ["b", "c", "d"]]


async def test_a_failed_write_fails_its_askers_only() -> None:
    store = Store()
    group: GroupCommit[str] = GroupCommit(store.write_all, "test")
    store.release.clear()
    store.fail_next = True
    doomed = asyncio.create_task(group.write("lost"))
    await asyncio.sleep(0)
    later = asyncio.create_task(group.write("kept"))
    await asyncio.sleep(0)
    store.release.set()
    with pytest.raises(ConnectionError):
        await asyncio.wait_for(doomed, WAIT_S)
    await asyncio.wait_for(later, WAIT_S)
    assert store.writes == [["kept"]]
