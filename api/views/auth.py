"""Accounts: register, log in, log out (here or everywhere), change password, who am I and my own
settings (api/views/account.py downloads or deletes everything). Sign-up is rate limited per address
(and refused while staff have closed it); login per address and per username from that address
(settings.HADRA_LIMITS), so guesses sent from elsewhere can never lock the owner of a username out.
A disabled account is told so only after the right password."""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import rotate_token

from access.auth import SESSION_USER_KEY
from access.ratelimit import throttle
from access.sessions import end_user_sessions
from api.accounts import create_user, user_out
from api.endpoint import Call, operation
from api.limits import LOGIN_WINDOW_S, login_attempts_per_address_per_minute, login_attempts_per_minute
from api.passwords import hash_password, needs_rehash, verify_password
from contract.errors import ErrorCode, HadraError
from contract.http import LoginIn, MeOut, MePatch, PasswordChangeIn, RegisterIn, UserOut
from models import SiteSettings, User


def client_ip(request: HttpRequest) -> str:
    """The peer address daphne saw (behind a proxy, run daphne with --proxy-headers)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


async def _throttle(key: str, limit: int, message: str) -> None:
    await throttle(key, limit, LOGIN_WINDOW_S, message)


async def _log_in(request: HttpRequest, user: User) -> None:
    # A new session key and CSRF token at login: a key planted before login is worth nothing after.
    await request.session.acycle_key()
    await request.session.aset(SESSION_USER_KEY, str(user.id))
    rotate_token(request)


@operation(
    "POST",
    summary="Create an account and log in (sets the session cookie)",
    auth="public",
    body=RegisterIn,
    response=UserOut,
    status=201,
    errors=(403, 409, 429),
)
async def register(call: Call[RegisterIn, None]) -> UserOut:
    body = call.body
    if not (await SiteSettings.current()).signup_open:
        raise HadraError(
            ErrorCode.SIGNUP_CLOSED,
            "Sign-up is closed on this server; ask its administrator for an account.",
        )
    await _throttle(
        f"register:ip:{client_ip(call.request)}", login_attempts_per_minute(), "Too many sign-ups from your address."
    )
    user = await create_user(body.username, body.email, body.password)
    await _log_in(call.request, user)
    return user_out(user)


@operation(
    "POST",
    summary="Log in with username and password (sets the session cookie)",
    auth="public",
    body=LoginIn,
    response=UserOut,
    errors=(429,),
)
async def login(call: Call[LoginIn, None]) -> UserOut:
    body = call.body
    username = User.fold(body.username)
    ip = client_ip(call.request)
    await _throttle(
        f"login:ip:{ip}", login_attempts_per_address_per_minute(), "Too many login attempts from your address."
    )
    # The address first: it never holds "|", so no username can reach another address's count.
    await _throttle(
        f"login:ip-user:{ip}|{username}",
        login_attempts_per_minute(),
        "Too many login attempts for this account from your address.",
    )
    user = await User.by_username(username)
    if not await verify_password(user.password_hash if user else None, body.password) or user is None:
        raise HadraError(ErrorCode.INVALID_CREDENTIALS, "Wrong username or password.")
    if user.disabled:  # told only to whoever knows the password
        raise HadraError(
            ErrorCode.ACCOUNT_DISABLED,
            "This account is disabled; contact the administrator of this server to have it enabled again.",
        )
    if needs_rehash(user.password_hash):
        await user.set({"password_hash": await hash_password(body.password)})
    await _log_in(call.request, user)
    return user_out(user)


@operation("POST", summary="Log out: end this browser session everywhere (its open sockets close)", auth="public")
async def logout(call: Call) -> None:
    await call.request.session.aflush()


@operation(
    "POST",
    summary="Change your password: every browser session of yours ends (their sockets close) "
    "and this one is signed in again; API tokens keep working",
    body=PasswordChangeIn,
    response=UserOut,
    errors=(401, 429),
)
async def change_password(call: Call[PasswordChangeIn, None]) -> UserOut:
    body = call.body
    user = call.me
    await _throttle(
        f"password:user:{user.id}", login_attempts_per_minute(), "Too many attempts to change the password."
    )
    if not await verify_password(user.password_hash, body.current_password):
        raise HadraError(ErrorCode.INVALID_CREDENTIALS, "The current password is wrong.")
    await user.set({"password_hash": await hash_password(body.new_password)})
    await end_user_sessions(user.id)
    if call.auth_method == "session":
        await _log_in(call.request, user)
    return user_out(user)


@operation(
    "GET",
    summary="The logged-in user (also sets the csrftoken cookie the web UI needs)",
    response=MeOut,
    sets_csrf_cookie=True,
)
async def me(call: Call) -> MeOut:
    return _me_out(call)


@operation(
    "PATCH",
    summary="Your own settings (any of them): interface language and theme, the model and system prompt of "
    "new conversations, and whether your conversations may train a model",
    body=MePatch,
    response=MeOut,
)
async def update_me(call: Call[MePatch, None]) -> MeOut:
    body = call.body
    changes: dict[str, object] = {name: getattr(body, name) for name in body.model_fields_set}
    if not changes:
        raise HadraError(
            ErrorCode.EMPTY_PATCH,
            "Nothing to change: send at least one of language, theme, default_model, default_system_prompt, "
            "exclude_from_training.",
        )
    if "default_model" in changes:
        changes["default_model_notice"] = None  # a default chosen again: the retirement was seen
    await call.me.set(changes)
    return _me_out(call)


@operation(
    "POST",
    summary="Sign out everywhere: every browser session of yours ends, this one too (their sockets close); "
    "API tokens keep working",
)
async def logout_everywhere(call: Call) -> None:
    await end_user_sessions(call.me_id)
    if call.auth_method == "session":
        await call.request.session.aflush()


def _me_out(call: Call) -> MeOut:
    assert call.auth_method is not None
    me = call.me
    return MeOut(
        **user_out(me).model_dump(),
        auth_method=call.auth_method,
        exclude_from_training=me.exclude_from_training,
        language=me.language,
        theme=me.theme,
        default_model=me.default_model,
        default_system_prompt=me.default_system_prompt,
        default_model_notice=me.default_model_notice,
    )
