"""A TCP forwarder between the browser and hadra, so a test can pull the network cable.

Chromium's offline emulation leaves open WebSockets alone, so it cannot show what a user sees
when the connection drops mid-answer. Cutting here closes every live connection (the socket
included) and refuses new ones until restored; hadra itself keeps running and generating.
"""

from __future__ import annotations

import asyncio
import threading

from embedded.process import free_port


class NetCut:
    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self._loop = asyncio.new_event_loop()
        self._writers: set[asyncio.StreamWriter] = set()
        self._clients: set[asyncio.Task] = set()
        self._cut = False
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="netcut", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> NetCut:
        self._thread.start()
        self._ready.wait(10)
        return self

    def cut(self) -> None:
        """Drop every connection now and refuse new ones."""
        self._call(self._drop_all)

    def restore(self) -> None:
        self._call(self._allow)

    def stop(self) -> None:
        self._call(self._shutdown)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    def _call(self, fn) -> None:
        asyncio.run_coroutine_threadsafe(fn(), self._loop).result(5)

    async def _drop_all(self) -> None:
        self._cut = True
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def _shutdown(self) -> None:
        # Aborted transports end every pipe by themselves; give them a moment to do so.
        await self._drop_all()
        if self._clients:
            await asyncio.wait(self._clients, timeout=2)

    async def _allow(self) -> None:
        self._cut = False

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", self.port))
        self._ready.set()
        self._loop.run_forever()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self._clients.add(task)
        task.add_done_callback(self._clients.discard)
        if self._cut:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.transport.abort()
            return
        self._writers.update((writer, up_writer))
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._writers.discard(writer)
            writer.transport.abort()
