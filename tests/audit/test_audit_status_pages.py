"""The audit page and the administrator's home name what was done to the trail, not just "broken"."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from jusoor.audit import appender
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


def _newest_link(db: Database) -> int:
    with db.engine.connect() as connection:
        return int(connection.execute(text("SELECT max(link) FROM audit_events")).scalar_one())


def test_home_and_audit_page_name_an_event_rewritten_since_the_checkpoint(
    admin: TestClient, demo_db: Database
) -> None:
    home = admin.get("/").text
    assert "Intact" in home and "events since the checkpoint of" in home
    newest = _newest_link(demo_db)  # the sign-in, recorded after the checkpoint
    _sql(demo_db, f"UPDATE audit_events SET outcome = 'denied' WHERE link = {newest}")
    assert f"Rewritten at event {newest}" in admin.get("/").text
    page = admin.get("/audit").text
    assert f"The audit trail was rewritten at event {newest}" in page and "Intact" not in page


def test_pages_check_only_what_is_new_and_say_when_the_whole_chain_was_checked(
    admin: TestClient, demo_db: Database
) -> None:
    """An old event (before the last checkpoint) is the whole check's job, not every page view's:
    the pages name that check, and warn when it found a problem."""
    page = admin.get("/audit").text
    assert "The whole chain has not been verified yet" in page
    assert admin.get("/api/v1/audit/verify").json()["ok"] is True
    assert "The whole chain was last verified at" in admin.get("/audit").text
    _sql(demo_db, "UPDATE audit_events SET outcome = 'denied' WHERE link = 3")
    assert "Intact" in admin.get("/").text  # anchored: not re-read by a page view
    report = admin.get("/api/v1/audit/verify").json()
    assert (report["status"], report["first_bad_seq"]) == ("rewritten", 3)
    home = admin.get("/").text
    assert "The last check of the whole chain" in home and "found a problem" in home


def test_home_and_audit_page_name_a_cut_tail(admin: TestClient, demo_db: Database) -> None:
    _sql(demo_db, "DELETE FROM audit_events WHERE seq > 10")
    _sql(
        demo_db,
        "UPDATE audit_head SET last_seq = 10, "
        "last_hash = (SELECT hash FROM audit_events WHERE seq = 10)",
    )
    assert "Truncated after event 10" in admin.get("/").text
    # Reading the trail is audited (event 11): on PostgreSQL before the chain is verified, on
    # SQLite at the page's commit (core.reading.write_late), so after it.
    last = 10 if demo_db.url.startswith("sqlite") else 11
    assert f"The audit trail was truncated after event {last}" in admin.get("/audit").text


def test_home_and_audit_page_say_when_the_anchor_file_is_missing(admin: TestClient) -> None:
    get_settings().effective_audit_anchor.unlink()
    assert "Not anchored" in admin.get("/").text
    page = admin.get("/audit").text
    assert "The audit trail is not anchored" in page and "Intact" not in page


@pytest.mark.parametrize(
    "query",
    [
        "before_seq=abc",
        "before_seq=-1",
        "before_seq=99999999999999999999999",
        "outcome=maybe",
        "since=2026-13-45",
        "until=99999-01-01",
        "actor=" + "x" * 300,
    ],
)
def test_an_impossible_filter_or_page_gets_a_message_not_a_500(
    admin: TestClient, query: str
) -> None:
    response = admin.get(f"/audit?{query}")
    assert response.status_code == 422
    assert "data-error-summary" in response.text  # every problem listed at the top


def test_events_read_as_sentences_with_names_and_details_in_words(admin: TestClient) -> None:
    admin.get("/audit?action=auth.")
    page = admin.get("/audit").text
    # The earlier view of the page, recorded with its filters, as a person says it.
    assert "(Administrator, " in page and "read the audit trail" in page
    assert "<summary>Details as recorded</summary>" in page
    assert "Filters:" in page and "Rows:" in page


def test_pending_events_are_listed_and_counted_while_the_appender_has_not_run(
    admin: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(appender.MODE_ENV, appender.BACKGROUND)  # as under `jusoor serve`
    admin.get("/audit")  # its audit.read is recorded pending
    events = admin.get("/api/v1/audit/events?limit=5").json()["events"]
    assert events[0]["link"] is None and events[0]["prev_hash"] is None
    assert "events are waiting to be chained" in admin.get("/audit").text
    report = admin.get("/api/v1/audit/verify").json()
    assert report["ok"] and report["pending"] >= 2
