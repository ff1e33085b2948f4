"""Accounts on the admin page (staff only): the account list, disabling and enabling an account,
granting and removing staff, opening and closing sign-up. A user's own consent setting
(``exclude_from_training``) is theirs alone: ``PATCH /api/auth/me`` (contract/http.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from contract.documents import Out
from contract.http import Body, Query, not_sent


class AdminUserListQuery(Query):
    cursor: Annotated[str, StringConstraints(max_length=200)] = Field(
        "", description="`next_cursor` of the previous page; empty for the first page."
    )
    q: Annotated[str, StringConstraints(max_length=40)] = Field(
        "", description="Only accounts whose username starts with this text (case-insensitive)."
    )
    limit: int = Field(50, ge=1, le=100)


class AdminUserOut(Out):
    id: str
    username: str
    email: str
    is_staff: bool
    disabled: bool = Field(description="A disabled account cannot sign in; its sessions and API tokens were ended.")
    exclude_from_training: bool = Field(description="The user excluded their conversations from training.")
    created_at: datetime
    conversations: int = Field(description="How many conversations the account has.")


class AdminUserPageOut(Out):
    users: list[AdminUserOut] = Field(description="By username.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class AdminUserPatch(Body):
    """Only the fields sent change. Not on your own account (disable, remove staff), and never the
    last staff account that can sign in."""

    disabled: bool = not_sent(
        "`true` disables the account: its sessions and API tokens end, its open sockets close, its "
        "answers in progress stop. `false` enables it again (it signs in anew; old tokens stay revoked)."
    )
    is_staff: bool = not_sent("Grant (`true`) or remove (`false`) staff rights.")


class SiteSettingsOut(Out):
    signup_open: bool = Field(description="Whether anyone may create an account (POST /api/auth/register).")


class SiteSettingsPatch(Body):
    signup_open: bool
