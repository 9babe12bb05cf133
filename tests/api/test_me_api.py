"""`/api/v1/me`: who the caller is, what they may do, and the tokens they hold."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select

from jusoor.auth.models import ApiToken
from jusoor.core.db import Database
from jusoor.core.permissions import matrix
from tests.conftest import DEMO_PASSWORD
from tests.support import tokens
from tests.support.web import login


def _csrf(client: TestClient) -> dict[str, str]:
    """The CSRF header a browser script would send, taken from a page of the session."""
    from tests.support.web import csrf_from

    return {"X-CSRF-Token": csrf_from(client.get("/profile").text)}


def test_me_describes_the_caller_and_their_actions(client: TestClient, demo_db: Database) -> None:
    response = client.get("/api/v1/me", headers=tokens.bearer(demo_db, "coordinator.ma"))
    assert response.status_code == 200
    me = response.json()
    assert me["username"] == "coordinator.ma"
    assert me["roles"] == ["coordinator"]
    assert me["agency"]["country"] == "MA"
    assert me["actions"] == sorted(
        a for a in matrix().actions if matrix().scope(frozenset({"coordinator"}), a)
    )
    assert {"agencies.read", "profile.manage"} <= set(me["actions"]) and "users.manage" not in me[
        "actions"
    ]
    assert "password_hash" not in me and "totp_secret" not in me
    assert response.headers["cache-control"] == "no-store"


def test_me_without_credentials_asks_for_a_bearer_token(client: TestClient) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {
        "error": {"code": "unauthorized", "message": "Please sign in.", "field": None}
    }


def test_a_signed_in_browser_session_reaches_the_api(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "analyst.tn", DEMO_PASSWORD)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == "analyst.tn"


def test_issuing_listing_and_revoking_own_tokens(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "analyst.tn", DEMO_PASSWORD)
    created = client.post(
        "/api/v1/me/tokens", json={"name": "reporting script", "days": 30}, headers=_csrf(client)
    )
    assert created.status_code == 201, created.text
    issued = created.json()
    secret = issued["token"]
    assert secret.startswith(issued["prefix"]) and issued["name"] == "reporting script"

    listed = client.get("/api/v1/me/tokens").json()
    assert [t["id"] for t in listed] == [issued["id"]]
    assert "token" not in listed[0] and "token_digest" not in listed[0]

    as_program = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=as_program).json()["username"] == "analyst.tn"
    revoked = client.delete(f"/api/v1/me/tokens/{issued['id']}", headers=_csrf(client))
    assert revoked.status_code == 204
    client.cookies.clear()
    assert client.get("/api/v1/me", headers=as_program).status_code == 401


def test_a_bearer_token_cannot_mint_another(client: TestClient, demo_db: Database) -> None:
    response = client.post(
        "/api/v1/me/tokens", json={"name": "x"}, headers=tokens.bearer(demo_db, "analyst.eg")
    )
    assert response.status_code == 403


def test_a_screener_may_not_hold_tokens(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "screener.tn", DEMO_PASSWORD)
    response = client.post("/api/v1/me/tokens", json={"name": "x"}, headers=_csrf(client))
    assert response.status_code == 403


def test_a_token_can_revoke_itself(client: TestClient, demo_db: Database) -> None:
    secret = tokens.issue(demo_db, "auditor.jo")
    headers = {"Authorization": f"Bearer {secret}"}
    (mine,) = client.get("/api/v1/me/tokens", headers=headers).json()
    assert client.delete(f"/api/v1/me/tokens/{mine['id']}", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_someone_elses_token_is_not_found_through_me(client: TestClient, demo_db: Database) -> None:
    tokens.issue(demo_db, "analyst.eg")
    with demo_db.unit_of_work() as session:
        other = session.scalars(select(ApiToken)).first()
        assert other is not None
        other_id = other.id
    # Not even the administrator revokes another user's token through their own /me.
    admin = tokens.bearer(demo_db, "admin")
    assert client.delete(f"/api/v1/me/tokens/{other_id}", headers=admin).status_code == 404
    assert client.delete(f"/api/v1/me/tokens/{uuid.uuid4()}", headers=admin).status_code == 404
    with demo_db.unit_of_work() as session:
        row = session.get(ApiToken, other_id)
        assert row is not None and row.revoked_at is None


def test_token_input_is_validated(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "analyst.tn", DEMO_PASSWORD)
    for body, field in (
        ({"name": ""}, "name"),
        ({"name": "x", "days": 400}, "days"),
        ({"name": "x", "days": "soon"}, "days"),
        ({"name": "x", "scope": "all"}, "scope"),
        ({}, "name"),
    ):
        response = client.post("/api/v1/me/tokens", json=body, headers=_csrf(client))
        assert response.status_code == 422, body
        assert response.json()["error"]["field"] == field, body
