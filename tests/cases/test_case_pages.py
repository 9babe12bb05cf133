"""Case pages and the case API over HTTP: need-to-know answers 404, reads are audited, bad input
names the field, forms carry CSRF tokens, RTL in Arabic."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jusoor.audit.models import AuditEvent
from jusoor.cases.models import Case, CaseTask
from jusoor.core.db import Database
from tests.conftest import DEMO_PASSWORD
from tests.support.tokens import bearer
from tests.support.web import csrf_from, login, post_form


def _open(client: TestClient, db: Database, **body: object) -> dict[str, object]:
    response = client.post(
        "/api/v1/cases",
        json={"gender": "feminine", "age": 22, "citizenship": ["NG"], **body},
        headers=bearer(db, "caseworker.ma"),
    )
    assert response.status_code == 201, response.text
    data = response.json()
    assert isinstance(data, dict)
    return data


def _reads(db: Database, case_id: object) -> int:
    with db.unit_of_work() as session:
        stmt = select(AuditEvent).where(
            AuditEvent.action == "case.read", AuditEvent.object_id == str(case_id)
        )
        return len(session.scalars(stmt).all())


def test_the_api_opens_reads_and_audits_a_case(client: TestClient, demo_db: Database) -> None:
    case = _open(client, demo_db, name="Joy E.")
    assert str(case["reference"]).startswith("MA-") and case["fields"] == ["*"]
    before = _reads(demo_db, case["id"])
    got = client.get(f"/api/v1/cases/{case['id']}", headers=bearer(demo_db, "caseworker.ma"))
    assert got.status_code == 200 and got.json()["name"] == "Joy E."
    assert _reads(demo_db, case["id"]) == before + 1
    listed = client.get("/api/v1/cases", headers=bearer(demo_db, "caseworker.ma")).json()
    assert [c["reference"] for c in listed["cases"]] == [case["reference"]]


@pytest.mark.parametrize("username", ["caseworker.tn", "screener.ma", "coordinator.ma", "admin"])
def test_others_get_404_on_the_api_and_the_page(
    client: TestClient, demo_db: Database, username: str
) -> None:
    case = _open(client, demo_db)
    response = client.get(f"/api/v1/cases/{case['id']}", headers=bearer(demo_db, username))
    assert response.status_code == 404
    assert login(client, demo_db, username, DEMO_PASSWORD).status_code == 303
    assert client.get(f"/cases/{case['id']}").status_code == 404


def test_an_impossible_move_is_refused_naming_the_field(
    client: TestClient, demo_db: Database
) -> None:
    case = _open(client, demo_db)
    headers = bearer(demo_db, "caseworker.ma")
    url = f"/api/v1/cases/{case['id']}/transitions"
    refused = client.post(url, json={"stage": "proceedings", "reason": "x"}, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "stage"
    unknown = client.post(url, json={"stage": "limbo", "reason": "x"}, headers=headers)
    assert unknown.status_code == 422 and "limbo" in unknown.json()["error"]["message"]
    moved = client.post(url, json={"stage": "reasonable_grounds", "reason": "x"}, headers=headers)
    assert moved.status_code == 201


def test_bad_profile_input_names_the_field_and_saves_nothing(
    client: TestClient, demo_db: Database
) -> None:
    headers = bearer(demo_db, "caseworker.ma")
    for body, field in (
        ({"age": 12, "is_child": False}, "age"),
        ({"countries_of_origin": ["ZZ"]}, "countries_of_origin"),
    ):
        response = client.post("/api/v1/cases", json=body, headers=headers)
        assert response.status_code == 422
        assert response.json()["error"]["field"] == field
    with demo_db.unit_of_work() as session:
        assert session.scalars(select(Case)).first() is None


def test_the_case_worker_works_a_case_through_the_pages(
    client: TestClient, demo_db: Database
) -> None:
    assert login(client, demo_db, "caseworker.ma", DEMO_PASSWORD).status_code == 303
    assert post_form(client, "/language", {"lang": "en"}, page="/").status_code == 303
    form = client.get("/cases/new")
    assert form.status_code == 200 and 'name="csrf_token"' in form.text
    created = post_form(
        client,
        "/cases/new",
        {
            "gender": "masculine",
            "age": "15",
            "citizenship": "SD",
            "means_of_control": "debt_bondage",
        },
    )
    assert created.status_code == 303, created.text
    url = created.headers["location"].split("?")[0]
    page = client.get(url)
    assert page.status_code == 200
    assert "Child protection" in page.text
    # Only the allowed next stages are offered.
    assert 'value="reasonable_grounds"' in page.text and 'value="proceedings"' not in page.text
    assert post_form(client, f"{url}/notes", {"body": "First meeting"}, page=url).status_code == 303
    moved = post_form(client, f"{url}/move", {"stage": "reasonable_grounds", "reason": "r"}, url)
    assert moved.status_code == 303
    refused = post_form(client, f"{url}/move", {"stage": "closed", "reason": ""}, page=url)
    assert refused.status_code == 422 and "reason" in refused.text.lower()
    page = client.get(url).text
    assert "First meeting" in page and "Stage changed" in page
    listing = client.get("/cases?stage=reasonable_grounds")
    assert listing.status_code == 200 and url.rsplit("/", 1)[1] in listing.text


def test_the_case_pages_are_right_to_left_in_arabic(client: TestClient, demo_db: Database) -> None:
    case = _open(client, demo_db)
    assert login(client, demo_db, "caseworker.ma", DEMO_PASSWORD).status_code == 303
    home = client.get("/")
    client.post("/language", data={"lang": "ar", "csrf_token": csrf_from(home.text)})
    page = client.get(f"/cases/{case['id']}")
    assert page.status_code == 200 and 'dir="rtl"' in page.text
    assert "style=" not in page.text and "<script>" not in page.text


def test_a_screener_opens_a_case_from_the_page_without_reading_it(
    client: TestClient, demo_db: Database
) -> None:
    assert login(client, demo_db, "screener.ma", DEMO_PASSWORD).status_code == 303
    form = client.get("/cases/new")
    assert form.status_code == 200 and "caseworker.ma" in form.text
    created = post_form(client, "/cases/new", {"owner_username": "caseworker.ma", "age": "30"})
    assert created.status_code == 303
    assert created.headers["location"].startswith("/cases/opened/MA-")
    assert client.get("/cases").status_code in (200, 403)


def test_the_profile_form_edits_clears_and_refuses_contradictions(
    client: TestClient, demo_db: Database
) -> None:
    case = _open(client, demo_db, contact="+212611111111", age=30)
    url = f"/cases/{case['id']}"
    assert login(client, demo_db, "caseworker.ma", DEMO_PASSWORD).status_code == 303
    before = _reads(demo_db, case["id"])
    form = client.get(f"{url}/profile")
    assert form.status_code == 200 and "+212611111111" in form.text
    assert _reads(demo_db, case["id"]) == before + 1  # opening the form reads the file
    refused = post_form(
        client, f"{url}/profile", {"gender": "feminine", "age": "12", "is_child": "no"}, f"{url}"
    )
    assert refused.status_code == 422
    saved = post_form(
        client, f"{url}/profile", {"gender": "feminine", "age": "31", "contact": ""}, f"{url}"
    )
    assert saved.status_code == 303
    view = client.get(f"/api/v1/cases/{case['id']}", headers=bearer(demo_db, "caseworker.ma"))
    assert view.json()["age"] == 31 and view.json()["contact"] is None
    other = bearer(demo_db, "caseworker.tn")
    assert client.get(f"/api/v1/cases/{case['id']}", headers=other).status_code == 404


def test_a_refused_read_is_audited_though_the_request_is_rolled_back(
    client: TestClient, demo_db: Database
) -> None:
    case = _open(client, demo_db)
    path = f"/api/v1/cases/{case['id']}"
    assert client.get(path, headers=bearer(demo_db, "caseworker.tn")).status_code == 404
    with demo_db.unit_of_work() as session:
        refused = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "access.refused", AuditEvent.actor_username == "caseworker.tn"
            )
        ).all()
    assert [e.outcome for e in refused] == ["refused"]
    assert path in (refused[0].details or "")


def test_a_refused_case_form_writes_nothing_and_reads_the_case_once_to_show_the_error(
    client: TestClient, demo_db: Database
) -> None:
    case = _open(client, demo_db, age=30)
    url = f"/cases/{case['id']}"
    assert login(client, demo_db, "caseworker.ma", DEMO_PASSWORD).status_code == 303
    assert post_form(client, "/language", {"lang": "en"}, page="/").status_code == 303
    token = csrf_from(client.get(url).text)
    before = _reads(demo_db, case["id"])
    task = {"title": "Call the shelter", "due_on": "not a date", "csrf_token": token}
    refused = client.post(f"{url}/tasks", data=task)
    assert refused.status_code == 422 and "Call the shelter" in refused.text  # typed, kept
    moved = client.post(f"{url}/move", data={"stage": "closed", "csrf_token": token})
    assert moved.status_code == 422 and "reason" in moved.text.lower()
    assert _reads(demo_db, case["id"]) == before + 2  # each error shown on the case page
    with demo_db.unit_of_work() as session:
        assert session.scalars(select(CaseTask)).first() is None
        assert session.scalars(select(Case.stage)).one() == "identification"


def test_who_may_not_open_cases_is_refused_the_form_even_with_bad_input(
    client: TestClient, demo_db: Database
) -> None:
    assert login(client, demo_db, "analyst.ma", DEMO_PASSWORD).status_code == 303
    assert client.get("/cases/new").status_code == 403
    assert post_form(client, "/cases/new", {"age": "-3"}, page="/").status_code == 403
    assert post_form(client, "/cases/new", {"age": "30"}, page="/").status_code == 403
