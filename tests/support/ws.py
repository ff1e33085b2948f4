"""WebSocket clients that speak hadra's protocol: the reading and waiting, once, for a real socket
(``ChatClient``) and the in-process one (tests/inprocess/chat_socket.py)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import websockets

from contract.frames import server_frame


class FrameReader:
    """hadra's protocol over any transport: a subclass says how text goes out (``send_raw``) and
    comes in (``_receive``); every frame read is kept in ``frames``."""

    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []

    async def send_raw(self, data: str | bytes) -> None:
        raise NotImplementedError

    async def _receive(self, timeout: float) -> str:
        raise NotImplementedError

    async def send(self, type_: str, **fields: Any) -> None:
        await self.send_raw(json.dumps({"type": type_, **fields}))

    async def recv(self, timeout: float = 30) -> dict[str, Any]:
        """The next frame, checked against the contract: a frame the server sends off-contract fails
        the test that receives it, whatever that test is about."""
        text = await self._receive(timeout)
        server_frame.validate_json(text)
        frame = json.loads(text)
        frame["_at"] = time.perf_counter()
        self.frames.append(frame)
        return frame

    async def until(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 60) -> dict[str, Any]:
        """Read frames until one matches; all frames read are kept in ``self.frames``."""
        deadline = time.monotonic() + timeout
        while True:
            frame = await self.recv(max(0.1, deadline - time.monotonic()))
            if predicate(frame):
                return frame

    async def until_type(self, type_: str, timeout: float = 60, **match: Any) -> dict[str, Any]:
        return await self.until(lambda f: f["type"] == type_ and all(f.get(k) == v for k, v in match.items()), timeout)

    async def seen_or_until_type(self, type_: str, timeout: float = 60, **match: Any) -> dict[str, Any]:
        """A frame already received, or the next one, of this type (for frames of unordered groups)."""
        for frame in self.frames:
            if frame["type"] == type_ and all(frame.get(k) == v for k, v in match.items()):
                return frame
        return await self.until_type(type_, timeout, **match)

    async def ping(self) -> None:
        await self.send("ping", request_id="alive?")
        await self.until_type("pong", 10, request_id="alive?")

    def of_type(self, type_: str) -> list[dict[str, Any]]:
        return [f for f in self.frames if f["type"] == type_]


class ChatClient(FrameReader):
    """Over a real socket, as an outside client would."""

    def __init__(self, ws: websockets.ClientConnection) -> None:
        super().__init__()
        self.ws = ws

    @classmethod
    async def connect(cls, url: str, token: str) -> ChatClient:
        ws = await websockets.connect(url, additional_headers={"Authorization": f"Bearer {token}"}, max_size=None)
        return cls(ws)

    async def send_raw(self, data: str | bytes) -> None:
        await self.ws.send(data)

    async def _receive(self, timeout: float) -> str:
        data = await asyncio.wait_for(self.ws.recv(), timeout)
        return data if isinstance(data, str) else data.decode()

    async def close(self) -> None:
        await self.ws.close()


def deltas_text(frames: list[dict[str, Any]], message_id: str) -> str:
    return "".join(f["text"] for f in frames if f["type"] == "message.delta" and f["message_id"] == message_id)


async def send_and_get_answer_id(client: ChatClient, **fields: Any) -> tuple[str, str]:
    """chat.send, then the ids of the conversation and of the assistant placeholder."""
    await client.send("chat.send", **fields)
    placeholder = await client.until(
        lambda f: f["type"] == "error" or (f["type"] == "message.created" and f["message"]["role"] == "assistant")
    )
    assert placeholder["type"] == "message.created", placeholder
    return placeholder["message"]["conversation_id"], placeholder["message"]["id"]


async def finished_answer(client: ChatClient, timeout: float, **fields: Any) -> tuple[str, str, dict[str, Any]]:
    """chat.send, then wait up to ``timeout`` s for the answer to end: the ids of the conversation
    and of the answer, and its ``message.done``."""
    conversation_id, answer_id = await send_and_get_answer_id(client, **fields)
    return conversation_id, answer_id, await client.until_type("message.done", timeout, message_id=answer_id)
