"""Referral and directory pages and API, as people and programs use them (both engines)."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jusoor.agencies.service import agency_by_code
from jusoor.core.db import Database
from jusoor.referrals.models import Transition
from tests.conftest import DEMO_PASSWORD
from tests.referrals.support import (
    SECRET_CONTACT,
    SECRET_HEALTH,
    SECRET_NAME,
    open_case,
    refer,
    second_provider,
)
from tests.support.tokens import bearer
from tests.support.web import login, post_form

SECRETS = (SECRET_NAME, SECRET_CONTACT, SECRET_HEALTH)
TODAY = dt.datetime.now(dt.UTC).date().isoformat()


def _referred(db: Database) -> tuple[uuid.UUID, uuid.UUID]:
    with db.unit_of_work() as session:
        second_provider(session)
        case_id = open_case(session)
        return case_id, refer(session, case_id, fields=("age_band", "languages")).id


def test_provider_page_and_json_show_only_the_shared_fields(
    client: TestClient, demo_db: Database
) -> None:
    case_id, referral_id = _referred(demo_db)
    assert login(client, demo_db, "provider.ma", DEMO_PASSWORD).status_code == 303
    inbox = client.get("/referrals")
    assert inbox.status_code == 200 and str(referral_id) in inbox.text
    page = client.get(f"/referrals/{referral_id}")
    assert page.status_code == 200
    assert "24-26" in page.text
    case_page = client.get(f"/cases/{case_id}")
    assert case_page.status_code == 200
    headers = bearer(demo_db, "provider.ma")
    body = client.get(f"/api/v1/referrals/{referral_id}", headers=headers).json()
    assert set(body["case"]) == {"reference", "stage", "age_band", "languages"}
    case_json = client.get(f"/api/v1/cases/{case_id}", headers=headers)
    assert case_json.status_code == 200
    for text in (page.text, case_page.text, str(body), case_json.text):
        for secret in SECRETS:
            assert secret not in text


def test_other_agencys_provider_gets_404_everywhere(client: TestClient, demo_db: Database) -> None:
    case_id, referral_id = _referred(demo_db)
    login(client, demo_db, "provider2.ma", DEMO_PASSWORD)
    for url in (f"/referrals/{referral_id}", f"/cases/{case_id}"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert all(secret not in response.text for secret in SECRETS)
    headers = bearer(demo_db, "provider2.ma")
    for url in (f"/api/v1/referrals/{referral_id}", f"/api/v1/cases/{case_id}"):
        assert client.get(url, headers=headers).status_code == 404, url
    assert client.get("/api/v1/referrals", headers=headers).json() == []


def test_provider_accepts_and_records_a_service_through_the_pages(
    client: TestClient, demo_db: Database
) -> None:
    _, referral_id = _referred(demo_db)
    login(client, demo_db, "provider.ma", DEMO_PASSWORD)
    url = f"/referrals/{referral_id}"
    declined = post_form(client, f"{url}/move", {"action": "decline", "reason": ""}, page=url)
    assert declined.status_code == 422
    accepted = post_form(client, f"{url}/move", {"action": "accept"}, page=url)
    assert accepted.status_code == 303
    bad = post_form(client, f"{url}/deliveries", {"what": "Bed", "delivered_on": "x"}, page=url)
    assert bad.status_code == 422 and 'id="delivered_on-error"' in bad.text
    form = {"what": "Emergency bed", "delivered_on": TODAY, "delivered_by": "Night staff"}
    assert post_form(client, f"{url}/deliveries", form, page=url).status_code == 303
    shown = client.get(url)
    assert "Emergency bed" in shown.text
    done = post_form(client, f"{url}/move", {"action": "complete"}, page=url)
    assert done.status_code == 303


def test_case_worker_refers_through_the_form_and_bad_kind_names_the_field(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as session:
        case_id = open_case(session)
        shelter = agency_by_code(session, "ma-shelter")
        assert shelter is not None
        shelter_id = str(shelter.id)
    login(client, demo_db, "caseworker.ma", DEMO_PASSWORD)
    url = f"/cases/{case_id}/referrals/new"
    form = client.get(url)
    assert form.status_code == 200 and 'name="shared_fields"' in form.text
    wrong = {"kind": "legal_aid", "agency_id": shelter_id, "shared_fields": "age_band"}
    refused = post_form(client, url, wrong)
    assert refused.status_code == 422
    assert 'id="kind-error"' in refused.text
    with demo_db.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Transition)) == 0
    right = {"kind": "shelter", "agency_id": shelter_id, "shared_fields": "age_band"}
    sent = post_form(client, url, right)
    assert sent.status_code == 303 and sent.headers["location"].startswith("/referrals/")
    assert client.get("/referrals/overdue").status_code == 200


def test_referral_api_creates_moves_and_refuses_wrong_kind(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as session:
        case_id = open_case(session)
        shelter = agency_by_code(session, "ma-shelter")
        assert shelter is not None
        shelter_id = str(shelter.id)
    worker = bearer(demo_db, "caseworker.ma")
    body = {"case_id": str(case_id), "agency_id": shelter_id, "shared_fields": ["age_band"]}
    wrong = client.post("/api/v1/referrals", json={**body, "kind": "medical"}, headers=worker)
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "kind"
    made = client.post("/api/v1/referrals", json={**body, "kind": "shelter"}, headers=worker)
    assert made.status_code == 201, made.text
    referral_id = made.json()["id"]
    provider = bearer(demo_db, "provider.ma")
    moved = client.post(
        f"/api/v1/referrals/{referral_id}/transition", json={"action": "start"}, headers=provider
    )
    assert moved.status_code == 409
    moved = client.post(
        f"/api/v1/referrals/{referral_id}/transition", json={"action": "accept"}, headers=provider
    )
    assert moved.json()["status"] == "accepted"
    delivery = {"what": "Bed", "delivered_on": TODAY, "delivered_by": "Staff"}
    recorded = client.post(
        f"/api/v1/referrals/{referral_id}/deliveries", json=delivery, headers=provider
    )
    assert recorded.status_code == 201, recorded.text


def test_directory_pages_and_api(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "provider.ma", DEMO_PASSWORD)
    page = client.get("/services?kind=shelter&free=1")
    assert page.status_code == 200
    assert client.get("/services/new").status_code == 200
    with demo_db.unit_of_work() as session:
        shelter = agency_by_code(session, "ma-shelter")
        assert shelter is not None
        shelter_id = str(shelter.id)
    form = {"agency_id": shelter_id, "kind": "education", "name": "Literacy classes"}
    bad = post_form(client, "/services/new", {**form, "languages": "ar", "phone": "12"})
    assert bad.status_code == 422 and 'id="phone-error"' in bad.text
    made = post_form(client, "/services/new", {**form, "languages": "ar, fr"})
    assert made.status_code == 303
    service_url = made.headers["location"].split("?")[0]
    capacity = post_form(client, f"{service_url}/capacity", {"capacity_free": "x"}, service_url)
    assert capacity.status_code == 422
    rows = client.get("/api/v1/services?kind=education", headers=bearer(demo_db, "caseworker.ma"))
    assert [r["name"] for r in rows.json()] == ["Literacy classes"]
