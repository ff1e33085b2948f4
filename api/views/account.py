"""Everything an account holds, as its owner sees it: download it all, or delete it all.

Deleting checks the password, then disables the account first: from then on no session, token or
socket of it is accepted anywhere (access/ refuses a disabled account), so nothing new is written
for it while its data goes. Its sockets are told they were signed out and close, on every process;
its tokens and sessions end; its answers in progress stop (as with ■ Stop); then its conversations
go with their messages and search words, and the account itself. The audit log keeps one entry
saying it happened. Its rows leave any dataset not built yet; models already trained from them are
not retrained.
"""

from __future__ import annotations

from django.http import HttpResponse

from access.ratelimit import throttle
from api.account_export import account_export, download
from api.account_state import LAST_STAFF, end_presence, set_keeping_a_staff
from api.endpoint import Call, operation
from api.limits import LOGIN_WINDOW_S, login_attempts_per_minute
from api.passwords import verify_password
from chat.service import cancel_generation
from contract.errors import ErrorCode, HadraError
from contract.export import AccountExportDoc
from contract.http import AccountDeleteIn
from models import ApiToken, AuditEntry, Conversation, SearchEntry, User, stored_id


@operation(
    "GET",
    summary="Download everything your account holds: its settings and every conversation, every branch "
    "(each conversation in the export format, so it imports again)",
    response=AccountExportDoc,
)
async def export_account(call: Call) -> HttpResponse:
    return download(await account_export(call.me))


@operation(
    "DELETE",
    summary="Delete your account and everything in it (conversations, messages, tokens, sessions; its open "
    "sockets close): your password confirms it. Not the last staff account that can sign in",
    body=AccountDeleteIn,
    errors=(401, 409, 429),
)
async def delete_account(call: Call[AccountDeleteIn, None]) -> None:
    me = call.me
    await throttle(
        f"delete-account:user:{me.id}",
        login_attempts_per_minute(),
        LOGIN_WINDOW_S,
        "Too many attempts to delete the account.",
    )
    if not await verify_password(me.password_hash, call.body.password):
        raise HadraError(ErrorCode.INVALID_CREDENTIALS, "The password is wrong; nothing was deleted.")
    # Refused everywhere from now on (access/ refuses a disabled account).
    await set_keeping_a_staff(me, {"disabled": True}, f"{LAST_STAFF} Then delete this one.")
    conversations = await _erase(me)
    await AuditEntry.record(
        call.me_id,
        me.username,
        "account.deleted",
        str(me.id),
        {"username": me.username, "conversations": conversations},
    )
    if call.auth_method == "session":
        await call.request.session.aflush()


async def _erase(user: User) -> int:
    """Everything of a disabled account, then the account; how many conversations went."""
    user_id = stored_id(user)
    await end_presence(user_id, ApiToken.delete_all_of)
    conversations = await Conversation.all_of(user_id)
    for conversation in conversations:
        if conversation.generating_id is not None:  # every answer in flight holds its conversation's slot
            await cancel_generation(conversation.generating_id)  # Ollama stops; nothing is written back
    for conversation in conversations:
        await conversation.delete_with_messages()
    await user.delete()
    # A conversation a socket was still starting as the account was disabled is stored after the
    # list above was read: looked for again once nothing of the account is left to start one.
    late = await Conversation.all_of(user_id)
    for conversation in late:
        await conversation.delete_with_messages()
    # Words an answer stopped meanwhile indexed after its conversation went.
    await SearchEntry.delete_for_user(user_id)
    return len(conversations) + len(late)
