"""``python -m django create_staff_user --username NAME --email ADDRESS`` (with
DJANGO_SETTINGS_MODULE=asgi_app.settings): create a staff account, or make an existing one staff
(and enable it, if staff had disabled it). Sign-up being closed does not stop it.

The password comes from the HADRA_STAFF_PASSWORD environment variable, or is asked for twice on a
terminal; it is never a command-line argument, which other users of the machine could read in ps.
"""

from __future__ import annotations

import asyncio
import getpass
import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from pydantic import ValidationError

from api.accounts import create_user
from api.passwords import hash_password
from contract.errors import ErrorCode, HadraError, invalid
from contract.http import RegisterIn
from models import User, close_db, init_db

PASSWORD_ENV = "HADRA_STAFF_PASSWORD"
MIN_PASSWORD = 8


class Command(BaseCommand):
    help = "Create a staff user (or promote an existing user to staff)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", help="Required when the user does not exist yet.")

    def handle(self, *args, username: str, email: str | None, **options) -> None:
        self.stdout.write(asyncio.run(self._run(username, email)))

    async def _run(self, username: str, email: str | None) -> str:
        await init_db(settings.MONGODB_URI)
        try:
            user = await User.by_username(username)
            if user is not None:
                user_was_disabled = user.disabled
                # Also enabled again: the operator's way back in when every staff account is disabled.
                changes: dict = {"is_staff": True, "disabled": False}
                if os.environ.get(PASSWORD_ENV):
                    changes["password_hash"] = await hash_password(_password())
                await user.set(changes)
                what = "is now staff" + (" and enabled again" if user_was_disabled else "")
                what += " with the new password" if "password_hash" in changes else ""
                return f"{user.username} {what}."
            if not email:
                raise CommandError(f"No user {username!r} yet: give --email to create one.")
            try:
                valid = RegisterIn.model_validate({"username": username, "email": email, "password": _password()})
                user = await create_user(valid.username, valid.email, valid.password, is_staff=True)
            except ValidationError as exc:
                raise CommandError(invalid(ErrorCode.INVALID_BODY, exc, "input").message) from None
            except HadraError as exc:
                raise CommandError(exc.message) from None
            return f"Created staff user {user.username} ({user.email})."
        finally:
            await close_db()


def _password() -> str:
    password = os.environ.get(PASSWORD_ENV)
    if not password:
        if not sys.stdin.isatty():
            raise CommandError(f"Set {PASSWORD_ENV} in the environment, or run this on a terminal to be asked.")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password again: "):
            raise CommandError("The passwords differ; nothing was changed.")
    if len(password) < MIN_PASSWORD:
        raise CommandError(f"The password must have at least {MIN_PASSWORD} characters.")
    return password
