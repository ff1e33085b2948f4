"""The OpenAPI 3.1 description of the API, generated from api/urls.py and the operations' pydantic
models (request schemas in validation mode, replies in serialisation mode): nothing to keep in sync
by hand. Served at ``GET /api/openapi.json``."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from django.conf import settings
from django.http import JsonResponse
from django.urls import URLPattern
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from api.endpoint import SAFE_METHODS, Call, Operation, operation
from contract.http import ErrorReply

REF = "#/components/schemas/{model}"
ERROR_TEXT = {
    400: "Invalid path, query string or body",
    401: "Not logged in, or a bad token",
    403: "Not allowed (staff only, or a failed CSRF check)",
    404: "No such object (or not yours)",
    409: "Conflicts with the current state",
    413: "Body too large",
    415: "Body is not JSON",
    429: "Rate limited; see Retry-After",
    503: "A service this needs is down",
}


def operations_by_path() -> dict[str, dict[str, Operation]]:
    """``/api/...`` OpenAPI paths ({name} parameters) → method → operation, from api/urls.py."""
    from api.urls import urlpatterns

    found: dict[str, dict[str, Operation]] = {}
    for pattern in urlpatterns:
        operations = getattr(pattern.callback, "operations", None) if isinstance(pattern, URLPattern) else None
        if operations:
            route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
            found["/api/" + route] = operations
    return found


@cache
def spec() -> dict[str, Any]:
    by_path = operations_by_path()
    all_ops = [op for ops in by_path.values() for op in ops.values()]
    models: dict[type[BaseModel], JsonSchemaMode] = {ErrorReply: "serialization"}
    for op in all_ops:
        read: tuple[tuple[type[BaseModel] | None, JsonSchemaMode], ...] = (
            (op.body, "validation"),
            (op.query, "validation"),
            (op.response, "serialization"),
        )
        for model, mode in read:
            if model is not None:
                models[model] = mode
    refs, defs = models_json_schema([(m, mode) for m, mode in models.items()], ref_template=REF)
    schemas = {m: refs[(m, mode)] for m, mode in models.items()}
    paths = {
        path: {method.lower(): _operation(op, path, schemas) for method, op in ops.items()}
        for path, ops in by_path.items()
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "hadra",
            "version": "1",
            "description": 'JSON API of hadra. Errors are `{"error": {"code", "message", "params"}}`. Browsers '
            "authenticate by session cookie and send the `csrftoken` cookie back in "
            "`X-CSRFToken` on unsafe methods; other clients send `Authorization: Bearer`.",
        },
        "paths": paths,
        "components": {
            "schemas": defs.get("$defs", {}),
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer", "description": "An API token from POST /api/tokens."},
                "session": {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME},
            },
        },
    }


def _operation(op: Operation, path: str, schemas: dict[type[BaseModel], dict]) -> dict[str, Any]:
    out: dict[str, Any] = {"operationId": op.operation_id, "summary": op.summary}
    out["security"] = [] if op.auth == "public" else [{"token": []}, {"session": []}]
    if op.auth == "staff":
        out["description"] = "Staff only."
    params = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[0-9a-f]{24}$"}}
        for name in re.findall(r"{(\w+)}", path)
    ]
    if op.query is not None:
        props = op.query.model_json_schema()["properties"]
        params += [
            {"name": name, "in": "query", "required": field.is_required(), "schema": props[name]}
            for name, field in op.query.model_fields.items()
        ]
    if params:
        out["parameters"] = params
    if op.body is not None:
        out["requestBody"] = {
            "required": not op.body_optional,
            "content": {"application/json": {"schema": schemas[op.body]}},
        }
    success: dict[str, Any] = {"description": op.summary}
    if op.response is not None:
        success["content"] = {"application/json": {"schema": schemas[op.response]}, **op.alt_content}
    out["responses"] = {str(op.status): success}
    for status in sorted(_error_statuses(op, path)):
        out["responses"][str(status)] = {
            "description": ERROR_TEXT[status],
            "content": {"application/json": {"schema": schemas[ErrorReply]}},
        }
    return out


def _error_statuses(op: Operation, path: str) -> set[int]:
    """What the endpoint wrapper itself can answer, plus what the operation declares."""
    statuses = set(op.errors)
    if "{" in path or op.query or op.body:
        statuses.add(400)
    statuses.add(401)  # also on public endpoints, for a bad bearer token
    if op.auth == "staff" or op.method not in SAFE_METHODS:
        statuses.add(403)
    if "{" in path:
        statuses.add(404)
    if op.body is not None:
        statuses |= {413, 415}
    return statuses


@operation("GET", summary="This description (OpenAPI 3.1)", auth="public")
async def openapi_json(call: Call) -> JsonResponse:
    return JsonResponse(spec())
