"""``/ws/chat/``: one socket per tab. Parses and authorises frames, hands work to chat/, and
relays what the conversation's channel-layer group says back to the client.

Handlers never stream inside ``receive``: Channels runs one handler at a time per consumer, so
a stream there would block ``chat.stop``. Generation runs as a task owned by the process.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from pydantic import ValidationError

from consumers import frames
from consumers.errors import FrameError

log = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401


class ChatConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.accept()
        if self.scope.get("user") is None:
            await self.send_frame(
                "error",
                code="unauthenticated",
                message="Log in first, or send `Authorization: Bearer <token>` (create one at /api/tokens).",
            )
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = self.scope["user"]

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        request_id: Any = None
        try:
            frame = self.parse(text_data, bytes_data)
            request_id = frame.request_id
            await getattr(self, "on_" + frame.type.replace(".", "_"))(frame)
        except FrameError as exc:
            await self.send_frame("error", code=exc.code, message=exc.message, request_id=request_id)
        except Exception:
            log.exception("frame handler failed")
            await self.send_frame(
                "error", code="internal", message="Something went wrong on the server; try again.",
                request_id=request_id,
            )

    def parse(self, text_data: str | None, bytes_data: bytes | None) -> frames.Frame:
        if text_data is None:
            raise FrameError("bad_frame", "Send JSON text frames; binary frames are not accepted.")
        limit = settings.HADRA_LIMITS["max_frame_bytes"]
        if len(text_data.encode()) > limit:
            raise FrameError("frame_too_large", f"Frames are limited to {limit} bytes.")
        try:
            data = json.loads(text_data)
        except json.JSONDecodeError as exc:
            raise FrameError("bad_json", f"The frame is not valid JSON: {exc.msg}.") from None
        if not isinstance(data, dict):
            raise FrameError("bad_frame", "A frame is a JSON object with a `type`.")
        if data.get("type") not in frames.FRAME_TYPES:
            raise FrameError(
                "unknown_type", f"Unknown frame type. Known types: {', '.join(frames.FRAME_TYPES)}."
            )
        try:
            return frames.client_frame.validate_python(data)
        except ValidationError as exc:
            raise FrameError("invalid_frame", _describe(exc)) from None

    async def send_frame(self, type_: str, **fields: Any) -> None:
        if fields.get("request_id") is None:
            fields.pop("request_id", None)
        await self.send(text_data=json.dumps({"type": type_, **fields}, default=str, ensure_ascii=False))

    async def on_ping(self, frame: frames.Ping) -> None:
        await self.send_frame("pong", request_id=frame.request_id)


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err["loc"][1:]) or "frame"
        parts.append(f"{where}: {err['msg']}")
    return "Invalid frame — " + "; ".join(parts) + "."
