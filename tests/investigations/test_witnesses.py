"""Victims in a criminal file by case reference only: the link refused alike for a case that does
not exist and one out of reach; what the file's readers see of the person depends on the consent
to cooperate with criminal proceedings and never includes health; the case's holder sees the file
by reference and stage; protection measures are recorded from both sides and land on both."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from jusoor.agencies.models import Agency
from jusoor.audit.models import AuditEvent
from jusoor.cases.consent import active_consent, give_consent, withdraw_consent
from jusoor.cases.models import Case, CaseEvent
from jusoor.cases.schemas import ConsentCreate
from jusoor.cases.vocabulary import ConsentPurpose
from jusoor.cli.main import app as cli
from jusoor.core.db import Database
from jusoor.core.errors import Invalid, NotFound
from jusoor.core.permissions import Actor
from jusoor.investigations import witnesses
from jusoor.investigations.models import FileEvent, InvestigationFile, WitnessProtection
from jusoor.investigations.vocabulary import ProtectionMeasure
from jusoor.investigations.witnesses import ProtectionCreate, VictimLinkCreate
from tests.cases.support import open_case
from tests.conftest import DEMO_PASSWORD
from tests.investigations.support import actor, in_english, open_file
from tests.support.tokens import bearer
from tests.support.web import login, post_form, translated

SECRET_HEALTH = "HEALTH-SECRET-7731: treated for injuries"
TODAY = dt.date.today()


def held_case(s: Session, worker: str = "caseworker.ma") -> Case:
    """A case opened by `worker`'s agency, with a name and a health note that must never leak."""
    case = open_case(
        s, worker, name="Blessing Okafor", age=None, age_band="9-17",
        forms_of_exploitation=["sexual_exploitation"],
    )  # fmt: skip
    case.health_notes = SECRET_HEALTH
    s.flush()
    return case


def consent(s: Session, case: Case) -> None:
    give_consent(
        s,
        actor=actor(s, "caseworker.ma"),
        case_id=case.id,
        consent_in=ConsentCreate(purpose=ConsentPurpose.criminal_proceedings, language="ar"),
    )


def test_a_case_out_of_reach_is_refused_like_one_that_does_not_exist(demo_db: Database) -> None:
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)
        here = held_case(s)
        abroad = held_case(s, "caseworker.eg")
        link = witnesses.link_victim(
            s, actor=police, file_id=file.id, link_in=VictimLinkCreate(case_reference=here.reference.lower())
        )  # fmt: skip
        assert link.case_reference == here.reference
        messages = set()
        for reference in ("MA-1999-000001", abroad.reference, here.reference):
            with pytest.raises(Invalid) as refused:
                witnesses.link_victim(
                    s, actor=police, file_id=file.id, link_in=VictimLinkCreate(case_reference=reference)
                )  # fmt: skip
            assert refused.value.field == "case_reference"
            messages.add(refused.value.message)
        assert messages == {
            translated("No case with this reference can be linked to this file.", "en")
        }
        # The link is on both timelines: the file's (by case reference), the case's (by file).
        assert [e.details for e in s.scalars(select(FileEvent).where(
            FileEvent.file_id == file.id, FileEvent.kind == "victim_linked"))] == [
            {"case": here.reference}
        ]  # fmt: skip
        case_events = s.scalars(select(CaseEvent).where(CaseEvent.case_id == here.id)).all()
        assert {"file": file.reference} in [e.details for e in case_events]


def test_the_investigator_sees_the_profile_only_with_consent_and_never_health(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)
        case = held_case(s)
        witnesses.link_victim(
            s, actor=police, file_id=file.id, link_in=VictimLinkCreate(case_reference=case.reference)
        )  # fmt: skip
        [before] = witnesses.victims_of(s, actor=police, file=file)
        assert not before.consent and before.gender is None and before.citizenship == ()
        assert before.case_stage == case.stage
        consent(s, case)
        [after] = witnesses.victims_of(s, actor=police, file=file)
        assert after.consent and after.gender == "feminine" and after.age_band == "9-17"
        assert after.is_child and after.citizenship == ("NG",)
        assert after.forms_of_exploitation == ("sexual_exploitation",)
        assert SECRET_HEALTH not in repr(after) and "Okafor" not in repr(after)
        reads = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "case.read", AuditEvent.object_id == str(case.id))
        ).all()  # fmt: skip
        assert len(reads) >= 2  # every sight of the case is audited as a read of it
        assert "age_band" in json.dumps(reads[-1].details)
        # Withdrawn, the consent no longer shows anything, from that moment.
        given = active_consent(s, case, ConsentPurpose.criminal_proceedings)
        assert given is not None
        withdraw_consent(s, actor=actor(s, "caseworker.ma"), case_id=case.id, consent_id=given.id)
        [withdrawn] = witnesses.victims_of(s, actor=police, file=file)
        assert not withdrawn.consent and withdrawn.gender is None and withdrawn.age_band is None


