"""One answer being generated: stream from Ollama, coalesce tokens into deltas, checkpoint, finish.

Rules this enforces (DESIGN.md, Generation):
- deltas go out at most every FLUSH_INTERVAL_S (the first token at once), so a fast model does
  not mean thousands of frames a second;
- MongoDB gets the text at most about once a second and at the end, never once per token;
- every way of ending (done, stop, Ollama errors, a stream without ``done``, the database
  failing) ends the message with a status, its partial text kept, and a ``message.done``;
- the channel layer failing (Redis away) ends nothing: the text is in this process, so a delta
  that could not be sent goes out with the next one, and ``message.done`` is sent again until
  it goes out (for up to DONE_DELIVERY_FOR_S).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from channels.layers import get_channel_layer
from django.conf import settings

from chat import events, registry
from chat.titles import title_from
from contract.documents import ConversationTitle, Stats
from contract.errors import ErrorCode, ErrorInfo
from contract.frames import ConversationUpdated, MessageDelta, MessageDone, MessageSync
from models import Conversation, Message, MessageStatus
from models.clock import utcnow
from ollama_gateway import ChatStats, OllamaError, shared_gateway

log = logging.getLogger(__name__)

FLUSH_INTERVAL_S = 0.04
CHECKPOINT_INTERVAL_S = 1.0
HEARTBEAT_INTERVAL_S = 5.0
BACKGROUND_SAVE_EVERY_S = 2.0
BACKGROUND_SAVE_FOR_S = 30 * 60.0
DONE_DELIVERY_FOR_S = 120.0
DATABASE_GONE = ErrorInfo(
    code=ErrorCode.DATABASE_GONE,
    message="The database became unavailable during this answer; its text is kept and saved when it is back.",
)
SERVER_ERROR = ErrorInfo(
    code=ErrorCode.ANSWER_FAILED, message="The answer failed because of a server error; try again."
)

# Saves still retrying in the background (a reference keeps the tasks alive).
_background: set[asyncio.Task] = set()


class Generation:
    def __init__(
        self, conversation: Conversation, message: Message, prompt: list[dict[str, str]], question: str
    ) -> None:
        self.conversation = conversation
        self.message = message
        self.prompt = prompt
        self.question = question
        self.text = ""  # everything received from Ollama
        self.seq = 0  # deltas sent so far
        self._pending = ""  # received, not yet sent: the tail of ``text``
        self._last_flush = 0.0
        self._last_checkpoint = time.monotonic()
        self._flush_timer: asyncio.Task | None = None
        self._checkpoint_task: asyncio.Task | None = None
        self._send_lock = asyncio.Lock()
        self._stop_requested = False
        self._abandoned = False
        # Set once the question and this placeholder are stored and announced to clients:
        # until then the answer streams into memory only.
        self.announced = asyncio.Event()
        self.task: asyncio.Task | None = None

    def start(self) -> None:
        registry.add(self)
        self.task = asyncio.create_task(self._run(), name=f"generation {self.message.id}")

    def stop(self) -> None:
        """Cancel the stream; cancelling closes the HTTP response, so Ollama stops generating."""
        self._stop_requested = True
        if self.task and not self.task.done():
            self.task.cancel()

    def abandon(self) -> None:
        """The answer could not be stored: stop streaming and leave no trace."""
        self._abandoned = True
        self.stop()

    async def send_sync(self, reply_to: str) -> None:
        """Send ``reply_to`` what clients have been sent so far: the text of the ``seq`` deltas.

        Under the send lock, so the sync reaches the channel layer before any newer delta and a
        client never sees delta ``seq + 1`` ahead of the sync it extends.
        """
        async with self._send_lock:
            sent = self.text[: len(self.text) - len(self._pending)]
            await events.to_channel(reply_to, MessageSync(message_id=str(self.message.id), seq=self.seq, text=sent))

    async def _run(self) -> None:
        layer = get_channel_layer()
        # The default prefix: channels_redis serves all process-local channels of one prefix from one
        # blocking pop; a second prefix would wait behind the consumers' pops.
        control = await layer.new_channel()
        helpers = [asyncio.create_task(self._listen(control)), asyncio.create_task(self._heartbeat())]
        status: MessageStatus = MessageStatus.COMPLETE
        error: ErrorInfo | None = None
        stats = Stats()
        started = time.perf_counter()
        pieces = 0
        shutting_down = False
        try:
            gateway = shared_gateway(settings.OLLAMA_HOST, read_timeout=settings.OLLAMA_READ_TIMEOUT_S)
            async with gateway.chat_stream(
                self.message.model, self.prompt, options={"num_predict": settings.MAX_ANSWER_TOKENS}
            ) as stream:
                async for chunk in stream:
                    if chunk.content:
                        pieces += 1
                        if stats.ttft_ms is None:
                            stats.ttft_ms = round((time.perf_counter() - started) * 1000, 1)
                        await self._append(chunk.content)
                    if chunk.stats:
                        _add_ollama_stats(chunk.stats, stats)
        except asyncio.CancelledError:
            # A user's stop is an ending like any other; anything else (server shutdown) is not ours
            # to swallow: the start-up sweep will mark the answer interrupted.
            if not self._stop_requested or self._abandoned:
                shutting_down = True
                raise
            asyncio.current_task().uncancel()
            status = MessageStatus.STOPPED
        except OllamaError as exc:
            status, error = MessageStatus.FAILED, exc.info()
        except Exception:
            log.exception("generation %s failed", self.message.id)
            status, error = MessageStatus.FAILED, SERVER_ERROR
        finally:
            for helper in helpers:
                helper.cancel()
            if self._flush_timer:
                self._flush_timer.cancel()
            # Out of the registry before clients hear "done": a follow-up may start at once.
            registry.remove(self)
            if not shutting_down:
                stats.total_ms = round((time.perf_counter() - started) * 1000, 1)
                _estimate_unreported(stats, pieces)
                await self._flush()
                await self._finish(status, error, stats)
            await layer.group_discard(events.generation_group(self.message.id), control)

    async def _append(self, piece: str) -> None:
        self.text += piece
        self._pending += piece
        wait = self._last_flush + FLUSH_INTERVAL_S - time.monotonic()
        if wait <= 0:
            if self._flush_timer is not None:  # late (a busy loop): this flush does its job
                self._flush_timer.cancel()
                self._flush_timer = None
            await self._flush()
        elif self._flush_timer is None:
            self._flush_timer = asyncio.create_task(self._flush_after(wait))

    async def _flush_after(self, delay: float) -> None:
        await asyncio.sleep(delay)
        self._flush_timer = None
        await self._flush()

    async def _flush(self) -> None:
        await self.announced.wait()
        async with self._send_lock:
            if not self._pending:
                return
            piece, self._pending = self._pending, ""
            self._last_flush = time.monotonic()
            try:
                await events.to_conversation(
                    self.conversation.id, MessageDelta(message_id=str(self.message.id), seq=self.seq + 1, text=piece)
                )
            except Exception as exc:
                # Not sent: kept for the next flush, so clients still get every piece in order.
                log.warning("delta of %s not sent, sending it with the next one: %s", self.message.id, exc)
                self._pending = piece + self._pending
            else:
                self.seq += 1
        if time.monotonic() - self._last_checkpoint >= CHECKPOINT_INTERVAL_S:
            self._checkpoint_soon()

    def _checkpoint_soon(self) -> None:
        """Save the text so far in the background, one save at a time: a slow or absent database
        must never hold up the tokens."""
        self._last_checkpoint = time.monotonic()
        if self._checkpoint_task is None or self._checkpoint_task.done():
            self._checkpoint_task = asyncio.create_task(self._checkpoint())

    async def _checkpoint(self) -> None:
        try:
            await Message.find_one({"_id": self.message.id}).update(
                {"$set": {"content": self.text, "updated_at": utcnow()}}
            )
        except Exception as exc:
            log.warning("checkpoint of %s failed: %s", self.message.id, exc)

    async def _heartbeat(self) -> None:
        """Keep ``updated_at`` fresh while Ollama is silent (model loading), so other processes
        can tell a slow answer from one whose process died."""
        await self.announced.wait()
        while True:
            await asyncio.sleep(HEARTBEAT_INTERVAL_S)
            if time.monotonic() - self._last_checkpoint >= HEARTBEAT_INTERVAL_S:
                self._checkpoint_soon()

    async def _listen(self, channel: str) -> None:
        """Stop and sync requests from any process (joined off the hot path: Ollama is already asked)."""
        layer = get_channel_layer()
        await layer.group_add(events.generation_group(self.message.id), channel)
        while True:
            message = await layer.receive(channel)
            if message.get("type") == "generation.stop":
                self.stop()
            elif message.get("type") == "generation.sync":
                try:
                    await self.send_sync(message["reply_to"])
                except Exception as exc:  # the asker may ask again; stop requests must still arrive
                    log.warning("sync for %s not sent: %s", self.message.id, exc)

    async def _finish(self, status: MessageStatus, error: ErrorInfo | None, stats: Stats) -> None:
        await self.announced.wait()
        if self._checkpoint_task is not None:
            self._checkpoint_task.cancel()  # the final save supersedes it
        new_title = title_from(self.question) if self.conversation.title is None else None
        try:
            await self._save(status, error, stats, new_title)
        except Exception as exc:
            # The database went away: tell clients now, keep the text, and save it when it is back.
            log.warning("final save of %s failed, retrying in the background: %s", self.message.id, exc)
            status, error = MessageStatus.FAILED, DATABASE_GONE
            background = asyncio.create_task(_keep_trying(lambda: self._save(status, error, stats, new_title)))
            _background.add(background)
            background.add_done_callback(_background.discard)
            new_title = None
        if new_title:
            self.conversation.title = new_title
            try:
                await events.to_user(
                    self.conversation.user_id,
                    ConversationUpdated(conversation=ConversationTitle(id=str(self.conversation.id), title=new_title)),
                )
            except Exception as exc:  # the sidebar shows the stored title on its next load
                log.warning("title of %s not announced: %s", self.conversation.id, exc)
        await _until_sent(
            lambda: events.to_conversation(
                self.conversation.id,
                MessageDone(
                    message_id=str(self.message.id),
                    status=status,
                    stats=stats,
                    error=error,
                    content=self.text,
                    seq=self.seq,
                ),
            )
        )

    async def _save(self, status: MessageStatus, error: ErrorInfo | None, stats: Stats, new_title: str | None) -> None:
        now = utcnow()
        await Message.find_one({"_id": self.message.id}).update(
            {
                "$set": {
                    "content": self.text,
                    "status": status.value,
                    "error": error.model_dump(mode="json") if error else None,
                    "stats": stats.model_dump(),
                    "worker_id": None,
                    "updated_at": now,
                }
            }
        )
        also: dict[str, Any] = {"updated_at": now} | ({"title": new_title} if new_title else {})
        await self.conversation.release_generation_slot(self.message.id, **also)


def _add_ollama_stats(reported: ChatStats, stats: Stats) -> None:
    stats.eval_count = reported.eval_count
    stats.prompt_eval_count = reported.prompt_eval_count
    stats.tokens_per_s = round(reported.tokens_per_s, 1) if reported.tokens_per_s else None
    stats.load_ms = round(reported.load_duration / 1e6, 1) if reported.load_duration else None


def _estimate_unreported(stats: Stats, pieces: int) -> None:
    """Ollama reports no counts for an answer that did not finish (stopped, failed): count the
    streamed pieces instead (Ollama sends one per token) so users still see the speed."""
    if stats.eval_count is None and pieces and stats.ttft_ms is not None:
        stats.eval_count = pieces
        generating_s = (stats.total_ms - stats.ttft_ms) / 1000
        stats.tokens_per_s = round((pieces - 1) / generating_s, 1) if pieces > 1 and generating_s > 0 else None


async def _until_sent(send) -> None:
    """Send until it goes out: the channel layer gives up after a few seconds of a Redis outage,
    and the end of an answer is worth waiting for (clients that miss it sync from the database)."""
    deadline = time.monotonic() + DONE_DELIVERY_FOR_S
    while True:
        try:
            await send()
            return
        except Exception as exc:
            if time.monotonic() >= deadline:
                log.error("gave up sending the end of an answer: %s", exc)
                return
            log.warning("the end of an answer was not sent, trying again: %s", exc)
            await asyncio.sleep(1.0)


async def _keep_trying(save) -> None:
    """Retry a save until the database is back (bounded: an answer is not worth retrying forever)."""
    deadline = time.monotonic() + BACKGROUND_SAVE_FOR_S
    while time.monotonic() < deadline:
        await asyncio.sleep(BACKGROUND_SAVE_EVERY_S)
        try:
            await save()
            return
        except Exception as exc:
            log.warning("saving an answer still fails: %s", exc)
    log.error(
        "gave up saving an answer after %.0f s; the start-up sweep will mark it interrupted", BACKGROUND_SAVE_FOR_S
    )
