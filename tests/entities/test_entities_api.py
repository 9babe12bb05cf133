"""`/api/v1/entities`: create, link, read with links, search, candidates; scope and errors."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from jusoor.core.db import Database
from tests.support.tokens import bearer

API = "/api/v1/entities"


def test_an_investigator_records_links_and_finds_entities(
    client: TestClient, demo_db: Database
) -> None:
    mr = bearer(demo_db, "investigator.mr")
    person = client.post(
        API,
        json={"schema": "Person", "properties": {"name": ["محمد الأمين ولد أكيك"]}},
        headers=mr,
    )
    assert person.status_code == 201, person.text
    phone = client.post(
        API, json={"schema": "Phone", "properties": {"number": ["22 45 67 89"]}}, headers=mr
    )
    assert phone.json()["caption"] == "+22222456789"
    link = client.post(
        f"{API}/{person.json()['id']}/links",
        json={"type": "uses_phone", "target_entity_id": phone.json()["id"]},
        headers=mr,
    )
    assert link.status_code == 201, link.text
    detail = client.get(f"{API}/{person.json()['id']}", headers=mr).json()
    assert [lk["type"] for lk in detail["links"]] == ["uses_phone"]
    assert [n["schema"] for n in detail["neighbours"]] == ["Phone"]
    found = client.get(API, params={"q": "+222 22 45 67 89"}, headers=mr).json()
    assert [e["schema"] for e in found] == ["Phone"]
    same = client.post(
        f"{API}/candidates",
        json={"schema": "Person", "properties": {"name": ["OULD AKIK Mohamed Lamine"]}},
        headers=mr,
    ).json()
    assert [e["id"] for e in same] == [person.json()["id"]]


def test_other_agencies_get_404_and_analysts_403(client: TestClient, demo_db: Database) -> None:
    eg = bearer(demo_db, "investigator.eg")
    created = client.post(
        API, json={"schema": "Person", "properties": {"name": ["Ahmed Samir"]}}, headers=eg
    ).json()
    ma = bearer(demo_db, "investigator.ma")
    assert client.get(f"{API}/{created['id']}", headers=ma).status_code == 404
    linked = client.post(
        f"{API}/{created['id']}/links",
        json={"type": "associate", "target_entity_id": created["id"]},
        headers=ma,
    )
    assert linked.status_code == 404
    assert client.get(API, headers=ma).json() == []
    analyst = client.get(API, headers=bearer(demo_db, "analyst.eg"))
    assert analyst.status_code == 403


def test_bad_values_are_422_naming_the_field(client: TestClient, demo_db: Database) -> None:
    ma = bearer(demo_db, "investigator.ma")
    bad_date = client.post(
        API,
        json={"schema": "Person", "properties": {"name": ["Ali"], "birthDate": ["next week"]}},
        headers=ma,
    )
    assert bad_date.status_code == 422
    assert bad_date.json()["error"]["field"] == "birthDate"
    no_case = client.post(
        API,
        json={"schema": "Person", "properties": {"name": ["Ali"]}, "case_id": str(uuid.uuid4())},
        headers=ma,
    )
    assert no_case.status_code == 422
    assert no_case.json()["error"]["field"] == "case_id"
    bad_schema = client.post(API, json={"schema": "Spaceship", "properties": {}}, headers=ma)
    assert bad_schema.status_code == 422
    assert bad_schema.json()["error"]["field"] == "schema"
    person = client.post(
        API, json={"schema": "Person", "properties": {"name": ["Ali"]}}, headers=ma
    ).json()
    wrong = client.post(
        f"{API}/{person['id']}/links",
        json={"type": "holds_account", "target_entity_id": person["id"]},
        headers=ma,
    )
    assert wrong.status_code == 422
    assert wrong.json()["error"]["field"] == "type"
