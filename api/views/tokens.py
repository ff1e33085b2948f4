"""API tokens for scripts and other clients. The secret is shown once; only its sha256 is stored,
and revoking it takes effect on the next request or WebSocket connection. Creation is rate limited
per user (settings.HADRA_LIMITS["token_creations_per_minute"]): each token is a database write and a
credential to check, and no person makes more than a few."""

from __future__ import annotations

import secrets

from access.auth import TOKEN_PREFIX, end_sockets, token_digest, token_group
from api.endpoint import Call, operation
from api.limits import TOKEN_WINDOW_S, throttle, token_creations_per_minute
from contract.errors import not_found
from contract.http import TokenCreatedOut, TokenIn, TokenListOut, TokenOut
from models import ApiToken
from models.clock import utcnow


def _out(token: ApiToken) -> TokenOut:
    return TokenOut(id=str(token.id), name=token.name, created_at=token.created_at, last_used_at=token.last_used_at)


@operation("GET", summary="Your live API tokens, newest first (never their secrets)", response=TokenListOut)
async def list_tokens(call: Call) -> TokenListOut:
    # Index user_created; revoked ones are dropped here rather than in the filter, so one index holds
    # every field the embedded server is asked to filter on.
    tokens = await ApiToken.find({"user_id": call.me.id}).sort([("created_at", -1), ("_id", -1)]).to_list()
    return TokenListOut(tokens=[_out(t) for t in tokens if t.revoked_at is None])


@operation(
    "POST",
    summary="Create an API token; the secret is in this reply only",
    body=TokenIn,
    response=TokenCreatedOut,
    status=201,
    errors=(429,),
)
async def create_token(call: Call) -> TokenCreatedOut:
    await throttle(
        f"tokens:user:{call.me.id}",
        token_creations_per_minute(),
        TOKEN_WINDOW_S,
        "Too many API tokens created in the last minute.",
    )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = await ApiToken(user_id=call.me.id, token_sha256=token_digest(secret), name=call.body.name).insert()
    return TokenCreatedOut(**_out(token).model_dump(), token=secret)


@operation("DELETE", summary="Revoke an API token (it stops working at once; its open sockets close)", status=204)
async def revoke_token(call: Call) -> None:
    token = await ApiToken.get(call.ids["token_id"])
    if token is None or token.user_id != call.me.id or token.revoked_at is not None:
        raise not_found("token")
    await token.set({"revoked_at": utcnow()})
    await end_sockets(token_group(token.id))
