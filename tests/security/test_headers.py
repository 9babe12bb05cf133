"""Security headers (ASVS 14.4) on every kind of response: pages, the API, errors, probes.

The headers are set by the app's middleware whatever the database: SQLite only (`client_sqlite`)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from jusoor.core.db import Database
from tests.support import tokens


def assert_hardened(response: Response) -> None:
    headers = response.headers
    where = f"{response.request.method} {response.request.url.path} ({response.status_code})"
    csp = headers.get("content-security-policy", "")
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ):
        assert directive in csp, f"{where}: CSP lacks {directive}"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert headers.get("x-frame-options") == "DENY", where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") == "no-referrer", where
    assert "x-request-id" in headers, where
    assert "server" not in headers or "/" not in headers["server"], where


@pytest.mark.parametrize(
    "path", ["/login", "/", "/no-such-page", "/healthz", "/api/v1/openapi.json", "/api/v1/me"]
)
def test_anonymous_responses_carry_the_headers(client_sqlite: TestClient, path: str) -> None:
    client_sqlite.cookies.clear()
    assert_hardened(client_sqlite.get(path, follow_redirects=False))


def test_api_responses_carry_the_headers_and_are_not_cached(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    headers = tokens.bearer(demo_sqlite, "admin")
    for response in (
        client_sqlite.get("/api/v1/me", headers=headers),
        client_sqlite.get("/api/v1/users", headers=headers),
        client_sqlite.get("/api/v1/users/not-a-uuid", headers=headers),
        client_sqlite.post("/api/v1/agencies", content=b"{", headers=headers),
    ):
        assert_hardened(response)
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["content-type"].startswith("application/json")


def test_a_static_file_carries_the_headers(client_sqlite: TestClient) -> None:
    page = client_sqlite.get("/login").text
    stylesheet = page.split('href="/static/', 1)[1].split('"', 1)[0]
    assert_hardened(client_sqlite.get(f"/static/{stylesheet}"))


def test_no_cross_origin_access_is_granted(
    client_sqlite: TestClient, demo_sqlite: Database
) -> None:
    preflight = client_sqlite.options(
        "/api/v1/me",
        headers={
            "Origin": "https://evil.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert "access-control-allow-origin" not in preflight.headers
    response = client_sqlite.get(
        "/api/v1/me",
        headers={**tokens.bearer(demo_sqlite, "admin"), "Origin": "https://evil.example"},
    )
    assert "access-control-allow-origin" not in response.headers


def test_the_request_id_is_bounded(client_sqlite: TestClient) -> None:
    response = client_sqlite.get("/healthz", headers={"X-Request-Id": "r" * 500})
    assert len(response.headers["x-request-id"]) <= 64
