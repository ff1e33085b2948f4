"""Staff only: accounts and sign-up. List accounts, disable or enable one, grant or remove staff,
download one account's data for a data request (the file its owner downloads), open or close
sign-up; each change and each download recorded in the audit log once it is done.

Disabling ends everything the account holds, on every process: its browser sessions and API
tokens (tokens stay revoked if it is enabled again), its open sockets (told ``account_disabled``
through its user group, then closed) and its answers in progress (stopped, as with ■ Stop).
Nobody disables or un-staffs themselves, and the last staff account that can sign in stays so.
"""

from __future__ import annotations

import asyncio

from django.http import HttpResponse

from access.auth import DISABLED
from api import cursors
from api.account_export import account_export, download
from api.account_state import end_presence, set_keeping_a_staff
from api.endpoint import Call, operation
from chat.service import cancel_generation
from contract.admin_users import (
    AdminUserListQuery,
    AdminUserOut,
    AdminUserPageOut,
    AdminUserPatch,
    SiteSettingsOut,
    SiteSettingsPatch,
)
from contract.errors import ErrorCode, HadraError, not_found
from contract.export import AccountExportDoc
from models import ApiToken, AuditEntry, Conversation, Message, SiteSettings, User, stored_id


def _cursor(username: str) -> str:
    return cursors.encode(username)


def _after(cursor: str) -> str:
    """The username a page ended on; ``invalid_cursor`` for anything this API did not give out."""
    username = cursors.decode(cursor)
    if username and username == User.fold(username):
        return username
    raise cursors.invalid()


async def _user_out(user: User) -> AdminUserOut:
    return AdminUserOut(
        id=str(user.id),
        username=user.username,
        email=user.email,
        is_staff=user.is_staff,
        disabled=user.disabled,
        exclude_from_training=user.exclude_from_training,
        created_at=user.created_at,
        conversations=await Conversation.count_of(stored_id(user)),
    )


@operation(
    "GET",
    summary="Accounts by username, with their conversation counts; `q` keeps usernames starting with it",
    auth="staff",
    query=AdminUserListQuery,
    response=AdminUserPageOut,
)
async def list_users(call: Call[None, AdminUserListQuery]) -> AdminUserPageOut:
    query = call.query
    page, more = await User.page_by_username(_after(query.cursor) if query.cursor else "", query.q, query.limit)
    return AdminUserPageOut(
        users=list(await asyncio.gather(*(_user_out(user) for user in page))),
        next_cursor=_cursor(page[-1].username) if more else None,
    )


@operation(
    "PATCH",
    summary="Disable or enable an account, grant or remove staff (not your own; never the last staff)",
    auth="staff",
    body=AdminUserPatch,
    response=AdminUserOut,
    errors=(409,),
)
async def update_user(call: Call[AdminUserPatch, None]) -> AdminUserOut:
    target = await User.get(call.ids["user_id"])
    if target is None:
        raise not_found("account")
    body = call.body
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    if not changes:
        raise HadraError(ErrorCode.EMPTY_PATCH, "Nothing to change: send disabled, is_staff or both.")
    if target.id == call.me_id and (changes.get("disabled") is True or changes.get("is_staff") is False):
        raise HadraError(
            ErrorCode.CANNOT_CHANGE_SELF,
            "You cannot disable your own account or remove your own staff rights; ask another staff member.",
        )
    changed = {name: value for name, value in changes.items() if getattr(target, name) != value}
    if changed:
        await set_keeping_a_staff(target, changed)
        if changed.get("disabled") is True:
            await _sign_out_everywhere(target)
        await _audit(call, target, changed)
    return await _user_out(target)


async def _sign_out_everywhere(user: User) -> None:
    """A just-disabled account: its sockets hear why and close, then its credentials end (closing
    any socket that joined meanwhile), then its answers in progress stop, wherever they run."""
    user_id = stored_id(user)
    await end_presence(user_id, ApiToken.revoke_all_of, event=DISABLED)
    for answer_id in await Message.in_flight_ids_of(user_id):
        await cancel_generation(answer_id)


_ACTIONS = {
    ("disabled", True): "user.disable",
    ("disabled", False): "user.enable",
    ("is_staff", True): "user.staff_grant",
    ("is_staff", False): "user.staff_remove",
}


async def _audit(call: Call, target: User, changed: dict[str, bool]) -> None:
    for name, value in changed.items():
        await AuditEntry.record(
            call.me_id,
            call.me.username,
            _ACTIONS[(name, value)],
            target=str(target.id),
            details={"username": target.username},
        )


@operation(
    "GET",
    summary="Download one account's data for a data request: the file its owner downloads from their "
    "settings (its settings and every conversation, every branch); recorded in the audit log",
    auth="staff",
    response=AccountExportDoc,
)
async def export_user(call: Call) -> HttpResponse:
    target = await User.get(call.ids["user_id"])
    if target is None:
        raise not_found("account")
    doc = await account_export(target)
    await AuditEntry.record(
        call.me_id,
        call.me.username,
        "user.export",
        target=str(target.id),
        details={"username": target.username, "conversations": len(doc.conversations)},
    )
    return download(doc)


@operation("GET", summary="Server-wide settings: whether sign-up is open", auth="staff", response=SiteSettingsOut)
async def get_settings(call: Call) -> SiteSettingsOut:
    return SiteSettingsOut(signup_open=(await SiteSettings.current()).signup_open)


@operation(
    "PATCH",
    summary="Open or close sign-up (staff can still create accounts with `make staff`)",
    auth="staff",
    body=SiteSettingsPatch,
    response=SiteSettingsOut,
)
async def update_settings(call: Call[SiteSettingsPatch, None]) -> SiteSettingsOut:
    signup_open = call.body.signup_open
    if await SiteSettings.set_signup_open(signup_open):
        await AuditEntry.record(call.me_id, call.me.username, "signup.open" if signup_open else "signup.close")
    return SiteSettingsOut(signup_open=signup_open)
