"""API tokens for scripts and other clients. The secret is shown once; only its sha256 is stored,
and revoking it takes effect on the next request or WebSocket connection. Creation is rate limited
per user (settings.HADRA_LIMITS["token_creations_per_minute"]): each token is a database write and a
credential to check, and no person makes more than a few."""

from __future__ import annotations

import secrets

from access.auth import TOKEN_PREFIX, end_sockets, token_digest, token_group
from access.ratelimit import throttle
from api.endpoint import Call, operation
from api.limits import TOKEN_WINDOW_S, token_creations_per_minute
from contract.errors import not_found
from contract.http import TokenCreatedOut, TokenIn, TokenListOut, TokenOut
from models import ApiToken


def _out(token: ApiToken) -> TokenOut:
    return TokenOut(id=str(token.id), name=token.name, created_at=token.created_at, last_used_at=token.last_used_at)


@operation("GET", summary="Your live API tokens, newest first (never their secrets)", response=TokenListOut)
async def list_tokens(call: Call) -> TokenListOut:
    return TokenListOut(tokens=[_out(t) for t in await ApiToken.live_of_user(call.me_id)])


@operation(
    "POST",
    summary="Create an API token; the secret is in this reply only",
    body=TokenIn,
    response=TokenCreatedOut,
    status=201,
    errors=(429,),
)
async def create_token(call: Call[TokenIn, None]) -> TokenCreatedOut:
    await throttle(
        f"tokens:user:{call.me_id}",
        token_creations_per_minute(),
        TOKEN_WINDOW_S,
        "Too many API tokens created in the last minute.",
    )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = await ApiToken(user_id=call.me_id, token_sha256=token_digest(secret), name=call.body.name).insert()
    return TokenCreatedOut(**_out(token).model_dump(), token=secret)


@operation("DELETE", summary="Revoke an API token (it stops working at once; its open sockets close)", status=204)
async def revoke_token(call: Call) -> None:
    token = await ApiToken.live_with_id(call.ids["token_id"], call.me_id)
    if token is None:
        raise not_found("token")
    await token.revoke()
    await end_sockets(token_group(token.id))
