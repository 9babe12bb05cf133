"""The OpenAPI document is the API's contract: public, complete, and honest about errors.

The document is built from the routes, not from the database: SQLite only (`client_sqlite`)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

HEALTH = {"/healthz", "/readyz"}
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def document(client_sqlite: TestClient) -> dict[str, Any]:
    client_sqlite.cookies.clear()
    response = client_sqlite.get("/api/v1/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_the_document_describes_the_api_and_nothing_else(document: dict[str, Any]) -> None:
    paths = set(document["paths"])
    assert "/api/v1/me" in paths and "/api/v1/audit/verify" in paths
    others = sorted(p for p in paths if not p.startswith("/api/v1/"))
    assert not others, (
        "pages and health probes belong out of the API contract (include_in_schema=False), so "
        f"that every path in it needs credentials: {others}"
    )
    assert not HEALTH & paths


def test_there_is_no_swagger_ui_loading_scripts_from_a_cdn(client_sqlite: TestClient) -> None:
    assert client_sqlite.get("/docs").status_code in (303, 401, 404)
    assert client_sqlite.get("/redoc").status_code in (303, 401, 404)


def test_every_operation_has_a_summary_and_declares_its_errors(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        if not path.startswith("/api/v1/"):
            continue
        where = f"{method} {path}"
        assert operation.get("summary"), f"{where} has no summary"
        responses = operation["responses"]
        for status in ("401", "503"):
            assert status in responses, f"{where} does not declare {status}"
        takes_input = bool(operation.get("parameters")) or "requestBody" in operation
        if takes_input:
            assert "422" in responses, f"{where} does not declare 422"
        if "requestBody" in operation:
            assert {"400", "413"} <= set(responses), f"{where} does not declare 400/413"
        if method != "GET" or "{" in path:
            assert "403" in responses or "404" in responses, f"{where}: no 403/404 declared"
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                schema = response["content"]["application/json"]["schema"]
                assert schema.get("$ref", "").endswith(("/ErrorBody", "/Unhealthy")), (
                    f"{where} {status} is not the shared error body: {schema}"
                )


def test_the_error_body_is_documented(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert set(schemas["ErrorDetail"]["properties"]) == {"code", "message", "field"}


def test_every_api_operation_is_tagged(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        if path.startswith("/api/v1/") or path in HEALTH:
            assert operation.get("tags"), f"{method} {path} has no tag"
