"""Answers left in flight (``queued`` or ``streaming``) by a process that died become ``interrupted``,
their text kept.

With one process (no REDIS_URL) every answer in flight not owned by this process is dead the
moment this process starts. With several, another process's answer is dead when that process's
liveness key in Redis has expired (chat/liveness.py: about 10 s after it died, checked every
2 s), or, whatever Redis says, when its heartbeat (``updated_at``, refreshed at least every few
seconds) has gone stale.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Collection
from datetime import timedelta

from django.conf import settings

from chat import events, registry
from chat.liveness import Liveness
from contract.errors import ErrorCode, ErrorInfo
from contract.frames import MessageDone
from models import Conversation, Message, MessageEnding, MessageStatus, SearchEntry, stored_id
from models.clock import utcnow
from telemetry.logs import reason

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(seconds=30)
SWEEP_EVERY_S = 15.0
LIVENESS_EVERY_S = 2.0
_jobs: set[asyncio.Task[None]] = set()  # referenced until done (the loop keeps only weak references)
INTERRUPTED = ErrorInfo(
    code=ErrorCode.INTERRUPTED,
    message="The server stopped while this answer was being generated; the text so far is kept.",
)


async def sweep(*, single_process: bool, dead_processes: Collection[str] = ()) -> int:
    """Mark the dead processes' answers interrupted and free their conversations, in two writes
    however many there are (a server starting after a crash of hundreds of answers must not keep
    its first connections waiting), then tell the sockets watching them."""
    # Filter on ``status`` alone (indexed); the few answers in flight are checked here.
    stale_before = utcnow() - STALE_AFTER
    dead = [
        message
        async for message in Message.in_flight()
        if message.worker_id != registry.WORKER_ID
        and (single_process or message.worker_id in dead_processes or message.updated_at < stale_before)
    ]
    if not dead:
        return 0
    # Their last checkpoint's text is kept (no content given).
    await Message.finish_all([MessageEnding(m, MessageStatus.INTERRUPTED, INTERRUPTED) for m in dead], at=utcnow())
    await asyncio.gather(
        Conversation.release_generation_slots([(m.conversation_id, stored_id(m), {}) for m in dead]),
        SearchEntry.store(m.search_entry() for m in dead),  # their text so far is searchable
    )
    for message in dead:
        await events.to_conversation(
            message.conversation_id,
            MessageDone(
                message_id=str(message.id),
                status=MessageStatus.INTERRUPTED,
                stats=message.stats,
                error=INTERRUPTED,
                content=message.content,
                seq=None,
            ),
        )
    log.info("marked %d answer(s) of stopped processes as interrupted", len(dead))
    return len(dead)


async def start_sweeping() -> None:
    """Run once at start-up; with several processes keep sweeping for peers that die later."""
    single = not settings.REDIS_URL
    await sweep(single_process=single)
    if not single:
        liveness = Liveness(settings.REDIS_URL)
        loop = asyncio.get_running_loop()
        for job, name in ((liveness.keep_alive(), "liveness"), (_keep_sweeping(liveness), "interrupted-answer sweep")):
            task = loop.create_task(job, name=name)
            _jobs.add(task)
            task.add_done_callback(_jobs.discard)


async def _keep_sweeping(liveness: Liveness) -> None:
    """Every LIVENESS_EVERY_S ask which processes died; sweep when one did, and every SWEEP_EVERY_S anyway."""
    last_full = time.monotonic()
    while True:
        await asyncio.sleep(LIVENESS_EVERY_S)
        try:
            dead = await liveness.dead()
            if dead or time.monotonic() - last_full >= SWEEP_EVERY_S:
                if not dead:
                    last_full = time.monotonic()
                await sweep(single_process=False, dead_processes=dead)
                await liveness.forget(dead)
        except Exception as exc:
            log.warning("sweep failed: %s", reason(exc))
