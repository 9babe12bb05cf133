"""A right-to-left override in a name cannot reorder what people read (ASVS 4.0.3 V5.1.4, V5.3.1):
removed on input through the API and the schemas, and an old stored one is shown as U+FFFD in an
isolated `<bdi>`."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from jusoor.cases.models import Case
from jusoor.core.db import Database
from tests.cases.support import open_case
from tests.conftest import DEMO_PASSWORD
from tests.support.tokens import bearer
from tests.support.web import login

RLO, PDF = "\u202e", "\u202c"


def test_a_case_name_and_aliases_lose_their_controls(client: TestClient, demo_db: Database) -> None:
    headers = bearer(demo_db, "caseworker.ma")
    body = {
        "gender": "feminine",
        "age": 22,
        "citizenship": ["NG"],
        "name": f"{RLO}nassaH ilA{PDF}",
        "aliases": "\u200fJoy\u200b E.",
    }
    created = client.post("/api/v1/cases", json=body, headers=headers)
    assert created.status_code == 201, created.text
    case = client.get(f"/api/v1/cases/{created.json()['id']}", headers=headers).json()
    assert (case["name"], case["aliases"]) == ("nassaH ilA", "Joy E.")


def test_a_name_of_only_controls_is_empty_and_refused(
    client: TestClient, demo_db: Database
) -> None:
    body = {
        "code": "eg-bidi",
        "country": "EG",
        "kind": "shelter",
        "name_ar": "دار",
        "name_en": f"{RLO}{PDF}x",
        "name_fr": "Refuge",
    }
    response = client.post("/api/v1/agencies", json=body, headers=bearer(demo_db, "admin"))
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "name_en"


def test_an_entity_caption_and_a_display_name_lose_their_controls(
    client: TestClient, demo_db: Database
) -> None:
    entity = client.post(
        "/api/v1/entities",
        json={"schema": "Person", "properties": {"name": [f"{RLO}Omar Idrissi"]}},
        headers=bearer(demo_db, "investigator.ma"),
    )
    assert entity.status_code == 201, entity.text
    assert entity.json()["properties"]["name"] == ["Omar Idrissi"]
    admin = bearer(demo_db, "admin")
    user = client.post(
        "/api/v1/users",
        json={
            "username": f"u{uuid.uuid4().hex[:8]}",
            "display_name": f"Amal{RLO} B.",
            "agency_code": "ma-police",
            "roles": ["screener"],
        },
        headers=admin,
    )
    assert user.status_code == 201, user.text
    assert user.json()["user"]["display_name"] == "Amal B."


def test_a_stored_override_is_shown_replaced_and_isolated(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as session:
        case = open_case(session)
        stored = session.get(Case, case.id)
        assert stored is not None
        stored.name = f"{RLO}nassaH ilA"  # as written before names were cleaned
        case_id = case.id
    login(client, demo_db, "caseworker.ma", DEMO_PASSWORD)
    page = client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert RLO not in page.text
    assert "<bdi>\ufffdnassaH ilA</bdi>" in page.text
