"""The audit page and the administrator's home name what was done to the trail, not just "broken"."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from jusoor.core.config import get_settings
from jusoor.core.db import Database
from tests.conftest import DEMO_PASSWORD
from tests.support.web import login


@pytest.fixture
def admin(client: TestClient, demo_db: Database) -> TestClient:
    login(client, demo_db, "admin", DEMO_PASSWORD)
    return client


def _sql(db: Database, statement: str) -> None:
    with db.engine.begin() as connection:
        connection.execute(text(statement))


def test_home_and_audit_page_name_a_rewritten_event(admin: TestClient, demo_db: Database) -> None:
    assert "Intact" in admin.get("/").text
    _sql(demo_db, "UPDATE audit_events SET outcome = 'denied' WHERE seq = 3")
    assert "Rewritten at event 3" in admin.get("/").text
    page = admin.get("/audit").text
    assert "The audit trail was rewritten at event 3" in page and "Intact" not in page


def test_home_and_audit_page_name_a_cut_tail(admin: TestClient, demo_db: Database) -> None:
    _sql(demo_db, "DELETE FROM audit_events WHERE seq > 10")
    _sql(
        demo_db,
        "UPDATE audit_head SET last_seq = 10, "
        "last_hash = (SELECT hash FROM audit_events WHERE seq = 10)",
    )
    assert "Truncated after event 10" in admin.get("/").text
    # Reading the trail is audited first (event 11), then the chain is verified.
    assert "The audit trail was truncated after event 11" in admin.get("/audit").text


def test_home_and_audit_page_say_when_the_anchor_file_is_missing(admin: TestClient) -> None:
    get_settings().effective_audit_anchor.unlink()
    assert "Not anchored" in admin.get("/").text
    page = admin.get("/audit").text
    assert "The audit trail is not anchored" in page and "Intact" not in page
