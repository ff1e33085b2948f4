"""Every API failure is ``{"error": {"code", "message"}}`` with a 4xx/5xx status: clients branch on
the stable ``code``, people read the ``message``, which names the problem and the fix.

Not-found and not-yours share one answer (``not_found``), so an id never tells a stranger that
the object exists.
"""

from __future__ import annotations

import math

from django.http import HttpResponse
from pydantic import ValidationError

from api.schemas import ErrorBody, ErrorOut


class ApiError(Exception):
    """Raised anywhere below a view; the endpoint wrapper turns it into the JSON error reply."""

    def __init__(self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> HttpResponse:
    body = ErrorOut(error=ErrorBody(code=code, message=message)).model_dump_json()
    response = HttpResponse(body, status=status, content_type="application/json")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"No such {what}.")


def rate_limited(message: str, retry_after_s: float) -> ApiError:
    seconds = max(1, math.ceil(retry_after_s))
    return ApiError(429, "rate_limited", f"{message} Try again in {seconds} s.", headers={"Retry-After": str(seconds)})


def describe(exc: ValidationError, what: str) -> str:
    """A pydantic error as one sentence a person can act on (first three problems)."""
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err["loc"]) or what
        if err["type"] == "extra_forbidden":
            parts.append(f"`{where}` is not a field of this {what}; remove it")
        elif err["type"] == "json_invalid":
            parts.append(f"the {what} is not valid JSON ({err['msg']})")
        elif err["type"] == "missing":
            parts.append(f"`{where}` is required")
        else:
            parts.append(f"`{where}`: {err['msg']}")
    more = len(exc.errors()) - 3
    suffix = f" (and {more} more)" if more > 0 else ""
    return f"Invalid {what}: " + "; ".join(parts) + suffix + "."
