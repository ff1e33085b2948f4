"""The one place every API request passes through: authenticate, check CSRF, validate the path,
query string and body against pydantic models, run the handler, and answer JSON — errors included.

Views declare what they take with :func:`operation`; :func:`resource` binds the operations of one
URL to their methods. The OpenAPI description (api/openapi.py) reads the same declarations.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from beanie import PydanticObjectId
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.views.decorators.csrf import csrf_exempt
from pydantic import BaseModel, ValidationError

from access import unavailable
from access.auth import user_from_bearer, user_from_session
from api.errors import error_response
from api.limits import MAX_JSON_BODY_BYTES
from contract.errors import ErrorCode, HadraError, invalid
from models import User

log = logging.getLogger(__name__)

Auth = Literal["public", "user", "staff"]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The bodies Django parses into request.POST (its CSRF check reads them); the API reads JSON only.
FORM_TYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})


B = TypeVar("B", bound=BaseModel | None)
Q = TypeVar("Q", bound=BaseModel | None)


@dataclass
class Call(Generic[B, Q]):
    """What a handler gets: the request, who made it, and the validated inputs. A handler names its
    body and query models in its signature (``call: Call[FeedbackIn, None]``), so the type checker
    knows their fields; the operation's declaration is what validates them."""

    request: HttpRequest
    user: User | None
    auth_method: Literal["session", "token"] | None
    body: B
    query: Q
    ids: dict[str, PydanticObjectId] = field(default_factory=dict)

    @property
    def me(self) -> User:
        """The caller of an operation that requires one (the wrapper has already checked)."""
        assert self.user is not None
        return self.user

    @property
    def me_id(self) -> PydanticObjectId:
        """The caller's id (a stored user always has one)."""
        assert self.me.id is not None
        return self.me.id


Handler = Callable[[Call[Any, Any]], Awaitable[BaseModel | HttpResponse | None]]


@dataclass(frozen=True)
class Operation:
    method: str
    handler: Handler
    summary: str
    auth: Auth
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    errors: tuple[int, ...]
    body_limit: int
    # Other media types the success reply may have (OpenAPI only), e.g. {"text/markdown": {...}}.
    alt_content: dict[str, dict[str, Any]]
    sets_csrf_cookie: bool
    # The body may be left out altogether (an empty request is read as the body model's defaults).
    body_optional: bool = False

    @property
    def operation_id(self) -> str:
        return self.handler.__name__


def operation(
    method: str,
    *,
    summary: str,
    auth: Auth = "user",
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int | None = None,
    errors: tuple[int, ...] = (),
    body_limit: int = MAX_JSON_BODY_BYTES,
    alt_content: dict[str, dict[str, Any]] | None = None,
    sets_csrf_cookie: bool = False,
    body_optional: bool = False,
) -> Callable[[Handler], Operation]:
    """Declare an operation; ``status`` defaults to 200 with a ``response`` model, 204 without."""

    def declare(handler: Handler) -> Operation:
        success = status if status is not None else (200 if response is not None else 204)
        return Operation(
            method,
            handler,
            summary,
            auth,
            body,
            query,
            response,
            success,
            errors,
            body_limit,
            alt_content or {},
            sets_csrf_cookie,
            body_optional,
        )

    return declare


def resource(*operations: Operation) -> Callable[..., Awaitable[HttpResponse]]:
    """One URL's view: dispatch on the method; anything else is a JSON 405 naming what is allowed."""
    by_method = {op.method: op for op in operations}
    allowed = ", ".join(by_method)

    async def view(request: HttpRequest, **path: str) -> HttpResponse:
        op = by_method.get(request.method or "")
        if op is None:
            return error_response(
                HadraError(
                    ErrorCode.METHOD_NOT_ALLOWED,
                    f"{request.method} is not allowed on {request.path}; use {allowed}.",
                    params={"allowed": allowed},
                    headers={"Allow": allowed},
                )
            )
        return await _run(op, request, path)

    view.operations = by_method  # type: ignore[attr-defined]
    # CSRF is checked in _run instead, and only where it applies (see _check_csrf).
    return csrf_exempt(view)


async def _run(op: Operation, request: HttpRequest, path: dict[str, str]) -> HttpResponse:
    try:
        if op.sets_csrf_cookie:
            get_token(request)  # the web UI reads the csrftoken cookie before its first POST
        user, method = await _authenticate(request)
        if op.auth != "public" and user is None:
            raise HadraError(
                ErrorCode.UNAUTHENTICATED,
                "Log in first (POST /api/auth/login), or send "
                "`Authorization: Bearer <token>` (create one at POST /api/tokens).",
            )
        if op.auth == "staff" and not (user and user.is_staff):
            raise HadraError(ErrorCode.FORBIDDEN, "Only staff can do this; ask an administrator.")
        if request.method not in SAFE_METHODS:
            _check_media_type(op, request)
            if method != "token":
                _check_csrf(request)
        ids = _path_ids(path)
        call = Call(request, user, method, _parse_body(op, request), _parse_query(op, request), ids)
        result = await op.handler(call)
    except HadraError as exc:
        return error_response(exc)
    except unavailable.UNAVAILABLE as exc:
        log.warning("%s %s: a service is unavailable: %s", request.method, request.path, exc)
        return error_response(unavailable.error(exc))
    except Exception:
        log.exception("%s %s failed", request.method, request.path)
        return error_response(
            HadraError(
                ErrorCode.INTERNAL,
                "Something went wrong on the server; try again. If it keeps "
                "happening, tell the operator: the server log has the details.",
            )
        )
    if result is None:
        return HttpResponse(status=op.status)
    if isinstance(result, HttpResponse):
        return result
    return HttpResponse(result.model_dump_json(), status=op.status, content_type="application/json")


