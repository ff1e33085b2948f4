"""What staff disabling an account and its owner deleting it have in common: a change that may take
away a staff account is undone if it left none that can sign in, and an account that can no longer be
used is ended on every process (its sockets close, its credentials end)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from beanie import PydanticObjectId

from access.auth import ENDED, end_sockets, token_group
from access.sessions import end_user_sessions
from chat import events
from contract.errors import ErrorCode, HadraError
from models import User

LAST_STAFF = (
    "This is the last staff account that can sign in; make another account staff first, "
    "so someone can still run this server."
)


def signs_in_as_staff(user: User) -> bool:
    return user.is_staff and not user.disabled


async def set_keeping_a_staff(user: User, changes: dict[str, bool], reason: str = LAST_STAFF) -> None:
    """Write ``changes`` to ``user``; undone (``last_staff``) if that left no staff account that can
    sign in. Checked after the write: two admins demoting each other, or two last admins deleting
    themselves, at once cannot both pass a check made before either wrote."""
    before = {name: getattr(user, name) for name in changes}
    was_staff = signs_in_as_staff(user)
    await user.set(changes)
    if was_staff and not signs_in_as_staff(user) and not await User.active_staff_count():
        await user.set(before)
        raise HadraError(ErrorCode.LAST_STAFF, reason)


async def end_presence(
    user_id: PydanticObjectId,
    end_tokens: Callable[[PydanticObjectId], Awaitable[list[PydanticObjectId]]],
    event: dict[str, str] = ENDED,
) -> None:
    """Every socket of the account hears ``event`` and closes, on every process; then its tokens end
    (``end_tokens`` revokes or deletes them and gives the ids of those that were live), closing any
    socket opened with one meanwhile, and its browser sessions end."""
    await end_sockets(events.user_group(user_id), event=event)
    await end_sockets(*(token_group(token_id) for token_id in await end_tokens(user_id)))
    await end_user_sessions(user_id)
