"""Screenings made through the services for the identification tests (demo directory)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jusoor.agencies import service as directory
from jusoor.agencies.schemas import UserCreate
from jusoor.audit.models import AuditEvent
from jusoor.cases.models import Case
from jusoor.core.permissions import Actor, system_actor
from jusoor.screening import case_opening
from jusoor.screening import identification as identifications
from jusoor.screening import service as screenings
from jusoor.screening.models import Identification, Screening, TraffickingStatus
from jusoor.screening.schemas import AgeBand, Exploitation, IdentificationCreate, ScreeningStart

# Deceived about job and pay, passport kept, locked in, long hours without pay: presumed victim.
PRESUMED = {
    "job_different": "yes",
    "pay_different": "yes",
    "documents_kept": "yes",
    "not_free_to_leave": "yes",
    "long_hours": "yes",
    "little_or_no_pay": "yes",
}
POSSIBLE = {"job_different": "yes"}
NOTHING = {"job_different": "no"}


def actor(session: Session, username: str) -> Actor:
    user = directory.get_user_by_username(session, username)
    assert user is not None, username
    return directory.actor_for(user, via="session")


def screened(
    session: Session,
    who: Actor,
    answers: dict[str, str],
    *,
    days_ago: int = 0,
    start: ScreeningStart | None = None,
) -> Screening:
    """A completed screening, completed `days_ago` days before now."""
    start = start or ScreeningStart(
        age_band=AgeBand.from_24_to_26, exploitation=Exploitation.labour
    )
    screening = screenings.start(session, actor=who, screening_in=start)
    screenings.save_answers(session, actor=who, screening_id=screening.id, answers=answers)
    screenings.complete(session, actor=who, screening_id=screening.id)
    assert screening.completed_at is not None
    screening.completed_at -= dt.timedelta(days=days_ago)
    session.flush()
    return screening


def decide(
    session: Session, who: Actor, screening: Screening, status: TraffickingStatus
) -> Identification:
    decision = IdentificationCreate(
        screening_id=screening.id, status=status, basis="Passport held by the employer."
    )
    return identifications.decide(session, actor=who, identification_in=decision)


def open_case_for(session: Session, who: Actor, screening: Screening, owner: str = "") -> Case:
    return case_opening.open_case(session, actor=who, screening=screening, owner_username=owner)


def second_case_worker(session: Session) -> str:
    """A case worker of another Moroccan agency (the shelter), created once."""
    if directory.get_user_by_username(session, "caseworker2.ma") is None:
        directory.create_user(
            session,
            actor=system_actor("test"),
            user_in=UserCreate(
                username="caseworker2.ma",
                display_name="Second Case Worker",
                agency_code="ma-shelter",
                roles=["case_worker"],
                password="Sahara-Nile-Atlas-2026",
            ),
            check_policy=False,
        )
    return "caseworker2.ma"


def audited(session: Session, action: str, object_id: uuid.UUID | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == str(object_id))
    return list(session.scalars(query.order_by(AuditEvent.seq)).all())


def count(session: Session, model: type[object]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)
