"""``/ws/chat/``: one socket per tab. Parses and authorises frames, hands work to chat/, and
relays what the channel-layer groups say back to the client.

Handlers never stream inside ``receive``: Channels runs one handler at a time per consumer, so
a stream there would block ``chat.stop``. Generation runs as a task owned by the process.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from pydantic import ValidationError

from access import ratelimit, unavailable
from access.auth import credential_alive
from chat import events, service
from chat.model_choice import remember_default_model
from chat.payloads import branch_message_out, conversation_out
from consumers.training_watch import WATCH
from contract import frames
from contract.documents import IN_FLIGHT
from contract.errors import ErrorCode, HadraError, invalid
from contract.frames import ConversationSnapshot, ErrorFrame, Pong, ServerFrameBase
from telemetry.logs import bound_request
from telemetry.metrics import SOCKETS_OPEN

log = logging.getLogger(__name__)

# Not signed in at connect, or the credential ended later (logout, token revoked, password
# changed, account disabled): retrying cannot help; the client signs in again. The reason tells
# them apart.
CLOSE_UNAUTHENTICATED = 4401
# The socket fell too far behind the frames meant for it (a stalled client): reconnecting resyncs it.
CLOSE_LAGGING = 4408
# JSON the parser refuses to build: nesting past the recursion limit, integers past Python's
# digit limit. Both are bad input, not server errors.
_UNPARSABLE = (json.JSONDecodeError, RecursionError, ValueError)
INTERNAL = HadraError(ErrorCode.INTERNAL, "Something went wrong on the server; try again.")


class ChatConsumer(AsyncWebsocketConsumer):
    counted = False  # in the sockets-open gauge (from its accept to its disconnect)

    async def connect(self) -> None:
        self.joined: set[str] = set()
        await self.accept()
        SOCKETS_OPEN.labels("chat").inc()
        self.counted = True
        self.user = self.scope.get("user")
        if self.user is not None:
            # Join the credential's groups first, then look again: a logout between the check in
            # the middleware and the join would otherwise leave this socket signed in.
            for group in self.scope.get("credential_groups", ()):
                await self.join(group)
            if not await credential_alive(self.scope):
                self.user = None
        if self.user is None:
            await self.send_error(
                HadraError(
                    ErrorCode.UNAUTHENTICATED,
                    "Log in first, or send `Authorization: Bearer <token>` (create one at /api/tokens).",
                )
            )
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        await self.join(events.user_group(self.user.id))
        await self.join(events.MODELS_GROUP)
        if self.user.is_staff:
            WATCH.add(self.channel_name)

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Channels' own dispatch, less its ``aclose_old_connections``: that closes stale Django
        database connections through a worker thread before every message, a thread hop per delta;
        hadra has no Django database (``DATABASES`` is empty; MongoDB goes through models/)."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def disconnect(self, code: int) -> None:
        if self.counted:
            SOCKETS_OPEN.labels("chat").dec()
            self.counted = False
        WATCH.discard(self.channel_name)
        for group in self.joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def join(self, group: str) -> None:
        if group not in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
            self.joined.add(group)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.user is None:
            return
        try:
            frame = self.parse(text_data)
        except HadraError as exc:
            await self.send_error(exc)
            return
        # The lines logged while it is handled, and by the answer it may start, carry its request id.
        with bound_request(frame.request_id):
            await self.handle(frame)

    async def handle(self, frame: frames.ClientFrame) -> None:
        request_id = frame.request_id
        try:
            await getattr(self, "on_" + frame.type.replace(".", "_"))(frame)
        except HadraError as exc:
            await self.send_error(exc, request_id)
        except unavailable.UNAVAILABLE as exc:
            await self.send_error(unavailable.error(exc), request_id)
        except Exception:
            log.exception("frame handler failed")
            await self.send_error(INTERNAL, request_id)

    def parse(self, text_data: str | None) -> frames.ClientFrame:
        if text_data is None:
            raise HadraError(ErrorCode.BAD_FRAME, "Send JSON text frames; binary frames are not accepted.")
        limit = settings.HADRA_LIMITS["max_frame_bytes"]
        if len(text_data.encode()) > limit:
            raise HadraError(
                ErrorCode.FRAME_TOO_LARGE, f"Frames are limited to {limit} bytes.", params={"limit": limit}
            )
        try:
            data = json.loads(text_data)
        except _UNPARSABLE as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply or a number too long"
            raise HadraError(ErrorCode.BAD_JSON, f"The frame is not valid JSON: {reason}.") from None
        if not isinstance(data, dict):
            raise HadraError(ErrorCode.BAD_FRAME, "A frame is a JSON object with a `type`.")
        if data.get("type") not in frames.CLIENT_FRAME_TYPES:
            raise HadraError(
                ErrorCode.UNKNOWN_TYPE, f"Unknown frame type. Known: {', '.join(frames.CLIENT_FRAME_TYPES)}."
            )
        try:
            return frames.client_frame.validate_python(data)
        except ValidationError as exc:
            raise invalid(ErrorCode.INVALID_FRAME, exc, "frame", skip=1) from None

    async def send_frame(self, frame: ServerFrameBase) -> None:
        await self.send(text_data=frame.model_dump_json())

    async def send_error(self, error: HadraError, request_id: str | None = None) -> None:
        await self.send_frame(ErrorFrame(**error.info().model_dump(), request_id=request_id))

    async def chat_event(self, event: dict[str, Any]) -> None:
        """A frame from a group (deltas, done, sync, sidebar changes): relay it as it is, unless the
        socket was signed out (it is closing: its groups still speak until it has left them)."""
        if self.user is not None:
            await self.send(text_data=event["frame"])

    async def layer_resync(self, event: dict[str, Any]) -> None:
        """The relay from other processes was lost for a while (Redis restarted): frames may have
        been missed, so each open conversation is sent again as it stands, the socket stays open."""
        if self.user is None:
            return
        for group in sorted(self.joined):
            conversation_id = events.conversation_of(group)
            if conversation_id is None:
                continue
            try:
                await self._send_snapshot(conversation_id, None)
            except HadraError:  # deleted meanwhile: the sidebar's next load says so
                await self._leave(group)
            except unavailable.UNAVAILABLE as exc:
                await self.send_error(unavailable.error(exc))

    async def layer_lagging(self, event: dict[str, Any]) -> None:
        """This socket fell so far behind that its backlog was dropped: close, saying so; the
        client reconnects and reopens its conversation from the stored state."""
        await self.close(code=CLOSE_LAGGING, reason="lagging")

    async def auth_ended(self, event: dict[str, Any]) -> None:
        """The credential this socket was opened with ended (logout, revoked token, new password)."""
        await self._sign_out(HadraError(ErrorCode.SIGNED_OUT, "You were signed out; sign in again to go on."))

    async def account_disabled(self, event: dict[str, Any]) -> None:
        """Staff disabled this account: every socket of it closes, on every process."""
        await self._sign_out(
            HadraError(ErrorCode.ACCOUNT_DISABLED, "This account was disabled; contact the administrator.")
        )

    async def _sign_out(self, why: HadraError) -> None:
        """Say why, once, and close (a disabled account's credentials end right after it is told)."""
        if self.user is None:
            return
        self.user = None
        await self.send_error(why)
        await self.close(code=CLOSE_UNAUTHENTICATED, reason=why.code.value)

    async def models_changed(self, event: dict[str, Any]) -> None:
        """An admin changed the default model: new conversations here use it from now on. An
        announcement older than one this process already took is dropped (two changes at once)."""
        if remember_default_model(event["default_model"], event.get("seq", 0)):
            await self.send(text_data=event["frame"])

    # -- handlers, one per frame type --------------------------------------------------------

    async def on_ping(self, frame: frames.Ping) -> None:
        await self.send_frame(Pong(request_id=frame.request_id))

    async def on_chat_send(self, frame: frames.ChatSend) -> None:
        self._check_content(frame.content)
        await self._check_rate()
        await service.send(
            self._asker(frame),
            conversation_id=frame.conversation_id,
            content=frame.content,
            parent_id=frame.parent_id,
            model=frame.model,
            system_prompt=frame.system_prompt,
        )

    async def on_chat_regenerate(self, frame: frames.ChatRegenerate) -> None:
        await self._check_rate()
        await service.regenerate(self._asker(frame), message_id=frame.message_id, model=frame.model)

    async def on_chat_edit(self, frame: frames.ChatEdit) -> None:
        self._check_content(frame.content)
        await self._check_rate()
        await service.edit(self._asker(frame), message_id=frame.message_id, content=frame.content)

    async def on_chat_stop(self, frame: frames.ChatStop) -> None:
        await service.stop(self.user, message_id=frame.message_id)

    async def on_conversation_open(self, frame: frames.ConversationOpen) -> None:
        await self._check_read_rate(frame.type)
        # Whose it is first: a stranger must never be in the group, not even for the length of a
        # lookup. Then join before reading, so no delta between the read and the join is lost; the
        # client applies deltas only after the sync that follows the snapshot.
        await service.check_owner(self.user, frame.conversation_id)
        group = events.conversation_group(frame.conversation_id)
        await self.join(group)
        try:
            await self._send_snapshot(frame.conversation_id, frame.request_id)
        except HadraError:
            await self._leave(group)
            raise

    async def _send_snapshot(self, conversation_id: str, request_id: str | None) -> None:
        """The conversation as stored, then a sync for each answer in flight."""
        conversation, branch = await service.snapshot(self.user, conversation_id)
        await self.send_frame(
            ConversationSnapshot(
                request_id=request_id,
                conversation=conversation_out(conversation),
                messages=[branch_message_out(m, siblings) for m, siblings in branch],
            )
        )
        for message, _ in branch:
            if message.status in IN_FLIGHT:  # a queued answer's sync is its position
                await service.request_sync(self.user, str(message.id), self.channel_name)

    async def on_conversation_close(self, frame: frames.ConversationClose) -> None:
        await self._leave(events.conversation_group(frame.conversation_id))

    async def on_message_sync(self, frame: frames.MessageSyncRequest) -> None:
        await self._check_read_rate(frame.type)
        await service.request_sync(self.user, frame.message_id, self.channel_name)

    # -- helpers -----------------------------------------------------------------------------

    def _asker(self, frame: frames.ClientFrameBase) -> service.Asker:
        return service.Asker(self.user, frame.request_id, self.join)

    async def _leave(self, group: str) -> None:
        if group in self.joined:
            await self.channel_layer.group_discard(group, self.channel_name)
            self.joined.discard(group)

    def _check_content(self, content: str) -> None:
        limit = settings.HADRA_LIMITS["max_content_chars"]
        if not content.strip():
            raise HadraError(ErrorCode.EMPTY_CONTENT, "The message is empty.")
        if len(content) > limit:
            raise HadraError(
                ErrorCode.CONTENT_TOO_LONG, f"Messages are limited to {limit} characters.", params={"limit": limit}
            )

    async def _check_rate(self) -> None:
        limit = settings.HADRA_LIMITS["messages_per_minute"]
        messages = "message" if limit == 1 else "messages"
        await self._spend("answers", limit, f"You can send {limit} {messages} a minute")

    async def _check_read_rate(self, frame_type: str) -> None:
        """Opens and syncs read the database: a budget per user generous enough for a person
        clicking through the sidebar, small enough that a script cannot hammer the server."""
        limit = settings.HADRA_LIMITS["reads_per_minute"]
        await self._spend(frame_type, limit, f"You can send {frame_type} {limit} times a minute")

    async def _spend(self, action: str, limit: int, refusal: str) -> None:
        """Count one ``action`` of this user per minute; past ``limit``, ``rate_limited`` with when to retry."""
        await ratelimit.throttle(f"{action}:{self.user.id}", limit, 60, refusal)
