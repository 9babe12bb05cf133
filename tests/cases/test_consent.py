"""Consent per purpose: actions that need it are blocked without it, withdrawal is honoured at
once, and an override needs the permission and a reason, and is audited."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from jusoor.agencies.models import Agency
from jusoor.cases import service
from jusoor.cases.labels import purpose_label
from jusoor.cases.models import CaseEvent
from jusoor.cases.schemas import ConsentCreate
from jusoor.cases.vocabulary import ConsentPurpose
from jusoor.core.db import Database
from jusoor.core.errors import Invalid
from tests.cases.support import actor, audit_actions, open_case


def _shelter(session: object) -> Agency:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    return (
        session.scalars(
            select(Agency).where(Agency.country == "MA", Agency.kind == "shelter")
        ).first()
        or session.scalars(select(Agency).where(Agency.country == "MA")).one()
    )


def test_an_action_needing_consent_is_blocked_without_it(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        worker = actor(session, "caseworker.ma")
        case = open_case(session)
        with pytest.raises(Invalid) as refused:
            service.require_consent(session, case, ConsentPurpose.assistance, actor=worker)
        assert refused.value.field == "consent"
        assert purpose_label(ConsentPurpose.assistance) in refused.value.message


def test_a_referral_consent_is_for_one_named_agency(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        worker = actor(session, "caseworker.ma")
        case = open_case(session)
        shelter = _shelter(session)
        consent = service.give_consent(
            session,
            actor=worker,
            case_id=case.id,
            consent_in=ConsentCreate(
                purpose="referral",
                agency_code=shelter.code,
                language="ar",
                interpreter_name="Samir T.",
                witness_name="Leila M.",
            ),
        )
        found = service.require_consent(
            session, case, ConsentPurpose.referral, actor=worker, agency_id=shelter.id
        )
        assert found is not None and found.id == consent.id
        other = session.scalars(select(Agency).where(Agency.id != shelter.id)).first()
        assert other is not None
        with pytest.raises(Invalid):
            service.require_consent(
                session, case, ConsentPurpose.referral, actor=worker, agency_id=other.id
            )


def test_withdrawal_is_honoured_at_once(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        worker = actor(session, "caseworker.ma")
        case = open_case(session)
        consent = service.give_consent(
            session,
            actor=worker,
            case_id=case.id,
            consent_in=ConsentCreate(purpose="data_for_statistics", language="fr"),
        )
        assert service.require_consent(
            session, case, ConsentPurpose.data_for_statistics, actor=worker
        )
        service.withdraw_consent(session, actor=worker, case_id=case.id, consent_id=consent.id)
        with pytest.raises(Invalid):
            service.require_consent(session, case, ConsentPurpose.data_for_statistics, actor=worker)
        kinds = session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
        assert {"consent_given", "consent_withdrawn"} <= set(kinds)
        assert {"case.consent", "case.consent_withdraw"} <= set(audit_actions(session, case.id))


def test_an_override_needs_the_permission_and_a_reason_and_is_audited(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        worker = actor(session, "caseworker.ma")
        case = open_case(session)
        purpose = ConsentPurpose.cross_border_transfer
        with pytest.raises(Invalid):
            service.require_consent(session, case, purpose, actor=worker, override_reason="  ")
        without = dataclasses.replace(worker, roles=frozenset({"screener"}))
        with pytest.raises(Invalid) as refused:
            service.require_consent(session, case, purpose, actor=without, override_reason="urgent")
        assert refused.value.field == "consent"
        assert "case.consent_override" not in audit_actions(session, case.id)
        assert (
            service.require_consent(
                session, case, purpose, actor=worker, override_reason="life at risk"
            )
            is None
        )
        assert "case.consent_override" in audit_actions(session, case.id)
        event = session.scalars(
            select(CaseEvent).where(
                CaseEvent.case_id == case.id, CaseEvent.kind == "consent_overridden"
            )
        ).one()
        assert event.reason == "life at risk"


def test_bad_consent_input_names_the_field_and_saves_nothing(demo_sqlite: Database) -> None:
    with demo_sqlite.unit_of_work() as session:
        worker = actor(session, "caseworker.ma")
        case = open_case(session)
        with pytest.raises(Invalid) as refused:
            service.give_consent(
                session,
                actor=worker,
                case_id=case.id,
                consent_in=ConsentCreate(purpose="referral", agency_code="nowhere", language="ar"),
            )
        assert refused.value.field == "agency_code"
        assert service.consents_of(session, case.id) == []
