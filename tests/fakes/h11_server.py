"""A minimal HTTP/1.1 server on asyncio streams and h11, for fakes that must misbehave on purpose.

Why not a web framework: a fault-injecting fake needs to do what frameworks prevent — stop in the
middle of a chunked body, close the socket without the terminating chunk, never answer — and to see
the moment the client hangs up. h11 keeps the wire format right; this module only moves the bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import h11


class ClientGone(Exception):
    """The client closed its connection while we were answering."""


@dataclass
class Exchange:
    """One request and the means to answer it, including the unpolite ways."""

    method: str
    path: str
    body: bytes
    _conn: h11.Connection
    _reader: asyncio.StreamReader
    _writer: asyncio.StreamWriter
    _eof: asyncio.Task[bytes] | None = field(default=None, repr=False)

    def json(self) -> Any:
        return json.loads(self.body or b"{}")

    def is_json(self) -> bool:
        try:
            self.json()
        except ValueError:
            return False
        return True

    @property
    def client_port(self) -> int:
        """The client's port: requests with the same one came over the same (keep-alive) connection."""
        return int(self._writer.get_extra_info("peername")[1])

    def _write(self, event: h11.Event) -> None:
        if self._writer.is_closing():
            raise ClientGone
        self._writer.write(self._conn.send(event) or b"")

    async def _flush(self) -> None:
        try:
            await self._writer.drain()
        except ConnectionError as exc:
            raise ClientGone from exc

    async def respond(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        self._write(h11.Response(status_code=status, headers=headers))
        if body:  # an answer to HEAD has none
            self._write(h11.Data(data=body))
        self._write(h11.EndOfMessage())
        await self._flush()

    async def respond_json(self, status: int, payload: Any) -> None:
        await self.respond(status, json.dumps(payload).encode())

    async def start_stream(self, content_type: str = "application/x-ndjson") -> None:
        """Headers of a chunked answer (what Ollama sends for a streamed chat)."""
        self._write(h11.Response(status_code=200, headers=[("Content-Type", content_type)]))
        await self._flush()

    async def send_line(self, payload: Any) -> None:
        self._write(h11.Data(data=json.dumps(payload).encode() + b"\n"))
        await self._flush()

    async def end_stream(self) -> None:
        """The terminating chunk: a cleanly finished body."""
        self._write(h11.EndOfMessage())
        await self._flush()

    async def drop(self) -> None:
        """Close the socket mid-body, as a crashing server does (no terminating chunk)."""
        await self._flush()
        self._writer.close()

    async def client_left_within(self, seconds: float | None) -> bool:
        """Wait up to ``seconds`` (None: forever); True as soon as the client closes its side.

        HTTP/1.1 clients send nothing while they read an answer, so end-of-file on the socket
        means the client hung up — the same signal Ollama's Go server uses to cancel a request.
        """
        if self._eof is None:
            self._eof = asyncio.ensure_future(self._reader.read(1))
        done, _ = await asyncio.wait({self._eof}, timeout=seconds)
        if not done:
            return False
        if self._eof.exception() is not None or (data := self._eof.result()) == b"":
            return True
        self._conn.receive_data(data)  # an early byte of the next request, not a hang-up
        self._eof = None
        return False

    async def close(self) -> None:
        """Stop watching for a hang-up before the connection reads its next request: the watch is a
        pending ``read``, and a stream allows one reader at a time. A byte it already got belongs
        to the next request."""
        if self._eof is None:
            return
        if not self._eof.done():
            self._eof.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._eof
        elif not self._eof.cancelled() and self._eof.exception() is None and (data := self._eof.result()):
            self._conn.receive_data(data)
        self._eof = None


Handler = Callable[[Exchange], Awaitable[None]]


async def _read_request(conn: h11.Connection, reader: asyncio.StreamReader) -> tuple[h11.Request, bytes] | None:
    request: h11.Request | None = None
    body = b""
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            conn.receive_data(await reader.read(65536))
        elif isinstance(event, h11.Request):
            request = event
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, h11.EndOfMessage):
            assert request is not None
            return request, body
        else:  # ConnectionClosed, or PAUSED at the end of a keep-alive connection
            return None


async def serve_connection(handler: Handler, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answer requests on one keep-alive connection until the client closes it."""
    conn = h11.Connection(h11.SERVER)
    try:
        while True:
            received = await _read_request(conn, reader)
            if received is None:
                return
            request, body = received
            exchange = Exchange(request.method.decode(), request.target.decode(), body, conn, reader, writer)
            try:
                await handler(exchange)
            finally:
                await exchange.close()
            if writer.is_closing() or conn.our_state is not h11.DONE or conn.their_state is not h11.DONE:
                return
            conn.start_next_cycle()
    except (ClientGone, ConnectionError, h11.ProtocolError):
        return
    finally:
        writer.close()
