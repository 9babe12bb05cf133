"""The HTCDS columns worked out from a case's records, on both engines: the identification
decision on its timeline, its outgoing referrals (a declined one is not a referral made) and the
consents in force; and the import's checks of the standard's picklists and of Jusoor's finer
codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from jusoor.cases.consent import give_consent, withdraw_consent
from jusoor.cases.htcds import columns as htcds_columns
from jusoor.cases.htcds import export as htcds
from jusoor.cases.htcds import standard
from jusoor.cases.htcds.imports import RowsInvalid, import_cases
from jusoor.cases.models import Case, Consent
from jusoor.cases.schemas import ConsentCreate
from jusoor.cases.timeline import record_event
from jusoor.cases.vocabulary import (
    FORMS_OF_EXPLOITATION,
    MEANS_OF_CONTROL,
    RECRUITER_RELATIONS,
    ConsentPurpose,
)
from jusoor.core.db import Database
from jusoor.referrals.models import ServiceKind
from jusoor.referrals.service import move
from jusoor.screening.case_events import EVENTS
from jusoor.screening.models import TraffickingStatus
from tests.cases.support import actor, open_case
from tests.referrals import support as referral_support


def _row(db: Database, reference: str) -> dict[str, object]:
    with db.unit_of_work() as session:
        export = htcds.export_cases(session, actor=actor(session, "caseworker.ma"), fmt="json")
    (row,) = [r for r in export.rows if r["jus_CaseReference"] == reference]
    return row


def test_decision_referrals_and_consents_come_from_the_case_records(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        case_id = referral_support.open_case(session)  # with consent to refer to ma-shelter
        case = session.get(Case, case_id)
        assert case is not None
        reference = case.reference
    row = _row(demo_db, reference)
    assert row["vic_TraffickingStatus"] == "PossibleVictimOfTrafficking"  # no decision yet
    assert row["con_Consent"] is True and row["jus_ConsentPurposes"] == ["referral"]
    assert row["cas_ReferredOrganisation"] == [] and row["cas_ReasonForOutgoingReferral"] is None
    assert row["jus_CaseSource"] == "direct" and row["jus_ClosedMonth"] is None
    assert row["jus_OpenedMonth"] == case.opened_at.strftime("%Y-%m")

    with demo_db.unit_of_work() as session:
        worker = actor(session, "caseworker.ma")
        case = session.get(Case, case_id)
        assert case is not None
        status = TraffickingStatus.actual
        record_event(
            session, actor=worker, case=case, kind=EVENTS[status], details={"status": status.value}
        )
        referral = referral_support.refer(session, case_id)
        give_consent(
            session,
            actor=worker,
            case_id=case_id,
            consent_in=ConsentCreate(
                purpose=ConsentPurpose.referral, agency_code="ma-health", language="ar"
            ),
        )
        health = referral_support.refer(
            session, case_id, agency_code="ma-health", kind=ServiceKind.medical
        )
        provider = actor(session, referral_support.second_provider(session))
        move(session, actor=provider, referral_id=health.id, action="decline", reason="No room")
        for consent in session.scalars(select(Consent).where(Consent.case_id == case_id)):
            withdraw_consent(session, actor=worker, case_id=case_id, consent_id=consent.id)
        agency = referral.to_agency.code
    row = _row(demo_db, reference)
    assert row["vic_TraffickingStatus"] == "ActualVictimOfTrafficking"
    assert agency in row["cas_ReferredOrganisation"]  # type: ignore[operator]
    assert row["cas_ReasonForOutgoingReferral"] == "AdditionalServicesRequired"
    assert row["cas_ReferredOrganisation"] == [agency]  # the declined referral is not one made
    assert row["jus_ServicesReferred"] == ["shelter"]
    assert row["con_Consent"] is False and row["jus_ConsentPurposes"] == []


def _import_as(db: Database, text: str, username: str) -> list[str]:
    with db.unit_of_work() as session:
        refs = import_cases(session, actor=actor(session, username), data=text.encode())
    return refs


def _import(db: Database, text: str) -> list[str]:
    return _import_as(db, text, "caseworker.jo")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("vic_TypeOfExploitation", "ForcedCriminality"),  # Jusoor's own, not the standard's
        ("vic_RelationshipToTrafficker", "IntimatePartner"),
        ("vic_RelationshipToTrafficker", "Unknown"),
        ("jus_TypeOfExploitation", "ForcedLabour"),  # jus_ columns hold Jusoor's codes
        ("vic_TraffickingStatus", "Victim"),
        ("cas_ReasonForOutgoingReferral", "Moving"),
        ("jus_OpenedMonth", "2026-13"),
        ("con_Consent", "maybe"),
    ],
)
def test_a_value_outside_the_picklist_is_refused_naming_column_value_and_row(
    demo_db: Database, column: str, value: str
) -> None:
    text = f"prs_Gender,{column}\nFeminine,\nMasculine,{value}\n"
    with pytest.raises(RowsInvalid) as caught:
        _import(demo_db, text)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (2, column)
    assert value in problem.message or column == "con_Consent"


def test_a_finer_code_that_contradicts_the_standard_value_is_refused(demo_db: Database) -> None:
    text = "vic_TypeOfExploitation,jus_TypeOfExploitation\nForcedLabour,forced_criminality\n"
    with pytest.raises(RowsInvalid) as caught:
        _import(demo_db, text)
    (problem,) = caught.value.problems
    assert problem.column == "jus_TypeOfExploitation"
    assert "forced_criminality" in problem.message and "vic_TypeOfExploitation" in problem.message


def test_the_finer_code_wins_and_the_standard_value_alone_is_read(demo_db: Database) -> None:
    text = (
        "vic_TypeOfExploitation,jus_TypeOfExploitation,vic_RelationshipToTrafficker,"
        "jus_RelationshipToTrafficker,vic_TraffickingStatus,con_Consent\n"
        "Other;ForcedLabour,forced_criminality;forced_labour,Acquainted,intimate_partner,"
        "ActualVictimOfTrafficking,true\n"
        "Other,,,unknown,,\n"
        "ChildLabour,,Unaquainted,,,\n"
    )
    refs = _import(demo_db, text)
    with demo_db.unit_of_work() as session:
        cases = [session.scalars(select(Case).where(Case.reference == r)).one() for r in refs]
        stored = [(c.forms_of_exploitation, c.recruiter_relation) for c in cases]
    assert stored == [
        (["forced_criminality", "forced_labour"], "intimate_partner"),
        (["other"], "unknown"),
        (["child_labour"], "unacquainted"),
    ]


@pytest.mark.parametrize("fmt", htcds.FORMATS)
def test_every_code_survives_export_then_import(demo_db: Database, fmt: htcds.Format) -> None:
    relations = list(RECRUITER_RELATIONS)
    forms = list(FORMS_OF_EXPLOITATION)
    with demo_db.unit_of_work() as session:
        for number, relation in enumerate(relations):
            open_case(
                session,
                recruiter_relation=relation,
                forms_of_exploitation=forms[number::2][:3],
                means_of_control=list(MEANS_OF_CONTROL[number::3]),
            )
        first = htcds.export_cases(session, actor=actor(session, "caseworker.ma"), fmt=fmt)
    _import_as(demo_db, first.render(), "caseworker.tn")
    with demo_db.unit_of_work() as session:
        imported = session.scalars(select(Case).where(Case.country == "TN")).all()
        held = sorted(
            (c.recruiter_relation or "", c.forms_of_exploitation, c.means_of_control)
            for c in imported
        )
    assert held == sorted(
        (relation, forms[n::2][:3], list(MEANS_OF_CONTROL[n::3]))
        for n, relation in enumerate(relations)
    )


@given(st.lists(st.sampled_from(FORMS_OF_EXPLOITATION), unique=True, min_size=1))
def test_forms_map_into_the_picklist_and_back(forms: list[str]) -> None:
    cols = {c.column: c for c in htcds_columns.columns()}
    coarse, fine = cols["vic_TypeOfExploitation"], cols["jus_TypeOfExploitation"]
    picklist = standard.by_name()["vic_TypeOfExploitation"].values
    names = [coarse.to_htcds(code) for code in forms]
    assert all(name in picklist for name in names)
    assert [fine.from_htcds(str(fine.to_htcds(code))) for code in forms] == forms
    exact = [code for code in forms if code != "forced_criminality"]  # the one coarsened value
    assert [coarse.from_htcds(str(coarse.to_htcds(code))) for code in exact] == exact
