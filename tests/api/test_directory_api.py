"""`/api/v1/agencies` and `/api/v1/users`: administrators manage the directory; others are refused."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from jusoor.auth import service as auth
from jusoor.core.db import Database
from tests.conftest import DEMO_PASSWORD
from tests.support import tokens

NEW_AGENCY = {
    "code": "ma-api-test",
    "country": "MA",
    "kind": "ngo",
    "name_ar": "جمعية الاختبار",
    "name_en": "Test association",
    "name_fr": "Association de test",
}


@pytest.fixture
def admin(demo_db: Database) -> dict[str, str]:
    return tokens.bearer(demo_db, "admin")


def _login_ok(db: Database, username: str, password: str) -> bool:
    with db.unit_of_work() as session:
        result = auth.login(
            session, username=username, password=password, client_addr=None, request_id=None
        )
        return result.user is not None


def _error(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    if field is not None:
        assert error["field"] == field, error
    return error


# Agencies ------------------------------------------------------------------------------------


def test_an_administrator_adds_reads_and_renames_an_agency(
    client: TestClient, admin: dict[str, str]
) -> None:
    created = client.post("/api/v1/agencies", json=NEW_AGENCY, headers=admin)
    assert created.status_code == 201, created.text
    agency = created.json()
    assert {k: agency[k] for k in NEW_AGENCY} == NEW_AGENCY and agency["active"] is True

    read = client.get(f"/api/v1/agencies/{agency['id']}", headers=admin)
    assert read.json() == agency
    listed = client.get("/api/v1/agencies", headers=admin).json()
    assert agency["id"] in {a["id"] for a in listed}

    patched = client.patch(
        f"/api/v1/agencies/{agency['id']}",
        json={"name_en": "Renamed association", "active": False},
        headers=admin,
    )
    assert patched.status_code == 200
    assert patched.json()["name_en"] == "Renamed association"
    assert patched.json()["active"] is False
    assert patched.json()["code"] == NEW_AGENCY["code"]


def test_an_agency_code_is_unique(client: TestClient, admin: dict[str, str]) -> None:
    assert client.post("/api/v1/agencies", json=NEW_AGENCY, headers=admin).status_code == 201
    again = client.post("/api/v1/agencies", json=NEW_AGENCY, headers=admin)
    assert _error(again, 409, "code")["code"] == "conflict"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"kind": "militia"}, "kind"),
        ({"kind": 3}, "kind"),
        ({"code": "Has Spaces"}, "code"),
        ({"name_en": ["a", "list"]}, "name_en"),
        ({"name_fr": None}, "name_fr"),
    ],
)
def test_bad_agency_input_names_the_field(
    client: TestClient, admin: dict[str, str], change: dict[str, Any], field: str
) -> None:
    response = client.post("/api/v1/agencies", json={**NEW_AGENCY, **change}, headers=admin)
    assert _error(response, 422, field)["code"] == "invalid"


def test_an_unknown_agency_is_not_found(client: TestClient, admin: dict[str, str]) -> None:
    missing = uuid.uuid4()
    assert client.get(f"/api/v1/agencies/{missing}", headers=admin).status_code == 404
    patch = client.patch(f"/api/v1/agencies/{missing}", json={"active": False}, headers=admin)
    assert patch.status_code == 404
    assert _error(client.get("/api/v1/agencies/not-a-uuid", headers=admin), 422, "agency_id")


def test_only_administrators_manage_agencies(client: TestClient, demo_db: Database) -> None:
    coordinator = tokens.bearer(demo_db, "coordinator.ma")
    refused = client.post("/api/v1/agencies", json=NEW_AGENCY, headers=coordinator)
    assert _error(refused, 403)["code"] == "forbidden"
    own = client.get("/api/v1/agencies", headers=coordinator).json()[0]
    patch = client.patch(
        f"/api/v1/agencies/{own['id']}", json={"active": False}, headers=coordinator
    )
    assert patch.status_code == 403
    analyst = tokens.bearer(demo_db, "analyst.ma")
    assert client.get("/api/v1/agencies", headers=analyst).status_code == 403


# Users ---------------------------------------------------------------------------------------


def _new_user(**overrides: Any) -> dict[str, Any]:
    return {
        "username": "new.caseworker",
        "display_name": "New Case Worker",
        "agency_code": "ma-api-test",
        "roles": ["case_worker"],
        "locale": "fr",
        **overrides,
    }


@pytest.fixture
def agency(client: TestClient, admin: dict[str, str]) -> dict[str, Any]:
    response = client.post("/api/v1/agencies", json=NEW_AGENCY, headers=admin)
    assert response.status_code == 201
    body: dict[str, Any] = response.json()
    return body


def test_adding_a_user_returns_the_generated_password_once(
    client: TestClient, demo_db: Database, admin: dict[str, str], agency: dict[str, Any]
) -> None:
    response = client.post("/api/v1/users", json=_new_user(), headers=admin)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["user"]["username"] == "new.caseworker"
    assert body["user"]["agency"]["id"] == agency["id"]
    assert body["user"]["roles"] == ["case_worker"]
    password = body["initial_password"]
    assert password and _login_ok(demo_db, "new.caseworker", password)
    again = client.get(f"/api/v1/users/{body['user']['id']}", headers=admin).json()
    assert "initial_password" not in again and "password" not in again


def test_a_chosen_password_is_checked_and_not_echoed(
    client: TestClient, demo_db: Database, admin: dict[str, str], agency: dict[str, Any]
) -> None:
    weak = client.post("/api/v1/users", json=_new_user(password="password"), headers=admin)
    _error(weak, 422, "password")
    chosen = "Correct-Horse-Battery-Staple-42"
    response = client.post("/api/v1/users", json=_new_user(password=chosen), headers=admin)
    assert response.status_code == 201
    assert response.json()["initial_password"] is None
    assert _login_ok(demo_db, "new.caseworker", chosen)


@pytest.mark.parametrize(
    ("change", "field", "status"),
    [
        ({"locale": "de"}, "locale", 422),
        ({"roles": ["superuser"]}, "roles", 422),
        ({"roles": []}, "roles", 422),
        ({"roles": "case_worker"}, "roles", 422),
        ({"username": "Not Valid!"}, "username", 422),
        ({"display_name": 7}, "display_name", 422),
        ({"agency_code": "no-such-agency"}, "agency_code", 422),
        ({"username": "screener.eg"}, "username", 409),
    ],
)
def test_bad_user_input_names_the_field(
    client: TestClient,
    admin: dict[str, str],
    agency: dict[str, Any],
    change: dict[str, Any],
    field: str,
    status: int,
) -> None:
    response = client.post("/api/v1/users", json=_new_user(**change), headers=admin)
    _error(response, status, field)


def test_users_are_searched_by_name(client: TestClient, admin: dict[str, str]) -> None:
    found = client.get("/api/v1/users", params={"q": "screener"}, headers=admin).json()
    assert len(found) == 7 and all("screener" in u["username"] for u in found)
    assert client.get("/api/v1/users", params={"q": "x" * 101}, headers=admin).status_code == 422
    everyone = client.get("/api/v1/users", headers=admin).json()
    assert len(everyone) > len(found)


def test_changing_roles_and_disabling_a_user(
    client: TestClient, demo_db: Database, admin: dict[str, str]
) -> None:
    users = client.get("/api/v1/users", params={"q": "analyst.kw"}, headers=admin).json()
    (analyst,) = users
    url = f"/api/v1/users/{analyst['id']}"
    their_token = {"Authorization": f"Bearer {tokens.issue(demo_db, 'analyst.kw')}"}

    changed = client.patch(url, json={"roles": ["auditor", "analyst"]}, headers=admin)
    assert changed.status_code == 200
    assert changed.json()["roles"] == ["analyst", "auditor"]
    assert "audit.read" in client.get("/api/v1/me", headers=their_token).json()["actions"]

    disabled = client.patch(url, json={"active": False}, headers=admin)
    assert disabled.status_code == 200 and disabled.json()["active"] is False
    assert client.get("/api/v1/me", headers=their_token).status_code == 401
    assert not _login_ok(demo_db, "analyst.kw", DEMO_PASSWORD)

    _error(client.patch(url, json={"roles": ["emperor"]}, headers=admin), 422, "roles")
    _error(client.patch(url, json={"active": "maybe"}, headers=admin), 422, "active")
    _error(client.patch(url, json={"password": "x"}, headers=admin), 422, "password")
    missing = client.patch(f"/api/v1/users/{uuid.uuid4()}", json={}, headers=admin)
    assert missing.status_code == 404


def test_an_administrator_cannot_lock_themselves_out(
    client: TestClient, admin: dict[str, str]
) -> None:
    me = client.get("/api/v1/me", headers=admin).json()
    url = f"/api/v1/users/{me['id']}"
    _error(client.patch(url, json={"roles": ["analyst"]}, headers=admin), 422, "roles")
    assert client.patch(url, json={"active": False}, headers=admin).status_code == 422
    assert client.get("/api/v1/me", headers=admin).json()["roles"] == ["admin"]


def test_resetting_a_password(client: TestClient, demo_db: Database, admin: dict[str, str]) -> None:
    (user,) = client.get("/api/v1/users", params={"q": "caseworker.mr"}, headers=admin).json()
    response = client.post(f"/api/v1/users/{user['id']}/reset-password", headers=admin)
    assert response.status_code == 200
    password = response.json()["password"]
    assert _login_ok(demo_db, "caseworker.mr", password)
    assert not _login_ok(demo_db, "caseworker.mr", DEMO_PASSWORD)
    missing = client.post(f"/api/v1/users/{uuid.uuid4()}/reset-password", headers=admin)
    assert missing.status_code == 404


@pytest.mark.parametrize("username", ["coordinator.eg", "screener.eg", "auditor.eg", "liaison.eg"])
def test_only_administrators_read_or_manage_users(
    client: TestClient, demo_db: Database, username: str
) -> None:
    headers = tokens.bearer(demo_db, username)
    any_id = uuid.uuid4()
    assert client.get("/api/v1/users", headers=headers).status_code == 403
    assert client.get(f"/api/v1/users/{any_id}", headers=headers).status_code == 403
    assert client.post("/api/v1/users", json=_new_user(), headers=headers).status_code == 403
    assert client.patch(f"/api/v1/users/{any_id}", json={}, headers=headers).status_code == 403
    reset = client.post(f"/api/v1/users/{any_id}/reset-password", headers=headers)
    assert reset.status_code == 403
