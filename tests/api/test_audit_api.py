"""`/api/v1/audit`: filtered, paged reading of the trail within the reader's scope, and verification."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from jusoor.auth import service as auth
from jusoor.core.db import Database
from tests.conftest import DEMO_PASSWORD
from tests.support import tokens


@pytest.fixture
def admin(demo_db: Database) -> dict[str, str]:
    return tokens.bearer(demo_db, "admin")


def _sign_in(db: Database, username: str, password: str = DEMO_PASSWORD) -> None:
    with db.unit_of_work() as session:
        auth.login(session, username=username, password=password, client_addr=None, request_id=None)


def test_events_are_filtered(client: TestClient, demo_db: Database, admin: dict[str, str]) -> None:
    _sign_in(demo_db, "analyst.eg")
    _sign_in(demo_db, "analyst.eg", "wrong password")
    page = client.get(
        "/api/v1/audit/events", params={"action": "auth.", "outcome": "failure"}, headers=admin
    )
    assert page.status_code == 200
    events = page.json()["events"]
    assert events and all(e["action"] == "auth.login" for e in events)
    assert all(e["outcome"] == "failure" for e in events)
    assert events[0]["details"] == {"reason": "bad_password"}

    mine = client.get("/api/v1/audit/events", params={"actor": "analyst.eg"}, headers=admin).json()
    assert {e["actor_username"] for e in mine["events"]} == {"analyst.eg"}


def test_events_are_paged_backwards_by_sequence(client: TestClient, admin: dict[str, str]) -> None:
    first = client.get("/api/v1/audit/events", params={"limit": 5}, headers=admin).json()
    seqs = [e["seq"] for e in first["events"]]
    assert len(seqs) == 5 and seqs == sorted(seqs, reverse=True)
    assert first["next_before_seq"] == seqs[-1]
    second = client.get(
        "/api/v1/audit/events",
        params={"limit": 5, "before_seq": first["next_before_seq"]},
        headers=admin,
    ).json()
    assert all(e["seq"] < seqs[-1] for e in second["events"])
    assert len(second["events"]) == 5

    oldest = client.get("/api/v1/audit/events", params={"before_seq": 3}, headers=admin).json()
    assert [e["seq"] for e in oldest["events"]] == [2, 1]
    assert oldest["next_before_seq"] is None


def test_reading_the_trail_is_itself_audited(client: TestClient, admin: dict[str, str]) -> None:
    client.get("/api/v1/audit/events", params={"action": "user."}, headers=admin)
    latest = client.get("/api/v1/audit/events", params={"limit": 1}, headers=admin).json()
    (event,) = latest["events"]
    assert event["action"] == "audit.read" and event["actor_username"] == "admin"
    assert event["details"]["filters"] == {"action": "user."}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "2026-01-01T00:00:00"}, "since"),  # no time zone: ambiguous
        ({"until": "yesterday"}, "until"),
        ({"outcome": "maybe"}, "outcome"),
        ({"limit": 0}, "limit"),
        ({"limit": 100000}, "limit"),
        ({"before_seq": "x"}, "before_seq"),
        ({"actor": "a" * 65}, "actor"),
        ({"sort": "seq"}, "sort"),
    ],
)
def test_bad_filters_name_the_field(
    client: TestClient, admin: dict[str, str], params: dict[str, object], field: str
) -> None:
    response = client.get("/api/v1/audit/events", params=params, headers=admin)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field


def test_time_filters_take_aware_times(client: TestClient, admin: dict[str, str]) -> None:
    response = client.get(
        "/api/v1/audit/events",
        params={"since": "2000-01-01T00:00:00Z", "until": "2000-01-02T00:00:00+01:00"},
        headers=admin,
    )
    assert response.status_code == 200
    assert response.json()["events"] == []


def test_roles_without_audit_read_are_refused(client: TestClient, demo_db: Database) -> None:
    for username in ("coordinator.eg", "investigator.eg", "analyst.eg"):
        headers = tokens.bearer(demo_db, username)
        assert client.get("/api/v1/audit/events", headers=headers).status_code == 403
        assert client.get("/api/v1/audit/verify", headers=headers).status_code == 403


def test_verify_reports_an_intact_then_an_altered_chain(
    client: TestClient, demo_db: Database
) -> None:
    auditor = tokens.bearer(demo_db, "auditor.eg")
    intact = client.get("/api/v1/audit/verify", headers=auditor)
    assert intact.status_code == 200
    assert intact.json()["ok"] is True and intact.json()["first_bad_seq"] is None
    with demo_db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_events SET outcome = 'denied' WHERE seq = 3"))
    broken = client.get("/api/v1/audit/verify", headers=auditor).json()
    assert broken["ok"] is False
    assert broken["first_bad_seq"] == 3
    assert broken["events"] == 2


def test_an_event_altered_into_garbage_is_still_shown(
    client: TestClient, demo_db: Database, admin: dict[str, str]
) -> None:
    with demo_db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_events SET details = '{broken' WHERE seq = 2"))
    page = client.get("/api/v1/audit/events", params={"before_seq": 3}, headers=admin)
    assert page.status_code == 200
    shown = {e["seq"]: e["details"] for e in page.json()["events"]}
    assert shown[2] == {"unparsed": "{broken"}
    assert client.get("/api/v1/audit/verify", headers=admin).json()["first_bad_seq"] == 2