def test_health_and_names_never_reach_page_api_or_console(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as s:
        file = open_file(s)
        case = held_case(s)
        name = "Blessing Okafor"
        consent(s, case)
        url, file_id, reference = f"/investigations/{file.id}", str(file.id), file.reference
        case_reference = case.reference
    in_english(demo_db, "investigator.ma")
    login(client, demo_db, "investigator.ma", DEMO_PASSWORD)
    linked = post_form(client, f"{url}/victims", {"case_reference": case_reference}, page=url)
    assert linked.status_code == 303, linked.text
    page = client.get(url)
    assert case_reference in page.text
    assert "Nigeria" in page.text  # citizenship shown, with the consent
    api = client.get(
        f"/api/v1/investigations/{file_id}/victims", headers=bearer(demo_db, "prosecutor.ma")
    )
    assert api.status_code == 200 and api.json()[0]["gender"] == "feminine"
    console = CliRunner().invoke(
        cli, ["investigations", "victims", reference, "--as", "investigator.ma", "--json"]
    )
    assert console.exit_code == 0, console.output
    for shown in (page.text, api.text, console.output):
        assert SECRET_HEALTH not in shown
        assert name not in shown
    unknown = post_form(client, f"{url}/victims", {"case_reference": "EG-2020-999999"}, page=url)
    assert unknown.status_code == 422
    assert (
        translated("No case with this reference can be linked to this file.", "en") in unknown.text
    )


def test_the_case_holder_sees_the_witness_panel_and_another_agency_does_not(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as s:
        file = open_file(s, title="Operation Cedar — TOP SECRET title")
        case = held_case(s)
        link = witnesses.link_victim(
            s, actor=actor(s, "investigator.ma"), file_id=file.id,
            link_in=VictimLinkCreate(case_reference=case.reference),
        )  # fmt: skip
        shelter = s.scalars(select(Agency).where(Agency.code == "ma-shelter")).one()
        other_worker = Actor(
            uuid.uuid4(), "cw.shelter", shelter.id, "MA", frozenset({"case_worker"})
        )
        with pytest.raises(NotFound):
            witnesses.witness_files(s, actor=other_worker, case=case)
        with pytest.raises(NotFound):
            witnesses.add_protection_from_case(
                s, actor=other_worker, case_id=case.id, link_id=link.id,
                measure_in=ProtectionCreate(measure=ProtectionMeasure.anonymity, ordered_on=TODAY),
            )  # fmt: skip
        # The screener of the same country holds no case and no witness right.
        assert witnesses.witness_files(s, actor=actor(s, "screener.ma"), case=case) == []
        case_url, file_reference, link_id = f"/cases/{case.id}", file.reference, str(link.id)
    in_english(demo_db, "caseworker.ma")
    login(client, demo_db, "caseworker.ma", DEMO_PASSWORD)
    page = client.get(case_url)
    assert page.status_code == 200
    assert "witness-title" in page.text and file_reference in page.text
    assert "TOP SECRET" not in page.text  # the file's reference and stage, not its contents
    bad = post_form(
        client, f"{case_url}/witness/{link_id}/protection",
        {"measure": "video_link", "ordered_on": TODAY.isoformat(),
         "ends_on": (TODAY - dt.timedelta(days=3)).isoformat()},
        page=case_url,
    )  # fmt: skip
    assert bad.status_code == 422
    assert translated("The end date is before the date the measure was ordered.", "en") in bad.text
    done = post_form(
        client, f"{case_url}/witness/{link_id}/protection",
        {"measure": "video_link", "ordered_on": TODAY.isoformat(), "note": "Court in Rabat"},
        page=case_url,
    )  # fmt: skip
    assert done.status_code == 303, done.text
    assert "Testimony by video link" in client.get(case_url).text


def test_protection_measures_from_both_sides_land_on_both_timelines(demo_db: Database) -> None:
    with pytest.raises(ValidationError):
        ProtectionCreate(
            measure=ProtectionMeasure.anonymity, ordered_on=TODAY + dt.timedelta(days=1)
        )
    with demo_db.unit_of_work() as s:
        police = actor(s, "investigator.ma")
        file = open_file(s)
        case = held_case(s)
        link = witnesses.link_victim(
            s, actor=police, file_id=file.id, link_in=VictimLinkCreate(case_reference=case.reference)
        )  # fmt: skip
        witnesses.add_protection(
            s, actor=police, file_id=file.id, link_id=link.id,
            measure_in=ProtectionCreate(measure=ProtectionMeasure.anonymity, ordered_on=TODAY,
                                        ends_on=TODAY + dt.timedelta(days=90)),
        )  # fmt: skip
        witnesses.add_protection_from_case(
            s, actor=actor(s, "caseworker.ma"), case_id=case.id, link_id=link.id,
            measure_in=ProtectionCreate(measure=ProtectionMeasure.shelter_while_testifying,
                                        ordered_on=TODAY, note="Dar Al-Aman"),
        )  # fmt: skip
        # The police cannot record from a file they do not hold; nor the case worker on the file.
        with pytest.raises(NotFound):
            witnesses.add_protection(
                s, actor=actor(s, "investigator.eg"), file_id=file.id, link_id=link.id,
                measure_in=ProtectionCreate(measure=ProtectionMeasure.anonymity, ordered_on=TODAY),
            )  # fmt: skip
        measures = s.scalars(
            select(WitnessProtection).where(WitnessProtection.victim_link_id == link.id)
        ).all()
        assert {m.measure for m in measures} == {
            ProtectionMeasure.anonymity,
            ProtectionMeasure.shelter_while_testifying,
        }
        file_side = [e.details["side"] for e in s.scalars(
            select(FileEvent).where(FileEvent.file_id == file.id, FileEvent.kind == "protection"))]  # fmt: skip
        assert sorted(file_side) == ["case", "file"]
        case_side = s.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "witness_protection")
        ).all()  # fmt: skip
        assert len(case_side) == 2
        [shown] = witnesses.witness_files(s, actor=actor(s, "caseworker.ma"), case=case)
        assert shown.file_reference == file.reference and len(shown.measures) == 2
        [seen] = witnesses.victims_of(s, actor=police, file=file)
        assert len(seen.measures) == 2


