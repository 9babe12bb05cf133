"""The service directory: who reads which services, who keeps them, what bad input gets."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from typer.testing import CliRunner

from jusoor.agencies.service import agency_by_code
from jusoor.audit.models import AuditEvent
from jusoor.cli.main import app
from jusoor.core.db import Database
from jusoor.core.errors import Forbidden, Invalid, NotFound
from jusoor.referrals import directory
from jusoor.referrals.models import Service, ServiceKind
from jusoor.referrals.schemas import ServiceCreate, ServiceUpdate
from tests.referrals.support import actor, service_of


def _new(agency_id: Any, **changes: Any) -> dict[str, Any]:
    return {
        "agency_id": agency_id,
        "kind": "legal_aid",
        "name": "Legal clinic",
        "country": "MA",
        "areas": ["Rabat-Salé-Kénitra", " "],
        "languages": ["fr", "ar", "ar"],
        "phone": "0537 12 34 56",
        "email": "Clinic@Example.org",
        **changes,
    }


def test_demo_agencies_offer_services(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        admin = actor(session, "admin")
        rows = directory.list_services(session, actor=admin)
        by_agency = {(s.agency.code, s.kind) for s in rows}
        for country in ("eg", "ma", "tn", "ly", "mr", "kw", "jo"):
            assert (f"{country}-shelter", ServiceKind.shelter) in by_agency
            assert (f"{country}-health", ServiceKind.medical) in by_agency
            assert (f"{country}-ngo", ServiceKind.legal_aid) in by_agency
        assert all(s.phone and s.phone.startswith("+") for s in rows)


def test_case_workers_read_their_country_providers_their_agency(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        countries = {
            s.country
            for s in directory.list_services(session, actor=actor(session, "caseworker.ma"))
        }
        assert countries == {"MA"}
        own = {
            s.agency.code
            for s in directory.list_services(session, actor=actor(session, "provider.ma"))
        }
        assert own == {"ma-shelter"}
        with pytest.raises(Forbidden):
            directory.list_services(session, actor=actor(session, "investigator.ma"))
        tunisian = service_of(session, "tn-shelter", ServiceKind.shelter)
        with pytest.raises(NotFound):
            directory.get_service(
                session, actor=actor(session, "caseworker.ma"), service_id=tunisian.id
            )


def test_filters_by_kind_language_and_free_places(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        worker = actor(session, "caseworker.ma")
        flt = directory.ServiceFilter(kind=ServiceKind.shelter)
        assert {s.kind for s in directory.list_services(session, actor=worker, flt=flt)} == {
            ServiceKind.shelter
        }
        french = directory.list_services(
            session, actor=worker, flt=directory.ServiceFilter(language="fr")
        )
        assert french and all("fr" in s.languages for s in french)
        free = directory.list_services(
            session, actor=worker, flt=directory.ServiceFilter(with_free_capacity=True)
        )
        assert all((s.capacity_free or 0) > 0 for s in free)


def test_provider_keeps_its_agencys_services_only(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        provider = actor(session, "provider.ma")
        shelter = agency_by_code(session, "ma-shelter")
        ngo = agency_by_code(session, "ma-ngo")
        assert shelter is not None and ngo is not None
        created = directory.create_service(
            session, actor=provider, service_in=ServiceCreate(**_new(shelter.id))
        )
        assert created.phone == "+212537123456"
        assert created.languages == ["ar", "fr"]
        assert created.areas == ["Rabat-Salé-Kénitra"]
        assert created.email == "clinic@example.org"
        with pytest.raises(Invalid) as refused:
            directory.create_service(
                session, actor=provider, service_in=ServiceCreate(**_new(ngo.id))
            )
        assert refused.value.field == "agency_id"
        with pytest.raises(Forbidden):
            directory.create_service(
                session,
                actor=actor(session, "caseworker.ma"),
                service_in=ServiceCreate(**_new(ngo.id)),
            )
        updated = directory.set_free_capacity(
            session, actor=provider, service_id=created.id, free=0
        )
        assert updated.capacity_free == 0 and updated.capacity_updated_at is not None
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_id == str(created.id))
        ).all()
        assert actions == ["service.create", "service.capacity"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "12"}, "phone"),
        ({"email": "not an address"}, "email"),
        ({"capacity_total": 3, "capacity_free": 5}, "capacity_free"),
        ({"languages": ["Arabic!"]}, "languages"),
        ({"kind": "massage"}, "kind"),
        ({"country": "XX"}, "country"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_names_the_field(changes: dict[str, Any], field: str) -> None:
    import uuid

    with pytest.raises(ValidationError) as refused:
        ServiceCreate(**_new(uuid.uuid4(), **changes))
    assert refused.value.errors()[0]["loc"][0] == field


def test_update_keeps_the_country_and_refuses_more_free_than_total(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        provider = actor(session, "provider.ma")
        shelter = service_of(session, "ma-shelter", ServiceKind.shelter)
        values = _new(None, kind="shelter", capacity_total=10, capacity_free=2)
        values.pop("agency_id")
        saved = directory.update_service(
            session, actor=provider, service_id=shelter.id, service_in=ServiceUpdate(**values)
        )
        assert saved.capacity_total == 10
        with pytest.raises(Invalid) as refused:
            directory.set_free_capacity(session, actor=provider, service_id=shelter.id, free=11)
        assert refused.value.field == "capacity_free"
        with pytest.raises(Invalid):
            directory.update_service(
                session, actor=provider, service_id=shelter.id,
                service_in=ServiceUpdate(**{**values, "country": "TN", "phone": "+212537123456"}),
            )  # fmt: skip


def test_cli_lists_services_as_json(demo_sqlite: Database) -> None:
    result = CliRunner().invoke(
        app, ["services", "list", "--country", "MA", "--kind", "shelter", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["agency"] for r in rows] == ["ma-shelter"]
    assert rows[0]["capacity_total"] >= rows[0]["capacity_free"] >= 0
    bad = CliRunner().invoke(app, ["services", "list", "--kind", "massage"])
    assert bad.exit_code == 1
    with demo_sqlite.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(Service))
