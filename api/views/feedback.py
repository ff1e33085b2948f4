"""Thumbs up/down (and a note) on an answer: the signal finetune/ learns from."""

from __future__ import annotations

from api.endpoint import Call, operation
from chat.payloads import message_out
from contract.documents import IN_FLIGHT, MessageOut
from contract.errors import ErrorCode, HadraError, not_found
from contract.http import FeedbackIn
from models import Message


@operation(
    "POST",
    summary="Rate an answer up or down, with an optional note (replaces an earlier rating; null clears it)",
    body=FeedbackIn,
    response=MessageOut,
    errors=(409,),
)
async def rate_message(call: Call[FeedbackIn, None]) -> MessageOut:
    message = await Message.owned(call.ids["message_id"], call.me_id)
    if message is None:
        raise not_found("message")
    if message.role != "assistant":
        raise HadraError(ErrorCode.NOT_AN_ANSWER, "Only answers (assistant messages) can be rated.")
    if message.status in IN_FLIGHT:
        raise HadraError(ErrorCode.STILL_STREAMING, "This answer is still being written; rate it when it is done.")
    await message.rate(call.body.rating, call.body.note)
    return message_out(message)
