"""The one set of error codes: the socket's ``error`` frames, ``message.done`` of a failed answer,
HTTP error replies and the Ollama gateway's error types all carry :class:`ErrorInfo`.

``code`` is for programs (and picks the sentence a person reads, in their language); ``params``
holds what that sentence needs (the field, the limit, the seconds to wait); ``message`` is an
English sentence for API users and logs. Not-found and not-yours share ``not_found``, so an id
never tells a stranger that the object exists.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class ErrorCode(StrEnum):
    # Signing in, and who may do what
    UNAUTHENTICATED = "unauthenticated"
    INVALID_TOKEN = "invalid_token"
    INVALID_CREDENTIALS = "invalid_credentials"
    SIGNED_OUT = "signed_out"
    FORBIDDEN = "forbidden"
    CSRF_FAILED = "csrf_failed"
    RATE_LIMITED = "rate_limited"
    # Requests the server cannot read
    NO_SUCH_ENDPOINT = "no_such_endpoint"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    BODY_TOO_LARGE = "body_too_large"
    INVALID_ID = "invalid_id"
    INVALID_QUERY = "invalid_query"
    INVALID_CURSOR = "invalid_cursor"
    INVALID_BODY = "invalid_body"
    INVALID_IMPORT = "invalid_import"
    EMPTY_PATCH = "empty_patch"
    # Frames the socket cannot read
    BAD_FRAME = "bad_frame"
    BAD_JSON = "bad_json"
    FRAME_TOO_LARGE = "frame_too_large"
    UNKNOWN_TYPE = "unknown_type"
    INVALID_FRAME = "invalid_frame"
    # What the chat refuses
    NOT_FOUND = "not_found"
    EMPTY_CONTENT = "empty_content"
    CONTENT_TOO_LONG = "content_too_long"
    BUSY = "busy"
    TOO_MANY_GENERATIONS = "too_many_generations"
    NOT_STREAMING = "not_streaming"
    INVALID_PARENT = "invalid_parent"
    INVALID_MESSAGE = "invalid_message"
    NOT_AN_ANSWER = "not_an_answer"
    STILL_STREAMING = "still_streaming"
    # Accounts
    USERNAME_TAKEN = "username_taken"
    EMAIL_TAKEN = "email_taken"
    ACCOUNT_DISABLED = "account_disabled"
    SIGNUP_CLOSED = "signup_closed"
    # Accounts (admins)
    CANNOT_CHANGE_SELF = "cannot_change_self"
    LAST_STAFF = "last_staff"
    # Model versions (admins)
    NAME_TAKEN = "name_taken"
    VERSION_ACTIVE = "version_active"
    NOT_ACTIVE = "not_active"
    MODEL_NOT_IN_OLLAMA = "model_not_in_ollama"
    EVAL_GATE = "eval_gate"
    # Training runs (admins)
    UNKNOWN_PRESET = "unknown_preset"
    RUN_FINISHED = "run_finished"
    # Why an answer failed (``message.done``), and the Ollama gateway's errors
    MODEL_NOT_FOUND = "model_not_found"
    MODEL_SERVER_UNAVAILABLE = "model_server_unavailable"
    MODEL_SERVER_BUSY = "model_server_busy"
    MODEL_QUEUE_FULL = "model_queue_full"
    MODEL_SERVER_TIMEOUT = "model_server_timeout"
    MODEL_SERVER_ERROR = "model_server_error"
    ANSWER_CUT_SHORT = "answer_cut_short"
    DATABASE_GONE = "database_gone"
    INTERRUPTED = "interrupted"
    ANSWER_FAILED = "answer_failed"
    # The server's own trouble
    UNAVAILABLE = "unavailable"
    INTERNAL = "internal"


# The HTTP status of each code an HTTP reply can carry; the socket sends codes alone.
HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.INVALID_TOKEN: 401,
    ErrorCode.INVALID_CREDENTIALS: 401,
    ErrorCode.SIGNED_OUT: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.CSRF_FAILED: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.NO_SUCH_ENDPOINT: 404,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.BUSY: 409,
    ErrorCode.NOT_STREAMING: 409,
    ErrorCode.NOT_AN_ANSWER: 409,
    ErrorCode.STILL_STREAMING: 409,
    ErrorCode.USERNAME_TAKEN: 409,
    ErrorCode.EMAIL_TAKEN: 409,
    ErrorCode.ACCOUNT_DISABLED: 401,
    ErrorCode.SIGNUP_CLOSED: 403,
    ErrorCode.CANNOT_CHANGE_SELF: 409,
    ErrorCode.LAST_STAFF: 409,
    ErrorCode.NAME_TAKEN: 409,
    ErrorCode.VERSION_ACTIVE: 409,
    ErrorCode.NOT_ACTIVE: 409,
    ErrorCode.MODEL_NOT_IN_OLLAMA: 409,
    ErrorCode.EVAL_GATE: 409,
    ErrorCode.RUN_FINISHED: 409,
    ErrorCode.BODY_TOO_LARGE: 413,
    ErrorCode.FRAME_TOO_LARGE: 413,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: 415,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.TOO_MANY_GENERATIONS: 429,
    ErrorCode.INTERNAL: 500,
    ErrorCode.MODEL_SERVER_UNAVAILABLE: 503,
    ErrorCode.MODEL_QUEUE_FULL: 503,
    ErrorCode.UNAVAILABLE: 503,
}

Param = str | int | float


class ErrorInfo(BaseModel):
    """An error as every client sees it, on the socket and over HTTP."""

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)

    code: ErrorCode = Field(description="Stable, machine-readable reason; picks the sentence a person reads.")
    message: str = Field(description="What went wrong and how to fix it, in English, for API users and logs.")
    params: dict[str, Param] = Field(
        default_factory=dict, description="What a translated sentence needs, e.g. the field and the limit."
    )


class HadraError(Exception):
    """A request hadra refuses. Raised anywhere below a view or frame handler; the socket answers
    an ``error`` frame and HTTP an error reply with the code's status, both with :meth:`info`."""

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        *,
        params: dict[str, Param] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params or {}
        self.headers = headers or {}

    @property
    def status(self) -> int:
        return HTTP_STATUS.get(self.code, 400)

    def info(self) -> ErrorInfo:
        return ErrorInfo(code=self.code, message=self.message, params=self.params)


