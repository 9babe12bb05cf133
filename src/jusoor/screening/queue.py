"""The identification queue: presumed and possible victims awaiting a formal identification.

A completed screening whose outcome is a presumed or possible victim waits here until the
competent authority of its country takes a *final* decision (identified, or not a victim). A
provisional decision ("possible victim", HTCDS 2.0 `vic_TraffickingStatus` possible) leaves it
in the queue, shown with the row, because the conclusive decision is still owed (OSCE/ODIHR NRM
handbook, 2nd ed. 2022: a preliminary then a final identification). Oldest first, with the
deadline of `identification.yaml` (configuration, not law) and overdue marking.

At national scale the queue is paged by keyset, oldest first by `(completed_at, id)`
(`jusoor.core.keyset`, index `ix_screenings_queue` of migration 0017, which skips the screenings
already decided for good), and
its totals are counted up to `COUNT_CAP` ("more than 1,000"), never over the whole table.

`identification_queue(session, actor=…)` is the one entry point; pages, API, CLI and other
domains (the investigators' and prosecutors' workspaces) call it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, and_, func, not_, or_, select
from sqlalchemy.orm import Session

from jusoor.agencies.models import Agency
from jusoor.audit.service import record
from jusoor.core import keyset
from jusoor.core.db import utcnow
from jusoor.core.i18n import current_locale
from jusoor.core.permissions import Actor, scope_clause
from jusoor.screening.assessment import Outcome
from jusoor.screening.deadlines import DeadlinesFile, deadlines
from jusoor.screening.identification import DECIDE, FINAL, latest_by_screening
from jusoor.screening.models import Identification, Screening, ScreeningStatus, TraffickingStatus

AWAITING_OUTCOMES = (Outcome.PRESUMED_VICTIM.value, Outcome.POSSIBLE_VICTIM.value)
MAX_LIMIT = 200
TAG = "identification-queue"  # the cursor's list name
KEY: tuple[ColumnElement[Any], ...] = (Screening.completed_at.expression, Screening.id.expression)
KINDS = (dt.datetime, uuid.UUID)  # UTCDateTime gives no python_type: named here
COUNT_CAP = 1000  # totals counted exactly up to here, then "more than 1,000"


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
    total: int  # exact unless `more`, then COUNT_CAP
    overdue: int  # exact unless `overdue_more`, then COUNT_CAP
    limit: int
    offset: int
    more: bool = False
    overdue_more: bool = False
    next_cursor: str | None = None  # None on the last page
    first: bool = True  # no cursor was given


def _awaiting(actor: Actor) -> ColumnElement[bool]:
    # NOT EXISTS, not NOT IN (which hashes every final decision of the nation on each view),
    # and kept a per-row probe of `ix_identifications_screening_id`: OFFSET 0 stops PostgreSQL
    # from turning it into a hash anti-join over all decisions, which it picks for the count.
    decided = (
        select(Identification.id)
        .where(Identification.screening_id == Screening.id, Identification.status.in_(FINAL))
        .offset(0)
        .exists()
    )
    return and_(
        Screening.status == ScreeningStatus.completed,
        Screening.decided_final.is_(False),  # the index's cut; `decided` stays the rule
        Screening.completed_at.is_not(None),  # set on completion; the keyset needs it
        Screening.outcome.in_(AWAITING_OUTCOMES),
        ~decided,
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


def _bounded_count(session: Session, clause: ColumnElement[bool]) -> tuple[int, bool]:
    capped = select(Screening.id).where(clause).limit(COUNT_CAP + 1).subquery()
    counted = int(session.scalar(select(func.count()).select_from(capped)) or 0)
    return min(counted, COUNT_CAP), counted > COUNT_CAP


def page_statement(
    actor: Actor, *, after: tuple[Any, ...] | None, limit: int, offset: int = 0
) -> Select[Any]:
    """The rows of one page (and one more, to know whether another follows)."""
    joined = select(Screening, Agency).join(Agency, Agency.id == Screening.agency_id)
    stmt = cast("Select[Any]", joined.where(_awaiting(actor)))
    return keyset.seek(stmt, KEY, after, descending=False).offset(offset).limit(limit + 1)


def identification_queue(
    session: Session,
    *,
    actor: Actor,
    limit: int = 50,
    offset: int = 0,
    after: str | None = None,
) -> QueuePage:
    """One page of the screenings awaiting a formal identification decision in the actor's scope
    (their country for investigators and prosecutors), oldest first, after the cursor `after`,
    with the total and how many are overdue (both counted up to `COUNT_CAP`). Forbidden without
    `identification.decide`; InvalidCursor for a cursor this queue did not hand out; audited
    as a list."""
    actor.require(DECIDE)
    config, now = deadlines(), utcnow()
    position = keyset.decode(after, tag=TAG, kinds=KINDS) if after else None
    awaiting = _awaiting(actor)
    total, more = _bounded_count(session, awaiting)
    overdue, overdue_more = _bounded_count(session, and_(awaiting, _overdue_clause(config, now)))
    limit = max(1, min(limit, MAX_LIMIT))
    stmt = page_statement(actor, after=position, limit=limit, offset=max(offset, 0))
    page = session.execute(stmt).all()
    following = len(page) > limit
    page = page[:limit]
    provisional = latest_by_screening(session, [s.id for s, _agency in page])
    locale = current_locale()
    rows = [_row(s, a.name(locale), config, now.date(), provisional.get(s.id)) for s, a in page]
    next_cursor = None
    if following and page:
        last = page[-1][0]
        next_cursor = keyset.encode((last.completed_at, last.id), tag=TAG)
    record(
        session,
        actor=actor,
        action="identification.queue",
        object_type="screening",
        details={"screenings": [str(r.screening_id) for r in rows], "total": total, "more": more},
    )
    return QueuePage(
        rows=rows,
        total=total,
        overdue=overdue,
        limit=limit,
        offset=offset,
        more=more,
        overdue_more=overdue_more,
        next_cursor=next_cursor,
        first=position is None,
    )


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
