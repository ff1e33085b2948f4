"""The served OpenAPI description matches the routes, holds the DESIGN.md contract, and a
property-based run over it (schemathesis: valid and invalid inputs for every operation, as staff)
finds no 500, no undocumented status and no reply that breaks its schema."""

from __future__ import annotations

import re

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.fallback import no_such_endpoint
from api.urls import urlpatterns
from tests.api.clients import isolated_db, staff_client

# DESIGN.md, "HTTP": the paths the web UI, outside clients and acceptance tests rely on.
CONTRACT = {
    ("post", "/api/auth/register"),
    ("post", "/api/auth/login"),
    ("post", "/api/auth/logout"),
    ("get", "/api/auth/me"),
    ("patch", "/api/auth/me"),
    ("get", "/api/tokens"),
    ("post", "/api/tokens"),
    ("delete", "/api/tokens/{token_id}"),
    ("get", "/api/conversations"),
    ("get", "/api/conversations/{conversation_id}"),
    ("patch", "/api/conversations/{conversation_id}"),
    ("delete", "/api/conversations/{conversation_id}"),
    ("get", "/api/conversations/{conversation_id}/messages"),
    ("get", "/api/conversations/{conversation_id}/export"),
    ("post", "/api/conversations/import"),
    ("post", "/api/messages/{message_id}/feedback"),
    ("get", "/api/models"),
    ("get", "/api/admin/model-versions"),
    ("post", "/api/admin/model-versions"),
    ("post", "/api/admin/model-versions/{version_id}/activate"),
    ("post", "/api/admin/model-versions/{version_id}/rollback"),
    ("delete", "/api/admin/model-versions/{version_id}"),
    ("post", "/api/admin/model-versions/{version_id}/picks"),
    ("get", "/api/admin/audit"),
    ("get", "/api/admin/users"),
    ("patch", "/api/admin/users/{user_id}"),
    ("get", "/api/admin/users/{user_id}/export"),
    ("get", "/api/admin/settings"),
    ("patch", "/api/admin/settings"),
    ("get", "/api/admin/dataset"),
    ("get", "/api/admin/dataset/rows"),
    ("put", "/api/admin/dataset/rows/{message_id}/exclusion"),
    ("delete", "/api/admin/dataset/rows/{message_id}/exclusion"),
    ("get", "/api/admin/dataset/rows/{message_id}/account"),
    ("get", "/api/admin/presets"),
    ("get", "/api/admin/training-runs"),
    ("post", "/api/admin/training-runs"),
    ("get", "/api/admin/training-runs/{run_id}"),
    ("post", "/api/admin/training-runs/{run_id}/cancel"),
}
EXAMPLES_PER_OPERATION = 8  # × 2 modes × 19 operations ≈ 300 requests


def _routes() -> set[tuple[str, str]]:
    routes = set()
    for pattern in urlpatterns:
        operations = getattr(pattern.callback, "operations", None)
        if operations is None:
            assert pattern.callback is no_such_endpoint, pattern
            continue
        path = "/api/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        routes |= {(method.lower(), path) for method in operations}
    return routes


def test_the_description_matches_the_routes_and_the_contract(api_server) -> None:
    served = httpx.get(f"{api_server.url}/api/openapi.json").json()
    assert served["openapi"].startswith("3.1")
    described = {(method, path) for path, item in served["paths"].items() for method in item}
    assert described == _routes()
    assert described >= CONTRACT
    for path, item in served["paths"].items():
        for method, operation in item.items():
            assert operation["summary"] and operation["responses"], (method, path)


def test_no_input_makes_the_server_fail(start_server, server_env: dict[str, str], capture_env: dict[str, str]) -> None:
    env = {"MONGODB_URI": isolated_db(server_env["MONGODB_URI"]), "HADRA_LOGIN_ATTEMPTS_PER_MINUTE": "10000"}
    server = start_server(**env, **capture_env)
    staff = staff_client(server, env)
    headers = {"Authorization": staff.headers["Authorization"]}
    # 413 (a body over the size limit) is a rejection too.
    config = schemathesis.Config.from_dict(
        {"checks": {"negative_data_rejection": {"expected-statuses": [400, 401, 403, 404, 405, 409, 413, 415, 429]}}}
    )
    schema = schemathesis.openapi.from_url(f"{server.url}/api/openapi.json", config=config)
    failures: list[str] = []
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

    for result in schema.get_all_operations():
        operation = result.ok()
        for mode, mode_checks in (
            (GenerationMode.POSITIVE, checks),
            (GenerationMode.NEGATIVE, [*checks, negative_data_rejection]),
        ):
            try:
                _fuzz(operation, mode, mode_checks, server.url, headers)
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE, operation.label  # nothing in it can be made invalid
            except (Exception, BaseExceptionGroup) as exc:  # schemathesis reports failures as a group
                failures.append(f"{operation.label} [{mode.value}]: {exc}")
    assert not failures, "\n\n".join(failures)


def _fuzz(operation, mode: GenerationMode, checks: list, base_url: str, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        case.validate_response(response, checks=checks, headers=headers)

    run()