def from_legacy_text(value: object) -> object:
    """Answers failed before errors had codes stored (and exported) a bare English sentence: read
    it as ``answer_failed`` with that sentence, so old conversations still load and import."""
    if isinstance(value, str):
        return {"code": ErrorCode.ANSWER_FAILED.value, "message": value}
    return value


def not_found(what: str) -> HadraError:
    """The same answer whether it does not exist or belongs to someone else: ids reveal nothing."""
    return HadraError(ErrorCode.NOT_FOUND, f"No such {what}.", params={"what": what})


UNAVAILABLE_RETRY_AFTER_S = 5
_AWAY = {"database": "the database", "redis": "its message relay (Redis)"}


def unavailable(part: Literal["database", "redis"]) -> HadraError:
    """A part the server depends on is away: nothing the client can do but wait, so a sentence
    saying so (HTTP 503, an ``unavailable`` frame), ``params.part`` naming it, and when to retry."""
    return HadraError(
        ErrorCode.UNAVAILABLE,
        f"The server cannot reach {_AWAY[part]} right now; try again in a few seconds.",
        params={"part": part, "retry_after_s": UNAVAILABLE_RETRY_AFTER_S},
        headers={"Retry-After": str(UNAVAILABLE_RETRY_AFTER_S)},
    )


def rate_limited(refusal: str, retry_after_s: float) -> HadraError:
    """``refusal`` says what the limit is; the reply adds when to try again (and ``Retry-After``)."""
    seconds = max(1, math.ceil(retry_after_s))
    return HadraError(
        ErrorCode.RATE_LIMITED,
        f"{refusal.rstrip('.')}. Try again in {seconds} s.",
        params={"retry_after_s": seconds},
        headers={"Retry-After": str(seconds)},
    )


def invalid(code: ErrorCode, exc: ValidationError, what: str, *, skip: int = 0) -> HadraError:
    """A pydantic error as one sentence a person can act on (first three problems); ``params``
    name the first problem's field and kind, and its limit when it has one. ``skip`` drops leading
    parts of each location (a frame's type tag)."""
    errors = exc.errors()
    parts = []
    for err in errors[:3]:
        where = ".".join(str(p) for p in err["loc"][skip:]) or what
        if err["type"] == "extra_forbidden":
            parts.append(f"`{where}` is not a field of this {what}; remove it")
        elif err["type"] == "json_invalid":
            parts.append(f"the {what} is not valid JSON ({err['msg']})")
        elif err["type"] == "missing":
            parts.append(f"`{where}` is required")
        else:
            parts.append(f"`{where}`: {err['msg']}")
    more = len(errors) - 3
    suffix = f" (and {more} more)" if more > 0 else ""
    first = errors[0]
    params: dict[str, Param] = {"field": ".".join(str(p) for p in first["loc"][skip:]), "problem": first["type"]}
    for key, value in (first.get("ctx") or {}).items():
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            params[key] = value
    return HadraError(code, f"Invalid {what}: " + "; ".join(parts) + suffix + ".", params=params)
