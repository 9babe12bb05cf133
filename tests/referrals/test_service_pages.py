"""The service directory's new and edit forms, read once by one model (`service_pages.Posted`):
what is typed comes back stripped with every field's message, and the edit form keeps the
service's own agency whatever is posted (both engines)."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select

from jusoor.agencies.service import agency_by_code
from jusoor.core.db import Database
from jusoor.referrals.models import Service
from tests.conftest import DEMO_PASSWORD
from tests.support.web import login, post_form


def _shelter(db: Database) -> str:
    with db.unit_of_work() as session:
        shelter = agency_by_code(session, "ma-shelter")
        assert shelter is not None
        return str(shelter.id)


def _service(db: Database, name: str) -> Service:
    with db.unit_of_work() as session:
        found = session.scalars(select(Service).where(Service.name == name)).one()
        session.expunge(found)
        return found


def test_the_new_form_strips_what_is_typed_and_names_each_wrong_field(
    client: TestClient, demo_db: Database
) -> None:
    login(client, demo_db, "provider.ma", DEMO_PASSWORD)
    form = {"agency_id": f" {_shelter(demo_db)} ", "kind": "education", "name": "  Night school "}
    bad = post_form(client, "/services/new", {**form, "phone": "12", "capacity_total": "x"})
    assert bad.status_code == 422
    assert 'id="phone-error"' in bad.text and 'id="capacity_total-error"' in bad.text
    assert 'value="Night school"' in bad.text  # stripped, as typed
    made = post_form(client, "/services/new", {**form, "languages": " ar , fr ", "hours": " 9-17 "})
    assert made.status_code == 303
    service = _service(demo_db, "Night school")
    assert (service.languages, service.hours, service.active) == (["ar", "fr"], "9-17", True)


def test_the_edit_form_keeps_the_agency_and_reads_active(
    client: TestClient, demo_db: Database
) -> None:
    login(client, demo_db, "provider.ma", DEMO_PASSWORD)
    shelter = _shelter(demo_db)
    base = {"agency_id": shelter, "kind": "education", "name": "Night school", "languages": "ar"}
    made = post_form(client, "/services/new", base)
    assert made.status_code == 303
    edit = made.headers["location"].split("?")[0] + "/edit"
    other = str(uuid.uuid4())
    bad = post_form(client, edit, {**base, "agency_id": other, "email": "nope", "active": "1"})
    assert bad.status_code == 422 and 'id="email-error"' in bad.text
    assert " checked" in bad.text  # `active` as posted
    saved = post_form(client, edit, {**base, "agency_id": other, "name": " Evening school "})
    assert saved.status_code == 303
    service = _service(demo_db, "Evening school")
    assert (str(service.agency_id), service.active) == (shelter, False)


def test_languages_are_chosen_and_shown_by_name(client: TestClient, demo_db: Database) -> None:
    login(client, demo_db, "provider.ma", DEMO_PASSWORD)
    assert post_form(client, "/language", {"lang": "en"}, page="/").status_code == 303
    assert '<option value="wo">Wolof</option>' in client.get("/services/new").text
    form = {"agency_id": _shelter(demo_db), "kind": "education", "name": "Evening class"}
    made = post_form(client, "/services/new", {**form, "languages": ["ar", "wo"]})
    assert made.status_code == 303
    assert _service(demo_db, "Evening class").languages == ["ar", "wo"]
    page = client.get(made.headers["location"].split("?")[0]).text
    assert "Arabic, Wolof" in page
    listing = client.get("/services", params={"language": "wo"}).text
    assert '<option value="wo" selected>Wolof</option>' in listing and "Evening class" in listing
    refused = post_form(client, "/services/new", {**form, "name": "Other", "languages": []})
    assert refused.status_code == 422 and 'id="languages-error"' in refused.text
