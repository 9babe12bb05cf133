"""The identification queue: presumed and possible victims awaiting a formal identification.

A completed screening whose outcome is a presumed or possible victim waits here until the
competent authority of its country takes a *final* decision (identified, or not a victim). A
provisional decision ("possible victim", HTCDS 2.0 `vic_TraffickingStatus` possible) leaves it
in the queue, shown with the row, because the conclusive decision is still owed (OSCE/ODIHR NRM
handbook, 2nd ed. 2022: a preliminary then a final identification). Oldest first, with the
deadline of `identification.yaml` (configuration, not law) and overdue marking.

`identification_queue(session, actor=…)` is the one entry point; pages, API, CLI and other
domains (the investigators' and prosecutors' workspaces) call it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, not_, or_, select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency
from jusoor.audit.service import record
from jusoor.core.db import utcnow
from jusoor.core.i18n import current_locale
from jusoor.core.permissions import Actor, scope_clause
from jusoor.screening.assessment import Outcome
from jusoor.screening.deadlines import DeadlinesFile, deadlines
from jusoor.screening.identification import DECIDE, FINAL, latest_by_screening
from jusoor.screening.models import Identification, Screening, ScreeningStatus, TraffickingStatus

AWAITING_OUTCOMES = (Outcome.PRESUMED_VICTIM.value, Outcome.POSSIBLE_VICTIM.value)
MAX_LIMIT = 200


@dataclass(frozen=True)
class QueueRow:
    """One screening awaiting a decision; `days_left` is negative when overdue."""

    screening_id: uuid.UUID
    reference: str
    country: str
    agency_id: uuid.UUID
    agency_name: str
    profile: str  # a `Profile` value (labels.profile_label puts it in words)
    outcome: str  # an `Outcome` value
    age_band: str  # an `AgeBand` value
    completed_at: dt.datetime
    waiting_days: int
    deadline: dt.date
    days_left: int
    provisional: TraffickingStatus | None  # a provisional decision already taken, if any
    case_id: uuid.UUID | None

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def decision_url(self) -> str:
        return f"/screening/{self.screening_id}/result"


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    overdue: int
    limit: int
    offset: int


def _awaiting(actor: Actor) -> ColumnElement[bool]:
    decided = select(Identification.screening_id).where(Identification.status.in_(FINAL))
    return and_(
        Screening.status == ScreeningStatus.completed,
        Screening.outcome.in_(AWAITING_OUTCOMES),
        Screening.id.not_in(decided),
        scope_clause(
            actor,
            DECIDE,
            agency_col=Screening.agency_id,
            country_col=Screening.country,
            owner_col=Screening.screener_id,
        ),
    )


def _overdue_clause(config: DeadlinesFile, now: dt.datetime) -> ColumnElement[bool]:
    """Completed before the start of the day after their deadline, country by country."""
    today = now.date()

    def cutoff(days: int) -> dt.datetime:
        # The decision is late from the day after `completed_at.date() + days`.
        first_late = today - dt.timedelta(days=days)
        return dt.datetime.combine(first_late, dt.time.min, tzinfo=dt.UTC)

    listed = [
        and_(Screening.country == country, Screening.completed_at < cutoff(days))
        for country, days in config.countries.items()
    ]
    others = and_(
        not_(Screening.country.in_(list(config.countries))),
        Screening.completed_at < cutoff(config.default_days),
    )
    return or_(others, *listed)


def identification_queue(
    session: Session, *, actor: Actor, limit: int = 50, offset: int = 0
) -> QueuePage:
    """One page of the screenings awaiting a formal identification decision in the actor's scope
    (their country for investigators and prosecutors), oldest first, with the total and how
    many are overdue. Forbidden without `identification.decide`; audited as a list."""
    actor.require(DECIDE)
    config, now = deadlines(), utcnow()
    awaiting = _awaiting(actor)
    total = int(session.scalar(select(func.count(Screening.id)).where(awaiting)) or 0)
    late = and_(awaiting, _overdue_clause(config, now))
    overdue = int(session.scalar(select(func.count(Screening.id)).where(late)) or 0)
    limit = max(1, min(limit, MAX_LIMIT))
    page = session.execute(
        select(Screening, Agency)
        .join(Agency, Agency.id == Screening.agency_id)
        .where(awaiting)
        .order_by(Screening.completed_at, Screening.id)
        .offset(max(offset, 0))
        .limit(limit)
    ).all()
    provisional = latest_by_screening(session, [s.id for s, _agency in page])
    locale = current_locale()
    rows = [_row(s, a.name(locale), config, now.date(), provisional.get(s.id)) for s, a in page]
    record(
        session,
        actor=actor,
        action="identification.queue",
        object_type="screening",
        details={"screenings": [str(r.screening_id) for r in rows], "total": total},
    )
    return QueuePage(rows=rows, total=total, overdue=overdue, limit=limit, offset=offset)


def _row(
    s: Screening,
    agency_name: str,
    config: DeadlinesFile,
    today: dt.date,
    provisional: TraffickingStatus | None,
) -> QueueRow:
    completed_at = s.completed_at or s.updated_at
    deadline = config.deadline(s.country, completed_at)
    return QueueRow(
        screening_id=s.id,
        reference=s.reference,
        country=s.country,
        agency_id=s.agency_id,
        agency_name=agency_name,
        profile=s.profile,
        outcome=s.outcome or "",
        age_band=s.age_band,
        completed_at=completed_at,
        waiting_days=(today - completed_at.date()).days,
        deadline=deadline,
        days_left=(deadline - today).days,
        provisional=provisional,
        case_id=s.case_id,
    )
