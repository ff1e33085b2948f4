"""Creating accounts: shared by ``POST /api/auth/register`` and the ``create_staff_user`` command."""

from __future__ import annotations

from api.passwords import hash_password
from contract.errors import ErrorCode, HadraError
from contract.http import UserOut
from models import User
from models.errors import AlreadyStored

USERNAME_TAKEN = HadraError(ErrorCode.USERNAME_TAKEN, "That username is taken; pick another.")
EMAIL_TAKEN = HadraError(ErrorCode.EMAIL_TAKEN, "An account with this email exists; log in instead.")


async def create_user(username: str, email: str, password: str, *, is_staff: bool = False) -> User:
    """A new account; usernames are case-folded and emails lower-cased, both unique."""
    username, email = User.fold(username), email.strip().lower()
    if await User.by_username(username) is not None:
        raise USERNAME_TAKEN
    if await User.by_email(email) is not None:
        raise EMAIL_TAKEN
    user = User(username=username, email=email, password_hash=await hash_password(password), is_staff=is_staff)
    try:
        await user.insert()
    except AlreadyStored as exc:  # a concurrent sign-up won the race; the unique index decides
        raise EMAIL_TAKEN if "email" in str(exc) else USERNAME_TAKEN from None
    return user


def user_out(user: User) -> UserOut:
    return UserOut(
        id=str(user.id), username=user.username, email=user.email, is_staff=user.is_staff, created_at=user.created_at
    )