async def _authenticate(request: HttpRequest) -> tuple[User | None, Literal["session", "token"] | None]:
    """A bearer token when one is sent (a bad one is an error, never a silent fall-back to the
    session); the session cookie otherwise."""
    header = request.headers.get("Authorization")
    if header is not None:
        user = await user_from_bearer(header)
        if user is None:
            raise HadraError(
                ErrorCode.INVALID_TOKEN,
                "The `Authorization` header must be `Bearer <token>` with a "
                "live API token; this one is unknown or revoked. Create a new one at /api/tokens.",
            )
        return user, "token"
    user = await user_from_session(request.session)
    return user, ("session" if user else None)


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own CSRF check, answering with the reason instead of its HTML failure page."""

    def _reject(self, request: HttpRequest, reason: str) -> str:
        return reason


def _no_body(request: HttpRequest) -> bool:
    return (request.META.get("CONTENT_LENGTH") or "0") == "0" and "chunked" not in request.headers.get(
        "Transfer-Encoding", ""
    )


def _check_media_type(op: Operation, request: HttpRequest) -> None:
    """The API reads JSON only. Checked before the CSRF check, which would parse a form or multipart
    body looking for its token field and fail (a 500) on one over Django's size or field limits."""
    sent = not (op.body_optional and _no_body(request))
    if request.content_type in FORM_TYPES or (
        op.body is not None and sent and request.content_type != "application/json"
    ):
        raise HadraError(
            ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as JSON with the header `Content-Type: application/json`."
        )


def _check_csrf(request: HttpRequest) -> None:
    """Unsafe requests without a bearer token ride on the browser's cookies, so they need the CSRF
    token. A bearer token is not an ambient credential: a foreign page cannot make a browser send it."""
    check = _CsrfCheck(lambda _request: HttpResponse())
    check.process_request(request)
    reason = check.process_view(request, _needs_csrf, (), {})
    if reason:
        raise HadraError(
            ErrorCode.CSRF_FAILED,
            f"CSRF check failed: {reason} Browsers: send the `csrftoken` cookie's "
            "value in an `X-CSRFToken` header (GET /api/auth/me sets the cookie). Other clients: "
            "use `Authorization: Bearer <token>`, which needs no CSRF token.",
        )


def _needs_csrf(request: HttpRequest) -> None:
    """Stands in for the view in Django's check, which skips views marked csrf_exempt."""


def _path_ids(path: dict[str, str]) -> dict[str, PydanticObjectId]:
    ids = {}
    for name, raw in path.items():
        value = raw.lower()
        if not PydanticObjectId.is_valid(value) or len(value) != 24:
            raise HadraError(
                ErrorCode.INVALID_ID,
                f"`{name}` must be a 24-character hexadecimal id, like the `id` "
                f"fields this API returns; got {raw[:40]!r}.",
            )
        ids[name] = PydanticObjectId(value)
    return ids


def _parse_query(op: Operation, request: HttpRequest) -> BaseModel | None:
    params = request.GET
    if op.query is None:
        if params:
            raise HadraError(
                ErrorCode.INVALID_QUERY,
                f"This endpoint takes no query parameters; remove {', '.join(sorted(params))[:200]}.",
            )
        return None
    data: dict[str, str] = {}
    for key in params:
        values = params.getlist(key)
        if len(values) > 1:
            raise HadraError(ErrorCode.INVALID_QUERY, f"`{key[:50]}` is given {len(values)} times; give it once.")
        data[key] = values[0]
    try:
        return op.query.model_validate(data)
    except ValidationError as exc:
        raise invalid(ErrorCode.INVALID_QUERY, exc, "query string") from None


def _parse_body(op: Operation, request: HttpRequest) -> BaseModel | None:
    if op.body is None:
        return None
    declared = request.META.get("CONTENT_LENGTH") or "0"
    too_large = HadraError(ErrorCode.BODY_TOO_LARGE, f"The body is limited to {op.body_limit} bytes here.")
    if declared.isdigit() and int(declared) > op.body_limit:
        raise too_large
    raw = request.read(op.body_limit + 1)
    if len(raw) > op.body_limit:
        raise too_large
    if op.body_optional and not raw:
        raw = b"{}"
    try:
        return op.body.model_validate_json(raw)
    except ValidationError as exc:
        raise invalid(ErrorCode.INVALID_BODY, exc, "body") from None
