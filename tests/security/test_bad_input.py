"""Bad input and a failing database get a clear JSON error naming the problem, never a stack trace,
and never a half-done change."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency
from jusoor.app import create_app
from jusoor.core.config import get_settings
from jusoor.core.db import Database
from tests.support import tokens

UNREACHABLE = "postgresql+psycopg://x@127.0.0.1:1/x"
AGENCY = {
    "code": "eg-input-test",
    "country": "EG",
    "kind": "shelter",
    "name_ar": "دار الإيواء",
    "name_en": "Test shelter",
    "name_fr": "Refuge de test",
}


@pytest.fixture
def admin(demo_db: Database) -> dict[str, str]:
    return tokens.bearer(demo_db, "admin")


def _no_internals(text: str) -> None:
    for leak in ("Traceback", 'File "', "sqlalchemy", "psycopg", "sqlite3", "127.0.0.1:1"):
        assert leak not in text, leak


def _error(response: Any) -> dict[str, Any]:
    assert response.headers["content-type"].startswith("application/json")
    _no_internals(response.text)
    error: dict[str, Any] = response.json()["error"]
    return error


def _agencies(db: Database) -> int:
    with db.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(Agency)) or 0)


@pytest.mark.parametrize(
    "body", [b"{not json", b'{"code": "x",}', b"\xff\xfe", b'{"code": "eg-x"'], ids=repr
)
def test_malformed_json_is_a_400(client: TestClient, admin: dict[str, str], body: bytes) -> None:
    response = client.post(
        "/api/v1/agencies",
        content=body,
        headers={**admin, "content-type": "application/json"},
    )
    assert response.status_code == 400
    assert _error(response) == {
        "code": "invalid_json",
        "message": "The request body is not valid JSON.",
        "field": "body",
    }


def test_a_body_that_is_not_an_object_names_the_body(
    client: TestClient, admin: dict[str, str]
) -> None:
    response = client.post("/api/v1/agencies", json=["a", "list"], headers=admin)
    assert response.status_code == 422
    assert _error(response)["code"] == "invalid"


def test_an_oversized_body_is_a_413_in_json(
    client: TestClient, demo_db: Database, admin: dict[str, str]
) -> None:
    limit = get_settings().max_body_bytes
    padded = {**AGENCY, "name_en": "x" * (limit + 10)}
    response = client.post("/api/v1/agencies", json=padded, headers=admin)
    assert response.status_code == 413
    assert _error(response)["code"] == "too_large"


def test_an_oversized_body_without_a_length_is_cut_off(
    client: TestClient, admin: dict[str, str]
) -> None:
    limit = get_settings().max_body_bytes

    def chunks() -> Iterator[bytes]:
        yield b'{"code": "'
        for _ in range(limit // 65536 + 2):
            yield b"x" * 65536
        yield b'"}'

    response = client.post(
        "/api/v1/agencies",
        content=chunks(),
        headers={**admin, "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert _error(response)["code"] == "too_large"


def test_a_declared_length_over_the_limit_is_refused_before_reading(
    client: TestClient, admin: dict[str, str]
) -> None:
    limit = get_settings().max_body_bytes
    response = client.post(
        "/api/v1/agencies",
        content=b"{}",
        headers={**admin, "content-type": "application/json", "content-length": str(limit + 1)},
    )
    assert response.status_code == 413
    assert _error(response)["code"] == "too_large"


def test_an_unknown_locale_in_a_body_names_the_field(
    client: TestClient, admin: dict[str, str]
) -> None:
    user = {
        "username": "new.user",
        "display_name": "New User",
        "agency_code": "eg-nccpim",
        "roles": ["analyst"],
        "locale": "xx-Klingon",
    }
    response = client.post("/api/v1/users", json=user, headers=admin)
    assert response.status_code == 422
    error = _error(response)
    assert error["field"] == "locale" and error["code"] == "invalid"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": {"nested": True}}, "kind"),
        ({"name_ar": 12.5}, "name_ar"),
        ({"country": None}, "country"),
        ({"code": True}, "code"),
    ],
)
def test_wrong_types_name_the_field(
    client: TestClient, admin: dict[str, str], change: dict[str, Any], field: str
) -> None:
    response = client.post("/api/v1/agencies", json={**AGENCY, **change}, headers=admin)
    assert response.status_code == 422
    assert _error(response)["field"] == field


def test_a_missing_field_is_named(client: TestClient, admin: dict[str, str]) -> None:
    body = {k: v for k, v in AGENCY.items() if k != "kind"}
    response = client.post("/api/v1/agencies", json=body, headers=admin)
    assert response.status_code == 422
    error = _error(response)
    assert error["field"] == "kind" and "kind" in error["message"]


# The database goes away ----------------------------------------------------------------------


@pytest.fixture
def unreachable() -> Iterator[TestClient]:
    database = Database(UNREACHABLE)
    with TestClient(create_app(database), base_url="http://127.0.0.1:8000") as client:
        yield client
    database.dispose()


def test_with_the_database_down_a_token_call_is_a_503_not_a_401(unreachable: TestClient) -> None:
    response = unreachable.get("/api/v1/me", headers={"Authorization": "Bearer jsr_anything"})
    assert response.status_code == 503
    assert _error(response)["code"] == "unavailable"


def test_with_the_database_down_healthz_is_a_503(unreachable: TestClient) -> None:
    response = unreachable.get("/healthz")
    assert response.status_code == 503
    _no_internals(response.text)


def test_with_the_database_down_anonymous_calls_are_still_401(unreachable: TestClient) -> None:
    assert unreachable.get("/api/v1/agencies").status_code == 401


def test_the_database_going_down_mid_request_is_a_503(
    client: TestClient, demo_db: Database, admin: dict[str, str]
) -> None:
    # The caller is identified, then the route's own unit of work finds the database gone.
    app = client.app
    dead = Database(UNREACHABLE)
    app.state.database = dead  # type: ignore[attr-defined]
    try:
        response = client.get("/api/v1/agencies", headers=admin)
    finally:
        app.state.database = demo_db  # type: ignore[attr-defined]
        dead.dispose()
    assert response.status_code == 503
    assert _error(response)["code"] == "unavailable"


def test_a_failed_commit_is_reported_and_nothing_is_saved(
    client: TestClient, demo_db: Database, admin: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The request is the unit of work: its commit happens before the answer, not after."""
    before = _agencies(demo_db)
    original = Session.commit

    def failing_commit(self: Session) -> None:
        # Only the route's own transaction, the one that added the agency, fails.
        if self.scalar(select(Agency.id).where(Agency.code == AGENCY["code"])) is not None:
            raise OperationalError("COMMIT", {}, Exception("connection lost"))
        original(self)

    monkeypatch.setattr(Session, "commit", failing_commit)
    response = client.post("/api/v1/agencies", json=AGENCY, headers=admin)
    monkeypatch.undo()
    assert response.status_code == 503, "a success was answered although nothing was saved"
    assert _error(response)["code"] == "unavailable"
    assert _agencies(demo_db) == before


@pytest.mark.parametrize(
    ("user", "path", "params"),
    [
        ("admin", "/api/v1/users", {"q": "a\x00b"}),
        ("admin", "/api/v1/audit/events", {"actor": "\x00"}),
    ],
)
def test_a_nul_character_is_a_422_on_both_engines(
    client: TestClient, demo_db: Database, user: str, path: str, params: dict[str, str]
) -> None:
    """PostgreSQL cannot store or compare U+0000 in text; it is bad input, never a 500."""
    response = client.get(path, params=params, headers=tokens.bearer(demo_db, user))
    if demo_db.engine.dialect.name == "sqlite":  # stores and compares it like any character
        assert response.status_code == 200
        return
    assert response.status_code == 422
    assert _error(response) == {
        "code": "invalid",
        "message": "Text cannot contain the NUL character (U+0000).",
        "field": None,
    }
