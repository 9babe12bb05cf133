"""On the API, the caller's right is checked before the body is validated (ASVS 4.0.3 V4.1.3):
someone who may not write gets 403 for any body, and never a 422 describing what the body should
hold. Walked over the route table, so a new write route fails here until it declares its right.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from jusoor.core.db import Database
from jusoor.core.permissions import matrix
from jusoor.synth import demo
from jusoor.web.access import access_of, actions_required
from tests.security.test_route_walk import fill
from tests.support import tokens

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def write_routes(app: FastAPI) -> Iterator[tuple[str, str, tuple[str, ...] | None]]:
    """(method, path, declared actions) of every API route that writes, peers' inbox aside."""
    for route in iter_route_contexts(app.routes):
        path = str(route.path)
        methods = (route.methods or set()) & WRITES
        if not path.startswith("/api/") or not methods or access_of(route.endpoint) == "peer":
            continue
        declared = [actions_required(d.call) for d in route.dependant.dependencies]
        actions = next((a for a in declared if a is not None), None)
        for method in sorted(methods):
            yield method, path, actions


def test_every_api_write_route_declares_a_known_right(client: TestClient) -> None:
    known = matrix().actions
    found = list(write_routes(client.app))  # type: ignore[arg-type]
    assert len(found) >= 30
    undeclared = [(m, p) for m, p, actions in found if actions is None]
    assert undeclared == []
    unknown = [(m, p, a) for m, p, actions in found for a in actions or () if a not in known]
    assert unknown == []


def test_a_caller_without_the_right_gets_403_whatever_the_body(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as session:
        users = [(x.username, frozenset(x.roles)) for x in demo.logins(session)]
    headers: dict[str, dict[str, str]] = {}
    checked = 0
    for method, path, actions in write_routes(client.app):  # type: ignore[arg-type]
        assert actions is not None
        username = next(
            (
                name
                for name, roles in users
                if all(matrix().scope(roles, action) is None for action in actions)
            ),
            None,
        )
        if username is None:  # every role has it (revoking one's own token): nobody to refuse
            assert actions == ("profile.manage",), (method, path)
            continue
        if username not in headers:
            headers[username] = tokens.bearer(demo_db, username)
        for body in (b"[]", b'{"unexpected": true}', b'"x"'):
            response = client.request(
                method,
                fill(path),
                content=body,
                headers={**headers[username], "content-type": "application/json"},
            )
            where = f"{method} {path} as {username} with {body!r}"
            assert response.status_code == 403, (where, response.text)
            assert response.json()["error"]["code"] == "forbidden", where
        checked += 1
    assert checked >= 30


def test_a_caller_with_the_right_still_gets_the_422_naming_the_field(
    client: TestClient, demo_db: Database
) -> None:
    response = client.post(
        f"/api/v1/cases/{uuid.uuid4()}/notes",
        json={"unexpected": True},
        headers=tokens.bearer(demo_db, "caseworker.ma"),
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
