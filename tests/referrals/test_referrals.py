"""Referrals through the service layer, on SQLite and PostgreSQL: consent, the service asked for,
the fields shared, who sees them, and the audit trail of every read."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from jusoor.agencies.service import agency_by_code
from jusoor.audit.models import AuditEvent
from jusoor.cases import service as cases
from jusoor.cases.consent import withdraw_consent
from jusoor.core.db import Database
from jusoor.core.errors import Conflict, Invalid, NotFound
from jusoor.referrals import grants
from jusoor.referrals import service as referrals
from jusoor.referrals.models import ServiceKind, Transition
from jusoor.referrals.schemas import ReferralCreate
from tests.referrals.support import (
    REFERRAL_NOTE,
    SECRET_CONTACT,
    SECRET_HEALTH,
    SECRET_NAME,
    actor,
    open_case,
    refer,
    second_provider,
)


def _count_referrals(db: Database) -> int:
    with db.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(Transition)) or 0)


def test_referral_needs_consent_for_that_agency(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        case_id = open_case(session, consent_for="ma-ngo")
    with pytest.raises(Invalid) as refused, demo_db.unit_of_work() as session:
        refer(session, case_id)
    assert refused.value.field == "consent"
    assert _count_referrals(demo_db) == 0


def test_withdrawn_consent_blocks_a_new_referral(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        case_id = open_case(session)
        consent = cases.records_of(
            session, cases.get_case(session, actor=actor(session, "caseworker.ma"), case_id=case_id)
        ).consents[0]
        withdraw_consent(
            session, actor=actor(session, "caseworker.ma"), case_id=case_id, consent_id=consent.id
        )
    with pytest.raises(Invalid) as refused, demo_db.unit_of_work() as session:
        refer(session, case_id)
    assert refused.value.field == "consent"


def test_consent_override_with_a_reason_is_audited(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        case_id = open_case(session, consent_for=None)
        agency = agency_by_code(session, "ma-shelter")
        assert agency is not None
        referral = referrals.refer(
            session,
            actor=actor(session, "caseworker.ma"),
            referral_in=ReferralCreate(
                case_id=case_id,
                agency_id=agency.id,
                kind=ServiceKind.shelter,
                shared_fields=["age_band"],
                consent_override_reason="Unconscious after an assault; shelter needed tonight.",
            ),
        )
        assert referral.status == "requested"
        overrides = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "case.consent_override")
        ).all()
        assert [e.object_id for e in overrides] == [str(case_id)]


def test_an_agency_that_offers_no_such_service_is_refused_naming_the_field(
    demo_db: Database,
) -> None:
    with demo_db.unit_of_work() as session:
        case_id = open_case(session)
    with pytest.raises(Invalid) as refused, demo_db.unit_of_work() as session:
        refer(session, case_id, kind=ServiceKind.legal_aid)  # the shelter gives no legal aid
    assert refused.value.field == "kind"
    assert "Legal aid" in refused.value.message
    assert _count_referrals(demo_db) == 0


def test_a_field_that_cannot_be_shared_is_named(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        case_id = open_case(session)
    with pytest.raises(Invalid) as refused, demo_db.unit_of_work() as session:
        refer(session, case_id, fields=("age_band", "notes"))
    assert refused.value.field == "shared_fields"
    assert "notes" in refused.value.message
    assert _count_referrals(demo_db) == 0


def test_the_same_service_cannot_be_asked_twice_while_open(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        case_id = open_case(session)
        refer(session, case_id)
    with pytest.raises(Conflict), demo_db.unit_of_work() as session:
        refer(session, case_id)
    assert _count_referrals(demo_db) == 1


def test_provider_reads_exactly_the_shared_fields(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        case_id = open_case(session)
        referral_id = refer(session, case_id, fields=("age_band", "languages")).id
    with demo_db.unit_of_work() as session:
        provider = actor(session, "provider.ma")
        file = cases.get_case(session, actor=provider, case_id=case_id)
        assert file.fields == {"reference", "stage", "age_band", "languages"}
        referral = referrals.get_referral(session, actor=provider, referral_id=referral_id)
        shared = grants.shared_values(session, actor=provider, referral=referral)
        assert set(shared) == {"reference", "stage", "age_band", "languages"}
        assert shared["age_band"] == "24-26"
        text = json.dumps(shared, default=str)
        for secret in (SECRET_NAME, SECRET_CONTACT, SECRET_HEALTH, "feminine"):
            assert secret not in text


@pytest.mark.parametrize("username", ["provider.tn", "provider2.ma"])
def test_another_agencys_provider_is_refused(demo_db: Database, username: str) -> None:
    with demo_db.unit_of_work() as session:
        second_provider(session)
        case_id = open_case(session)
        referral_id = refer(session, case_id).id
    with demo_db.unit_of_work() as session:
        other = actor(session, username)
        with pytest.raises(NotFound):
            cases.get_case(session, actor=other, case_id=case_id)
        with pytest.raises(NotFound):
            referrals.get_referral(session, actor=other, referral_id=referral_id)
        assert referrals.list_referrals(session, actor=other) == []


@pytest.mark.parametrize(
    ("moves", "keeps_access"),
    [
        ((("provider.ma", "decline"),), False),
        ((("caseworker.ma", "revoke"),), False),
        ((("provider.ma", "accept"), ("caseworker.ma", "revoke")), False),
        ((("provider.ma", "accept"), ("provider.ma", "start")), True),
        ((("provider.ma", "accept"), ("provider.ma", "complete")), True),
    ],
)
def test_access_follows_the_referral_state(
    demo_db: Database, moves: tuple[tuple[str, str], ...], keeps_access: bool
) -> None:
    with demo_db.unit_of_work() as session:
        case_id = open_case(session)
        referral_id = refer(session, case_id).id
    for username, action in moves:
        with demo_db.unit_of_work() as session:
            referrals.move(
                session,
                actor=actor(session, username),
                referral_id=referral_id,
                action=action,
                reason="No bed suitable for this person.",
            )
    with demo_db.unit_of_work() as session:
        provider = actor(session, "provider.ma")
        if keeps_access:
            assert cases.get_case(session, actor=provider, case_id=case_id).fields
        else:
            with pytest.raises(NotFound):
                cases.get_case(session, actor=provider, case_id=case_id)
            referral = referrals.get_referral(session, actor=provider, referral_id=referral_id)
            assert grants.shared_values(session, actor=provider, referral=referral) == {}
            assert referrals.referral_read(referral, actor=provider).note is None
            worker = actor(session, "caseworker.ma")
            assert referrals.referral_read(referral, actor=worker).note == REFERRAL_NOTE


def test_every_provider_read_is_audited(demo_db: Database) -> None:
    with demo_db.unit_of_work() as session:
        case_id = open_case(session)
        referral_id = refer(session, case_id).id
    with demo_db.unit_of_work() as session:
        provider = actor(session, "provider.ma")
        referrals.list_referrals(session, actor=provider)
        referral = referrals.get_referral(session, actor=provider, referral_id=referral_id)
        grants.shared_values(session, actor=provider, referral=referral)
        cases.get_case(session, actor=provider, case_id=case_id)
    with demo_db.unit_of_work() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.actor_username == "provider.ma")
        ).all()
        actions = [e.action for e in events]
        assert actions == ["referral.list", "referral.read", "case.read", "case.read"]
        reads = [json.loads(e.details) for e in events if e.action == "case.read"]
        assert reads[0]["fields"] == ["reference", "stage", "age_band", "gender", "languages"]
