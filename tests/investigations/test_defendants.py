"""Defendants on a file: a new person recorded as an entity (indexed, linked to the co-defendants)
or one chosen from the records; the same person twice, bad values and removal after a charge are
refused with the field named; pages, API and console apply the same rules."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select
from typer.testing import CliRunner

from jusoor.audit.models import AuditEvent
from jusoor.cli.main import app as cli
from jusoor.core.db import Database
from jusoor.core.errors import Invalid, NotFound
from jusoor.entities import service as entities
from jusoor.entities.models import Entity, EntityKey, Link
from jusoor.entities.schemas import EntityCreate
from jusoor.investigations import defendants, people_pages, service
from jusoor.investigations.defendants import DefendantCreate
from jusoor.investigations.models import Charge, Defendant, FileEvent
from jusoor.investigations.vocabulary import ChargeStatus, DefendantRole, Sex
from tests.conftest import DEMO_PASSWORD
from tests.investigations.support import actor, in_english, open_file
from tests.support.tokens import bearer
from tests.support.web import login, post_form, translated

TODAY = dt.date.today()


def new_person(name: str, **extra: object) -> DefendantCreate:
    return DefendantCreate.model_validate(
        {"name": name, "role": "recruiter", "sex": "male", "age": 41, "citizenship": "ma",
         "formal_contact_on": TODAY - dt.timedelta(days=2), **extra}
    )  # fmt: skip


def test_a_new_person_is_an_indexed_entity_linked_to_the_other_defendants(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)
        first = defendants.add_defendant(
            s, actor=police, file_id=file.id,
            defendant_in=new_person("Karim Benali", phone="0612345678", document_number="AB123456"),
        )  # fmt: skip
        second = defendants.add_defendant(
            s, actor=police, file_id=file.id,
            defendant_in=new_person("Youssef Amrani", role="transporter", sex="male", age=17),
        )  # fmt: skip
        person = s.get(Entity, first.entity_id)
        assert person is not None and person.schema == "Person"
        assert person.source_ref == file.reference and person.source_kind.value == "report"
        assert person.properties["nationality"] == ["MA"]
        # Indexed: the blind index holds its keys, and a search by name finds it.
        assert s.scalars(select(EntityKey).where(EntityKey.entity_id == person.id)).first()
        found = entities.list_entities(s, actor=police, schema_name="Person", text="Benali Karim")
        assert person.id in {e.id for e in found}
        # Its phone and document are records of their own, linked to the person.
        links = s.scalars(select(Link).where(Link.source_entity_id == person.id)).all()
        assert {lk.type for lk in links} >= {"uses_phone", "holds_document"}
        # The co-defendants are associates, once, in the file's name.
        pair = s.scalars(
            select(Link).where(Link.type == "associate", Link.source_ref == file.reference)
        ).all()
        assert len(pair) == 1
        assert {pair[0].source_entity_id, pair[0].target_entity_id} == {
            first.entity_id,
            second.entity_id,
        }
        # The timeline says what happened, in codes: never the name.
        added = s.scalars(
            select(FileEvent).where(
                FileEvent.file_id == file.id, FileEvent.kind == "defendant_added"
            )
        ).all()
        assert [e.details["role"] for e in added] == ["recruiter", "transporter"]
        assert "Karim" not in json.dumps([e.details for e in added])


def test_a_person_from_the_records_is_chosen_once_and_only_from_ones_reach(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)
        known = entities.create_entity(
            s, actor=police,
            entity_in=EntityCreate.model_validate(
                {"schema": "Person", "properties": {"name": ["Hamid Ouazzani"]}}
            ),
        )  # fmt: skip
        s.flush()
        chosen = DefendantCreate(entity_id=known.id, role=DefendantRole.exploiter)
        added = defendants.add_defendant(s, actor=police, file_id=file.id, defendant_in=chosen)
        assert added.entity_id == known.id and added.sex is Sex.unknown
        with pytest.raises(Invalid) as twice:
            defendants.add_defendant(s, actor=police, file_id=file.id, defendant_in=chosen)
        assert twice.value.field == "entity_id"
        assert twice.value.message == translated(
            "This person is already a defendant in this file.", "en"
        )
        abroad = entities.create_entity(
            s, actor=actor(s, "investigator.eg"),
            entity_in=EntityCreate.model_validate({"schema": "Person", "properties": {"name": ["X Y"]}}),
        )  # fmt: skip
        s.flush()
        with pytest.raises(Invalid) as other:
            defendants.add_defendant(
                s, actor=police, file_id=file.id,
                defendant_in=DefendantCreate(entity_id=abroad.id, role=DefendantRole.financier),
            )  # fmt: skip
        assert other.value.field == "entity_id"
        assert len(service.get_file(s, actor=police, file_id=file.id).defendants) == 1


def test_bad_values_are_refused_naming_the_field(demo_db: Database) -> None:
    for bad, field in (({"age": 121}, "age"), ({"citizenship": "XX"}, "citizenship"),
                       ({"formal_contact_on": TODAY + dt.timedelta(days=1)}, "formal_contact_on"),
                       ({"role": "boss"}, "role")):  # fmt: skip
        with pytest.raises(ValidationError) as error:
            new_person("A B", **bad)
        assert error.value.errors()[0]["loc"] == (field,)
    with demo_db.unit_of_work() as s:
        file = open_file(s)
        before = file.reported_on - dt.timedelta(days=1)
        with pytest.raises(Invalid) as early:
            defendants.add_defendant(
                s, actor=actor(s, "investigator.ma"), file_id=file.id,
                defendant_in=new_person("Early Bird", formal_contact_on=before),
            )  # fmt: skip
        assert early.value.field == "formal_contact_on"
        with pytest.raises(Invalid) as nobody:
            defendants.add_defendant(
                s, actor=actor(s, "investigator.ma"), file_id=file.id,
                defendant_in=DefendantCreate(role=DefendantRole.recruiter),
            )  # fmt: skip
        assert nobody.value.field == "name"
        # The prosecution chooses from the records; recording new persons is the police's.
        with pytest.raises(Invalid) as prosecutor:
            defendants.add_defendant(
                s, actor=actor(s, "prosecutor.ma"), file_id=file.id, defendant_in=new_person("P Q")
            )
        assert prosecutor.value.field == "name"
        # A value the entities store cannot read is refused on the defendant form's own field.
        for bad, field in (
            ({"phone": "not a phone"}, "phone"),
            ({"birth_date": "31/31/1990"}, "birth_date"),
        ):
            with pytest.raises(Invalid) as unreadable:
                defendants.add_defendant(
                    s, actor=actor(s, "investigator.ma"), file_id=file.id, defendant_in=new_person("R S", **bad)
                )  # fmt: skip
            assert unreadable.value.field == field
        assert not s.scalars(select(Defendant).where(Defendant.file_id == file.id)).all()


def test_a_defendant_is_removed_only_while_not_charged(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)
        kept = defendants.add_defendant(
            s, actor=police, file_id=file.id, defendant_in=new_person("Kept One")
        )
        gone = defendants.add_defendant(
            s, actor=police, file_id=file.id, defendant_in=new_person("Gone Two")
        )
        s.add(Charge(file_id=file.id, defendant_id=kept.id, offence="eg", offence_type="trafficking",
                     status=ChargeStatus.charged, charged_on=TODAY, charged_by=police.user_id))  # fmt: skip
        s.flush()
        with pytest.raises(Invalid) as charged:
            defendants.remove_defendant(s, actor=police, file_id=file.id, defendant_id=kept.id)
        assert charged.value.field == "defendant_id"
        gone_id, gone_entity = gone.id, gone.entity_id
        defendants.remove_defendant(s, actor=police, file_id=file.id, defendant_id=gone_id)
        assert s.get(Defendant, gone_id) is None
        assert s.get(Entity, gone_entity) is not None  # the record stays in the intelligence
        with pytest.raises(Invalid):
            defendants.remove_defendant(s, actor=police, file_id=file.id, defendant_id=uuid.uuid4())
        kinds = [e.kind for e in service.events(s, file)]
        assert kinds.count("defendant_removed") == 1
        # Another country's police cannot even reach the file.
        with pytest.raises(NotFound):
            defendants.remove_defendant(
                s, actor=actor(s, "investigator.eg"), file_id=file.id, defendant_id=kept.id
            )


def test_the_file_page_finds_a_person_adds_them_and_draws_the_network(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as s:
        file = open_file(s)
        police = actor(s, "investigator.ma")
        known = entities.create_entity(
            s, actor=police,
            entity_in=EntityCreate.model_validate(
                {"schema": "Person", "properties": {"name": ["سعيد الإدريسي"]}}
            ),
        )  # fmt: skip
        url, known_id = f"/investigations/{file.id}", str(known.id)
    in_english(demo_db, "investigator.ma")
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    found = client.get(f"{url}/defendants/find", params={"q": "الإدريسي"})
    assert found.status_code == 200
    assert f'value="{known_id}"' in found.text
    refused = post_form(client, f"{url}/defendants", {"entity_id": known_id, "role": ""}, page=url)
    assert refused.status_code == 422
    added = post_form(
        client, f"{url}/defendants",
        {"entity_id": known_id, "role": "harbourer", "sex": "male", "age": "35",
         "citizenship": "MA"},
        page=url,
    )  # fmt: skip
    assert added.status_code == 303, added.text
    recorded = post_form(
        client, f"{url}/defendants",
        {"name": "Rachid Tazi", "phone": "0611223344", "role": "recruiter", "sex": "male"},
        page=url,
    )  # fmt: skip
    assert recorded.status_code == 303, recorded.text
    page = client.get(url)
    assert "سعيد الإدريسي" in page.text and "Rachid Tazi" in page.text
    assert "Harbourer" in page.text and "Recruiter" in page.text
    assert "Defendant added</strong> — Harbourer" in page.text  # the timeline: role, not name
    assert "network-title" in page.text and "/network?entity=" in page.text
    twice = post_form(
        client, f"{url}/defendants", {"entity_id": known_id, "role": "harbourer"}, page=url
    )
    assert twice.status_code == 422
    assert translated("This person is already a defendant in this file.", "en") in twice.text


def test_api_and_console_add_list_and_remove_defendants(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as s:
        file = open_file(s)
        file_id, reference = str(file.id), file.reference
    police = bearer(demo_db, "investigator.ma")
    base = f"/api/v1/investigations/{file_id}/defendants"
    made = client.post(base, json={"name": "Nabil Chraibi", "role": "recruiter", "age": 30},
                       headers=police)  # fmt: skip
    assert made.status_code == 201, made.text
    assert made.json()["name"] == "Nabil Chraibi" and made.json()["charged"] is False
    bad = client.post(base, json={"name": "Old", "role": "recruiter", "age": 130}, headers=police)
    assert bad.status_code == 422
    assert len(client.get(base, headers=police).json()) == 1
    assert client.get(base, headers=bearer(demo_db, "investigator.eg")).status_code == 404
    assert client.get(base, headers=bearer(demo_db, "caseworker.ma")).status_code == 403
    runner = CliRunner()
    added = runner.invoke(
        cli,
        ["investigations", "add-defendant", reference, "--as", "investigator.ma", "--name",
         "Omar Fassi", "--role", "exploiter", "--citizenship", "SN", "--json"],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    listed = runner.invoke(
        cli, ["investigations", "defendants", reference, "--as", "prosecutor.ma", "--json"]
    )
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert {r["name"] for r in rows} == {"Nabil Chraibi", "Omar Fassi"}
    assert {r["citizenship"] for r in rows} == {None, "SN"}
    gone = client.delete(f"{base}/{made.json()['id']}", headers=police)
    assert gone.status_code == 204
    assert len(client.get(base, headers=police).json()) == 1


def test_the_network_panel_draws_the_defendants_and_their_links_within_scope(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)
        assert people_pages.network_panel(s, actor=police, file=file) == {"visible": False}
        first = defendants.add_defendant(
            s, actor=police, file_id=file.id,
            defendant_in=new_person("Karim Benali", phone="0612345678"),
        )  # fmt: skip
        defendants.add_defendant(
            s, actor=police, file_id=file.id, defendant_in=new_person("Youssef Amrani")
        )
        # A record of another country's police, linked to nothing here, never appears.
        entities.create_entity(
            s, actor=actor(s, "investigator.eg"),
            entity_in=EntityCreate.model_validate({"schema": "Person", "properties": {"name": ["Karim Benali"]}}),
        )  # fmt: skip
        s.flush()
        for reader in ("investigator.ma", "prosecutor.ma"):
            panel = people_pages.network_panel(s, actor=actor(s, reader), file=file)
            assert panel["visible"] and len(panel["defendants"]) == 2
            assert {n.schema for n in panel["nodes"]} == {"Person", "Phone"}
            assert {e.type for e in panel["edges"]} == {"associate", "uses_phone"}
            assert panel["focus"] == str(first.entity_id)
        drawn = s.scalars(select(AuditEvent).where(AuditEvent.action == "graph.read")).all()
        assert len(drawn) >= 2  # each drawing is audited by the graph service
