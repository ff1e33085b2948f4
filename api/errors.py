"""An HTTP error reply: ``{"error": {code, message, params}}`` (contract.http.ErrorReply) with the
code's status. The codes and their meaning live in contract/errors.py, shared with the socket."""

from __future__ import annotations

from django.http import HttpResponse

from contract.errors import HadraError
from contract.http import ErrorReply


def error_response(error: HadraError) -> HttpResponse:
    body = ErrorReply(error=error.info()).model_dump_json()
    response = HttpResponse(body, status=error.status, content_type="application/json")
    for name, value in error.headers.items():
        response[name] = value
    return response
