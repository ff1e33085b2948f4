"""``/ws/chat/``: one socket per tab. Parses and authorises frames, hands work to chat/, and
relays what the channel-layer groups say back to the client.

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

from access import ratelimit, unavailable
from access.auth import credential_alive
from chat import events, service
from chat.model_choice import remember_default_model
from chat.payloads import conversation_payload, message_payload
from chat.service import ChatError
from consumers import frames

log = logging.getLogger(__name__)

# Not signed in at connect, or the credential ended later (logout, token revoked, password
# changed): retrying cannot help; the client signs in again. The reason tells the two apart.
CLOSE_UNAUTHENTICATED = 4401
SIGNED_OUT = "signed_out"
# JSON the parser refuses to build: nesting past the recursion limit, integers past Python's
# digit limit. Both are bad input, not server errors.
_UNPARSABLE = (json.JSONDecodeError, RecursionError, ValueError)


class ChatConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        self.joined: set[str] = set()
        await self.accept()
        self.user = self.scope.get("user")
        if self.user is not None:
            # Join the credential's groups first, then look again: a logout between the check in
            # the middleware and the join would otherwise leave this socket signed in.
            for group in self.scope.get("credential_groups", ()):
                await self.join(group)
            if not await credential_alive(self.scope):
                self.user = None
        if self.user is None:
            await self.send_frame(
                "error",
                code="unauthenticated",
                message="Log in first, or send `Authorization: Bearer <token>` (create one at /api/tokens).",
            )
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        await self.join(events.user_group(self.user.id))
        await self.join(events.MODELS_GROUP)

    async def disconnect(self, code: int) -> None:
        for group in self.joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def join(self, group: str) -> None:
        if group not in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
            self.joined.add(group)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.user is None:
            return
        request_id: Any = None
        try:
            frame = self.parse(text_data, bytes_data)
            request_id = frame.request_id
            await getattr(self, "on_" + frame.type.replace(".", "_"))(frame)
        except ChatError as exc:
            await self.send_frame("error", code=exc.code, message=exc.message, request_id=request_id)
        except unavailable.UNAVAILABLE as exc:
            await self.send_frame(
                "error", code=unavailable.CODE, message=unavailable.message(exc), request_id=request_id
            )
        except Exception:
            log.exception("frame handler failed")
            await self.send_frame(
                "error",
                code="internal",
                message="Something went wrong on the server; try again.",
                request_id=request_id,
            )

    def parse(self, text_data: str | None, bytes_data: bytes | None) -> frames.Frame:
        if text_data is None:
            raise ChatError("bad_frame", "Send JSON text frames; binary frames are not accepted.")
        limit = settings.HADRA_LIMITS["max_frame_bytes"]
        if len(text_data.encode()) > limit:
            raise ChatError("frame_too_large", f"Frames are limited to {limit} bytes.")
        try:
            data = json.loads(text_data)
        except _UNPARSABLE as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply or a number too long"
            raise ChatError("bad_json", f"The frame is not valid JSON: {reason}.") from None
        if not isinstance(data, dict):
            raise ChatError("bad_frame", "A frame is a JSON object with a `type`.")
        if data.get("type") not in frames.FRAME_TYPES:
            raise ChatError("unknown_type", f"Unknown frame type. Known: {', '.join(frames.FRAME_TYPES)}.")
        try:
            return frames.client_frame.validate_python(data)
        except ValidationError as exc:
            raise ChatError("invalid_frame", _describe(exc)) from None

    async def send_frame(self, type_: str, **fields: Any) -> None:
        if fields.get("request_id") is None:
            fields.pop("request_id", None)
        await self.send(text_data=events.frame(type_, **fields))

    async def chat_event(self, event: dict[str, Any]) -> None:
        """A frame from a group (deltas, done, sync, sidebar changes): relay it as it is."""
        await self.send(text_data=event["frame"])

    async def auth_ended(self, event: dict[str, Any]) -> None:
        """The credential this socket was opened with ended (logout, revoked token, new password)."""
        self.user = None
        await self.send_frame("error", code=SIGNED_OUT, message="You were signed out; sign in again to go on.")
        await self.close(code=CLOSE_UNAUTHENTICATED, reason=SIGNED_OUT)

    async def models_changed(self, event: dict[str, Any]) -> None:
        """An admin changed the default model: new conversations here use it from now on."""
        remember_default_model(event["default_model"])
        await self.send(text_data=event["frame"])

    # -- handlers, one per frame type --------------------------------------------------------

    async def on_ping(self, frame: frames.Ping) -> None:
        await self.send_frame("pong", request_id=frame.request_id)

    async def on_chat_send(self, frame: frames.ChatSend) -> None:
        self._check_content(frame.content)
        await self._check_rate()
        started = await service.send(
            self.user,
            conversation_id=frame.conversation_id,
            content=frame.content,
            parent_id=frame.parent_id,
            model=frame.model,
            system_prompt=frame.system_prompt,
        )
        await self._announce(started, frame.request_id)

    async def on_chat_regenerate(self, frame: frames.ChatRegenerate) -> None:
        await self._check_rate()
        await self._announce(
            await service.regenerate(self.user, message_id=frame.message_id, model=frame.model), frame.request_id
        )

    async def on_chat_edit(self, frame: frames.ChatEdit) -> None:
        self._check_content(frame.content)
        await self._check_rate()
        await self._announce(
            await service.edit(self.user, message_id=frame.message_id, content=frame.content), frame.request_id
        )

    async def on_chat_stop(self, frame: frames.ChatStop) -> None:
        await service.stop(self.user, message_id=frame.message_id)

    async def on_conversation_open(self, frame: frames.ConversationOpen) -> None:
        await self._check_read_rate("conversation.open")
        # Whose it is first: a stranger must never be in the group, not even for the length of a
        # lookup. Then join before reading, so no delta between the read and the join is lost; the
        # client applies deltas only after the sync that follows the snapshot.
        await service.check_owner(self.user, frame.conversation_id)
        group = events.conversation_group(frame.conversation_id)
        await self.join(group)
        try:
            conversation, branch = await service.snapshot(self.user, frame.conversation_id)
        except ChatError:
            await self._leave(group)
            raise
        await self.send_frame(
            "conversation.snapshot",
            request_id=frame.request_id,
            conversation=conversation_payload(conversation),
            messages=[message_payload(m, siblings) for m, siblings in branch],
        )
        for message, _ in branch:
            if message.status == "streaming":
                await service.request_sync(self.user, str(message.id), self.channel_name)

    async def on_conversation_close(self, frame: frames.ConversationClose) -> None:
        await self._leave(events.conversation_group(frame.conversation_id))

    async def on_message_sync(self, frame: frames.MessageSyncRequest) -> None:
        await self._check_read_rate("message.sync")
        await service.request_sync(self.user, frame.message_id, self.channel_name)

    # -- helpers -----------------------------------------------------------------------------

    async def _announce(self, started: service.Started, request_id: str | None) -> None:
        conversation = started.conversation
        try:
            await self.join(events.conversation_group(conversation.id))
            if started.conversation_created:
                await events.to_user(
                    self.user.id,
                    "conversation.created",
                    conversation=conversation_payload(conversation),
                    request_id=request_id,
                )
            for message in started.messages:
                await events.to_conversation(
                    conversation.id, "message.created", message=message_payload(message), request_id=request_id
                )
        finally:
            if started.generation is not None:
                started.generation.announced.set()

    async def _leave(self, group: str) -> None:
        if group in self.joined:
            await self.channel_layer.group_discard(group, self.channel_name)
            self.joined.discard(group)

    def _check_content(self, content: str) -> None:
        limit = settings.HADRA_LIMITS["max_content_chars"]
        if not content.strip():
            raise ChatError("empty_content", "The message is empty.")
        if len(content) > limit:
            raise ChatError("content_too_long", f"Messages are limited to {limit} characters.")

    async def _check_rate(self) -> None:
        limit = settings.HADRA_LIMITS["messages_per_minute"]
        messages = "message" if limit == 1 else "messages"
        await self._spend("chat.send", limit, f"You can send {limit} {messages} a minute")

    async def _check_read_rate(self, frame_type: str) -> None:
        """Opens and syncs read the database: a budget per user generous enough for a person
        clicking through the sidebar, small enough that a script cannot hammer the server."""
        limit = settings.HADRA_LIMITS["reads_per_minute"]
        await self._spend(frame_type, limit, f"You can send {frame_type} {limit} times a minute")

    async def _spend(self, action: str, limit: int, refusal: str) -> None:
        """Count one ``action`` of this user per minute; past ``limit``, ``rate_limited`` with when to retry."""
        decision = await ratelimit.hit(f"{action}:{self.user.id}", limit, 60)
        if not decision.allowed:
            raise ChatError("rate_limited", f"{refusal}; try again in {max(1, round(decision.retry_after_s))} s.")


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err["loc"][1:]) or "frame"
        parts.append(f"{where}: {err['msg']}")
    return "Invalid frame — " + "; ".join(parts) + "."
