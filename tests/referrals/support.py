"""Shared steps of the referral tests: actors for demo users, a case with consent, a referral."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from jusoor.agencies import service as agencies
from jusoor.agencies.schemas import UserCreate
from jusoor.cases import service as cases
from jusoor.cases.consent import give_consent
from jusoor.cases.schemas import CaseCreate, ConsentCreate
from jusoor.cases.vocabulary import ConsentPurpose
from jusoor.core.permissions import Actor, system_actor
from jusoor.referrals import service as referrals
from jusoor.referrals.models import Service, ServiceKind, Transition
from jusoor.referrals.schemas import ReferralCreate

SECRET_NAME = "Zahra Benali-Testname"
SECRET_CONTACT = "+212612345678 (sister)"
SECRET_HEALTH = "Untreated fracture of the left wrist"
REFERRAL_NOTE = "Needs a ground-floor room near the night staff."


def actor(session: Session, username: str) -> Actor:
    user = agencies.get_user_by_username(session, username)
    assert user is not None, username
    return agencies.actor_for(user, via="session")


def second_provider(session: Session) -> str:
    """A service provider of another Moroccan agency (the hospital), created once."""
    if agencies.get_user_by_username(session, "provider2.ma") is None:
        agencies.create_user(
            session,
            actor=system_actor("test"),
            user_in=UserCreate(
                username="provider2.ma",
                display_name="Second Provider",
                agency_code="ma-health",
                roles=["service_provider"],
                password="Sahara-Nile-Atlas-2026",
            ),
            check_policy=False,
        )
    return "provider2.ma"


def open_case(session: Session, *, consent_for: str | None = "ma-shelter") -> uuid.UUID:
    """A Moroccan case of caseworker.ma with identifying data, and referral consent for one agency."""
    worker = actor(session, "caseworker.ma")
    case = cases.open_case(
        session,
        actor=worker,
        case_in=CaseCreate(
            gender="feminine",
            age_band="24-26",
            languages=["ar", "fr"],
            name=SECRET_NAME,
            contact=SECRET_CONTACT,
            health_notes=SECRET_HEALTH,
        ),
    )
    if consent_for:
        give_consent(
            session,
            actor=worker,
            case_id=case.id,
            consent_in=ConsentCreate(
                purpose=ConsentPurpose.referral, agency_code=consent_for, language="ar"
            ),
        )
    return case.id


def service_of(session: Session, agency_code: str, kind: ServiceKind) -> Service:
    agency = agencies.agency_by_code(session, agency_code)
    assert agency is not None
    stmt = select(Service).where(Service.agency_id == agency.id, Service.kind == kind)
    return session.scalars(stmt).one()


def refer(
    session: Session,
    case_id: uuid.UUID,
    *,
    agency_code: str = "ma-shelter",
    kind: ServiceKind = ServiceKind.shelter,
    fields: tuple[str, ...] = ("age_band", "gender", "languages"),
) -> Transition:
    agency = agencies.agency_by_code(session, agency_code)
    assert agency is not None
    return referrals.refer(
        session,
        actor=actor(session, "caseworker.ma"),
        referral_in=ReferralCreate(
            case_id=case_id,
            agency_id=agency.id,
            kind=kind,
            shared_fields=list(fields),
            note=REFERRAL_NOTE,
        ),
    )