def test_api_links_victims_and_records_measures_from_both_sides(
    client: TestClient, demo_db: Database
) -> None:
    with demo_db.unit_of_work() as s:
        file = open_file(s)
        case = held_case(s)
        file_id, case_id, case_reference = str(file.id), str(case.id), case.reference
    police = bearer(demo_db, "investigator.ma")
    base = f"/api/v1/investigations/{file_id}/victims"
    unknown = client.post(base, json={"case_reference": "MA-1999-000001"}, headers=police)
    assert unknown.status_code == 422
    linked = client.post(base, json={"case_reference": case_reference}, headers=police)
    assert linked.status_code == 201, linked.text
    assert linked.json()["consent"] is False and linked.json()["gender"] is None
    link_id = linked.json()["id"]
    measure = {"measure": "anonymity", "ordered_on": TODAY.isoformat()}
    made = client.post(f"{base}/{link_id}/protection", json=measure, headers=police)
    assert made.status_code == 201, made.text
    case_side = f"/api/v1/cases/{case_id}/witness/{link_id}/protection"
    held = client.post(case_side, json=measure, headers=bearer(demo_db, "caseworker.ma"))
    assert held.status_code == 201, held.text
    assert (
        client.post(case_side, json=measure, headers=bearer(demo_db, "caseworker.eg")).status_code
        == 404
    )
    assert client.post(case_side, json=measure, headers=police).status_code == 403
    assert client.get(base, headers=bearer(demo_db, "caseworker.ma")).status_code == 403
    shown = client.get(base, headers=police).json()
    assert len(shown[0]["measures"]) == 2
    runner = CliRunner()
    with demo_db.unit_of_work() as s:
        reference = s.get(InvestigationFile, uuid.UUID(file_id)).reference  # type: ignore[union-attr]
        other = open_case(s).reference
    again = runner.invoke(
        cli, ["investigations", "link-victim", reference, case_reference, "--as", "investigator.ma"]
    )
    assert again.exit_code != 0
    assert (
        translated("No case with this reference can be linked to this file.", "en") in again.output
    )
    made_cli = runner.invoke(
        cli, ["investigations", "link-victim", reference, other, "--as", "prosecutor.ma", "--json"]
    )
    assert made_cli.exit_code == 0, made_cli.output
    assert json.loads(made_cli.output)["case_reference"] == other
