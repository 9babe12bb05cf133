"""Deny by default, proved by walking every route the app registers: pages, API, every method.

An anonymous request must be refused everywhere except on the few routes listed below, each with
the reason it is open. A new public route fails this test until it is added here, consciously.
Then every operation of the OpenAPI document is tried with no, an expired and a revoked token.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from urllib.parse import unquote

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from httpx import Response

from jusoor.core.db import Database
from jusoor.web.access import access_of
from tests.conftest import DEMO_PASSWORD
from tests.support import tokens
from tests.support.web import login

# (method, path) → why an anonymous caller may reach it. "*" stands for every method of the path.
ALLOWED: dict[tuple[str, str], str] = {
    ("GET", "/login"): "the sign-in form itself",
    ("POST", "/login"): "signing in (throttled, CSRF-checked with the pre-session cookie)",
    ("POST", "/language"): "choosing the interface language before signing in (CSRF-checked)",
    ("GET", "/healthz"): "liveness probe for load balancers; says ok/unreachable, nothing else",
    ("GET", "/readyz"): "readiness probe for orchestrators; says ok/outdated, nothing else",
    ("*", "/static"): "vendored CSS, scripts and fonts; no data",
    ("GET", "/api/v1/openapi.json"): "the API contract of open-source software; no data",
    ("HEAD", "/api/v1/openapi.json"): "as GET",
    ("POST", "/api/v1/exchange/inbox"): "peer nodes deliver here: the signed, encrypted envelope "
    "is the credential, verified before anything is read or stored (tests/exchange)",
}

PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-z]+)?}")


def routes(app: FastAPI) -> Iterator[tuple[str, str, object]]:
    """Every (method, path, endpoint) the app answers, with included routers flattened."""
    for route in iter_route_contexts(app.routes):
        path = route.path
        assert path, f"a route without a path: {route!r}"
        methods = route.methods or {"*"}
        for method in sorted(methods):
            yield method, path, route.endpoint


def fill(path: str) -> str:
    return PARAM.sub(lambda _match: str(uuid.uuid4()), path)


def is_allowed(method: str, path: str) -> bool:
    return (method, path) in ALLOWED or ("*", path) in ALLOWED


def assert_refused(method: str, path: str, response: Response) -> None:
    where = f"{method} {path} answered {response.status_code}"
    if path.startswith("/api/"):
        assert response.status_code == 401, where
        assert response.headers.get("www-authenticate") == "Bearer", where
        if method != "HEAD":
            assert response.json()["error"]["code"] == "unauthorized", where
        return
    if response.status_code in (302, 303, 307):
        assert response.headers["location"].startswith("/login"), where
        return
    assert response.status_code in (401, 403), where


@pytest.fixture
def anonymous(client: TestClient) -> TestClient:
    client.cookies.clear()
    client.headers.pop("authorization", None)
    return client


def test_the_walk_sees_pages_and_api(client: TestClient) -> None:
    app = client.app
    assert isinstance(app, FastAPI)
    paths = {path for _, path, _ in routes(app)}
    assert {"/", "/login", "/api/v1/me", "/api/v1/users/{user_id}", "/static"} <= paths
    assert len(paths) > 30


def test_every_route_refuses_an_anonymous_request(anonymous: TestClient) -> None:
    app = anonymous.app
    assert isinstance(app, FastAPI)
    walked = 0
    for method, path, _endpoint in routes(app):
        if is_allowed(method, path):
            continue
        response = anonymous.request(method, fill(path), follow_redirects=False)
        assert_refused(method, path, response)
        walked += 1
    assert walked > 30


def test_only_allow_listed_routes_are_marked_public(client: TestClient) -> None:
    app = client.app
    assert isinstance(app, FastAPI)
    public = {
        (method, path)
        for method, path, endpoint in routes(app)
        if endpoint is not None and access_of(endpoint) in ("public", "peer")
    }
    unexpected = {route for route in public if not is_allowed(*route)}
    assert not unexpected, f"public routes missing from the allow-list: {sorted(unexpected)}"


def test_every_allow_listed_route_exists(client: TestClient) -> None:
    app = client.app
    assert isinstance(app, FastAPI)
    registered = {(method, path) for method, path, _ in routes(app)}
    registered |= {("*", path) for _, path, _ in routes(app)}
    missing = set(ALLOWED) - registered
    assert not missing, f"allow-listed but not registered (remove them): {sorted(missing)}"


def test_the_allow_listed_probes_answer_anonymously(anonymous: TestClient) -> None:
    for path in ("/healthz", "/readyz", "/api/v1/openapi.json", "/login"):
        assert anonymous.get(path).status_code == 200, path


def test_the_peer_inbox_refuses_what_is_not_a_signed_envelope(anonymous: TestClient) -> None:
    response = anonymous.post("/api/v1/exchange/inbox", json={"header": {}})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "envelope_malformed"


# Every OpenAPI operation, with no, an expired and a revoked token --------------------------


def openapi_operations(client: TestClient) -> list[tuple[str, str]]:
    document = client.get("/api/v1/openapi.json").json()
    return [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


@pytest.mark.parametrize("credential", ["none", "expired", "revoked", "garbage"])
def test_every_api_operation_refuses_bad_credentials(
    anonymous: TestClient, demo_db: Database, credential: str
) -> None:
    headers: dict[str, str] = {}
    if credential != "none":
        token = tokens.issue(demo_db, "admin") if credential != "garbage" else "jsr_x"
        if credential == "expired":
            tokens.expire(demo_db, token)
        if credential == "revoked":
            tokens.revoke(demo_db, token)
        headers["Authorization"] = f"Bearer {token}"
    operations = openapi_operations(anonymous)
    assert len(operations) >= 15
    for method, path in operations:
        if is_allowed(method, path):
            continue
        response = anonymous.request(
            method, fill(path), headers=headers, json={}, follow_redirects=False
        )
        assert_refused(method, path, response)


# Case data behind every entity and graph route -------------------------------------------

CASE_DATA_ROUTES = ("/api/v1/entities", "/api/v1/graph", "/entities", "/network")


@pytest.mark.parametrize("username", ["prosecutor.eg", "investigator.eg"])
def test_every_entity_and_graph_route_keeps_a_victims_records_from_non_readers(
    client: TestClient, demo_db: Database, username: str
) -> None:
    """Every route under the entity and graph prefixes — a new one included, without touching
    this test — is tried with each of a victim's record ids in its path and as every query
    parameter these routes take, by users who read entities but not the case: none answers with
    the victim's name, alias, phone, e-mail, document, case reference or another record's id."""
    from tests.entities.case_support import build, leaked

    with demo_db.unit_of_work() as session:
        victim = build(session).eg
    app = client.app
    assert isinstance(app, FastAPI)
    headers = tokens.bearer(demo_db, username)
    assert login(client, demo_db, username, DEMO_PASSWORD).status_code == 303
    walked = 0
    for method, path, _endpoint in routes(app):
        if not path.startswith(CASE_DATA_ROUTES) or method not in ("GET", "POST"):
            continue
        for record in victim.records.values():
            query = {
                "q": victim.secrets[2],
                "case": str(victim.case_id),
                "entity": str(record),
                "from": str(record),
                "to": str(victim.person),
                "format": "ftm",
                "limit": "500",
            }
            response = client.request(
                method,
                PARAM.sub(str(record), path),
                params=query,
                json={"schema": "Phone", "properties": {"number": [victim.secrets[2]]}},
                headers=headers if path.startswith("/api/") else {},
                follow_redirects=False,
            )
            assert response.status_code < 500, f"{method} {path}: {response.status_code}"
            typed = {s for s in victim.identifying() if s in unquote(str(response.request.url))}
            found = set(leaked(response.text, victim)) - typed
            assert not found, f"{username} {method} {path}: {found}"
            walked += 1
    assert walked >= 40
