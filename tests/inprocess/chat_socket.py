"""A chat socket on hadra's ASGI app in this process: Channels' ``WebsocketCommunicator`` behind
the same calls as tests/support/ws.py's ``ChatClient``, so tests and helpers (``finished_answer``)
read the same either way. The whole ASGI stack runs (cookie, session, sign-in, origin check,
consumer); only daphne and the network are left out."""

from __future__ import annotations

from typing import Any

from channels.testing import WebsocketCommunicator

from tests.support.ws import FrameReader

PATH = "/ws/chat/"
# The host a browser reached the server at; its own origin is the one the cookie is good from.
HOST = "127.0.0.1"
OWN_ORIGIN = f"http://{HOST}"


class SocketClosed(Exception):
    """The server closed the socket: ``code`` and ``reason`` as a client would read them."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"closed {code} {reason!r}")
        self.code = code
        self.reason = reason


def socket_headers(
    token: str | None = None, cookie: str | None = None, origin: str | None = None
) -> list[tuple[bytes, bytes]]:
    """What a script (``token``) or a browser (``cookie`` and its page's ``origin``) sends on connect."""
    headers = [(b"host", HOST.encode())]
    if token is not None:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    return headers


class InProcessChat(FrameReader):
    """One tab's socket, read frame by frame; every frame read is kept in ``frames``."""

    def __init__(self, communicator: WebsocketCommunicator) -> None:
        super().__init__()
        self.communicator = communicator

    @classmethod
    async def connect(
        cls, application: Any, token: str | None = None, *, cookie: str | None = None, origin: str | None = None
    ) -> InProcessChat:
        communicator = WebsocketCommunicator(application, PATH, headers=socket_headers(token, cookie, origin))
        accepted, _ = await communicator.connect(timeout=30)
        assert accepted, "the consumer accepts every socket and refuses with a frame and a close"
        return cls(communicator)

    async def send_raw(self, data: str | bytes) -> None:
        key = "bytes" if isinstance(data, bytes) else "text"
        await self.communicator.send_input({"type": "websocket.receive", key: data})

    async def _receive(self, timeout: float) -> str:
        message = await self.communicator.receive_output(timeout)
        if message["type"] == "websocket.close":
            raise SocketClosed(message.get("code", 1000), message.get("reason") or "")
        return str(message["text"])

    async def close(self) -> None:
        """Disconnect as a browser closing the tab would; a consumer that already ended is fine."""
        if not self.communicator.future.done():
            await self.communicator.send_input({"type": "websocket.disconnect", "code": 1000})
        await self.communicator.wait(timeout=10)
