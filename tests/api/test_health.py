"""`/healthz` and `/readyz`: public probes that say whether the node can serve, and nothing more."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from jusoor.app import create_app
from jusoor.core.db import Database

UNREACHABLE = "postgresql+psycopg://x@127.0.0.1:1/x"


def test_healthz_and_readyz_answer_ok(client: TestClient) -> None:
    client.cookies.clear()
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "database": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "ok", "schema": "current"}
    assert health.headers["cache-control"] == "no-store"


@pytest.fixture
def down() -> Iterator[TestClient]:
    database = Database(UNREACHABLE)
    with TestClient(create_app(database), base_url="http://127.0.0.1:8000") as client:
        yield client
    database.dispose()


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_say_503_when_the_database_is_down(down: TestClient, path: str) -> None:
    response = down.get(path)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["database"] == "unreachable"
    assert body["error"]["code"] == "unavailable"
    assert "127.0.0.1" not in response.text and "psycopg" not in response.text
    assert "Traceback" not in response.text


def test_readyz_says_503_when_the_schema_is_behind(database: Database) -> None:
    with database.engine.begin() as connection:
        # One branch behind: its head is missing from the version table.
        newest = connection.execute(text("SELECT max(version_num) FROM alembic_version")).scalar()
        connection.execute(
            text("DELETE FROM alembic_version WHERE version_num = :v"), {"v": newest}
        )
    with TestClient(create_app(database), base_url="http://127.0.0.1:8000") as client:
        assert client.get("/healthz").status_code == 200
        ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["schema"] == "outdated" and ready.json()["database"] == "ok"


def test_readyz_says_503_on_a_database_never_migrated(tmp_path: object) -> None:
    database = Database("sqlite://")
    try:
        with TestClient(create_app(database), base_url="http://127.0.0.1:8000") as client:
            ready = client.get("/readyz")
    finally:
        database.dispose()
    assert ready.status_code == 503 and ready.json()["schema"] == "outdated"
